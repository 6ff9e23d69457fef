import { findCriterion } from "../criteria.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { bytesDigest } from "../digest.js";
import type { Repository } from "../model.js";
import type { SourceFile } from "../source-file.js";
import type { JsonPath } from "../yaml-source.js";
import { idOfPath, type AuditRequest } from "./request.js";

/**
 * Records the digest each answered evidence file has now (null: no readable file there), from
 * the files the adapter read, so that every later check and view compares with the frozen one.
 */
export function digestAnswers(repo: Repository, files: readonly SourceFile[]): Repository {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return digestAnswersFrom(repo, (path) => {
    const bytes = byPath.get(path)?.bytes;
    return bytes ? bytesDigest(bytes) : null;
  });
}

/** The paths the answers of the request files point at: their digests are taken as files pass by. */
export function answeredPaths(repo: Repository): Set<string> {
  return new Set(
    (repo.requests ?? []).flatMap((r) => (r.answer?.evidence ?? []).map((e) => e.path)),
  );
}

/** digestAnswers with each file's digest from `digestOf` (null: no readable file there). */
export function digestAnswersFrom(
  repo: Repository,
  digestOf: (path: string) => string | null,
): Repository {
  for (const request of repo.requests ?? [])
    for (const item of request.answer?.evidence ?? []) item.now = digestOf(item.path);
  return repo;
}

/** The command that freezes (or freezes again) a request's answer. */
export const answerCommand = (r: AuditRequest) =>
  `soc2 requests answer ${r.id ?? "<id>"} --period ${r.period}`;

/**
 * The checks of the request files: named after their ID, unique per period, every control,
 * criterion and policy they name exists, an answered request says what answers it, and every
 * evidence file of an answer still has the digest it was frozen with.
 */
export function checkRequests(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const controls = new Set(repo.controls.flatMap((c) => (c.id ? [c.id] : [])));
  const policies = new Set(repo.policies.flatMap((p) => (p.id ? [p.id] : [])));
  const seen = new Map<string, string>();
  for (const r of repo.requests ?? []) {
    const at = (path: JsonPath) => r.file.parsed.locate(path);
    if (r.id !== undefined) {
      const name = idOfPath(r.file.path);
      if (name !== r.id)
        out.push(
          diagnostic(
            r.file.path,
            at(["id"]),
            "error",
            "request-file-name",
            `request "${r.id}" is in ${name}.yaml: name the file ${r.id}.yaml, or fix the id`,
          ),
        );
      const key = `${r.period}/${r.id.toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined)
        out.push(
          diagnostic(
            r.file.path,
            at(["id"]),
            "error",
            "duplicate-id",
            `request "${r.id}" is also in ${first}: each request of a period has one file`,
          ),
        );
      else seen.set(key, r.file.path);
    }
    r.criteria.forEach((id, i) => {
      if (!findCriterion(id))
        out.push(
          diagnostic(
            r.file.path,
            at(["criteria", i]),
            "error",
            "unknown-criterion",
            `"${id}" is not a Trust Services criterion: run \`soc2 criteria\` for the list`,
          ),
        );
    });
    const knownControls = (ids: readonly string[], path: JsonPath) =>
      ids.forEach((id, i) => {
        if (!controls.has(id))
          out.push(
            diagnostic(
              r.file.path,
              at([...path, i]),
              "error",
              "unknown-control",
              `control "${id}" does not exist: fix the ID, or remove it`,
            ),
          );
      });
    knownControls(r.suggested.controls, ["suggested", "controls"]);
    r.suggested.policies.forEach((id, i) => {
      if (!policies.has(id))
        out.push(
          diagnostic(
            r.file.path,
            at(["suggested", "policies", i]),
            "error",
            "unknown-policy",
            `policy "${id}" does not exist: fix the ID, or remove it`,
          ),
        );
    });
    const answer = r.answer;
    if (!answer) continue;
    knownControls(answer.controls, ["answer", "controls"]);
    if (
      r.status === "answered" &&
      answer.controls.length === 0 &&
      answer.evidence.length === 0 &&
      answer.note === undefined
    )
      out.push(
        diagnostic(
          r.file.path,
          at(["answer"]),
          "error",
          "request-answer-empty",
          `request "${r.id ?? r.file.path}" is answered but its answer names no control, evidence or note: say what answers it, or set status: open`,
        ),
      );
    answer.evidence.forEach((item, i) => {
      if (item.now === null)
        out.push(
          diagnostic(
            r.file.path,
            at(["answer", "evidence", i, "path"]),
            "error",
            "request-evidence-missing",
            `${item.path} is not a readable file of the repository: fix the path (from the repository root), or remove the item`,
          ),
        );
      else if (item.frozen === undefined && r.status === "answered")
        out.push(
          diagnostic(
            r.file.path,
            at(["answer", "evidence", i, "path"]),
            "error",
            "request-evidence-not-frozen",
            `${item.path} has no digest: run \`${answerCommand(r)}\` to freeze the answer's evidence`,
          ),
        );
      else if (item.now !== undefined && item.frozen !== undefined && item.now !== item.frozen)
        out.push(
          diagnostic(
            r.file.path,
            at(["answer", "evidence", i, "digest"]),
            "warning",
            "request-answer-stale",
            `answer stale: ${item.path} changed since it was frozen${answer.answeredOn ? ` on ${answer.answeredOn}` : ""}: check the answer still holds, then run \`${answerCommand(r)}\` to freeze it again`,
          ),
        );
    });
  }
  return out;
}
