import { lstat, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CheckRepoActions, simpleGit } from "simple-git";
import { readEvidenceChain } from "../../adapters/evidence/read-chain.js";
import { bytesDigest } from "../../core/digest.js";
import { chainHeadPath } from "../../core/evidence/record-path.js";
import {
  verifyChain,
  type ChainAnchor,
  type ChainProblem,
  type ChainRecordInput,
} from "../../core/evidence/verify-chain.js";
import { evidencePathOf } from "../../core/model.js";
import { parseYaml } from "../../core/yaml-source.js";
import { EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { requireDirectory } from "./directory.js";
import { asObject as obj } from "../../core/json-read.js";

/** What `soc2 verify` finds besides the chain: unsealed records, attachments, uncommitted edits. */
export type VerifyProblem =
  | ChainProblem
  | "digest-missing"
  | "attachment-invalid"
  | "attachment-missing"
  | "attachment-mismatch"
  | "uncommitted-change";

export interface VerifyFinding {
  problem: VerifyProblem;
  path: string;
  sequence?: number;
  message: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * `soc2 verify`: reads the evidence of a checkout and checks, offline, every record's content
 * digest (chained or not), the hash chain and chain-head.json, git history (commit times, edits,
 * deletions), attachments against their digests, and uncommitted edits of committed evidence.
 * Exit 0 clean, 1 tampered, 2 usage error.
 */
export async function verifyCommand(
  dirArg: string | undefined,
  options: { format: string; anchor?: string[] },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const anchors = (options.anchor ?? []).map(parseAnchor);
  const dir = resolve(dirArg ?? ".");
  await requireDirectory(dir);
  const evidencePath = await evidenceFolderOf(dir);
  const folder = await stat(join(dir, evidencePath)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(
      `${dir} is not an evidence repository: it has no ${evidencePath}/ folder (soc2.yml's evidence.path)`,
    );

  const input = await readEvidenceChain(dir, { evidencePath });
  const report = verifyChain({ ...input, anchors });
  const attachments = attachmentsOf(input.records);
  const findings: VerifyFinding[] = [
    ...report.findings,
    ...unsealedRecords(input.records),
    ...(await checkAttachments(dir, attachments)),
    ...(input.history
      ? await uncommittedChanges(dir, [
          input.evidencePath === "" ? "." : input.evidencePath,
          ...attachments.map((a) => a.path),
        ])
      : []),
  ].sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.problem.localeCompare(b.problem) ||
      (a.sequence ?? 0) - (b.sequence ?? 0),
  );
  const ok = findings.length === 0;

  if (format === "json") {
    io.out(
      JSON.stringify(
        {
          ok,
          records: input.records.length,
          chained: report.chained,
          unchained: report.unchained,
          attachments: attachments.length,
          ...(report.head ? { head: report.head } : {}),
          anchors,
          history: input.history !== undefined,
          findings,
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    const counts =
      `${input.records.length} records, chain of ${report.chained}${ok ? " intact" : ""}, ` +
      `${report.unchained.length} unchained checked by digest` +
      (attachments.length > 0 ? `, ${attachments.length} attachment(s) checked` : "") +
      (anchors.length > 0 ? `, ${anchors.length} anchor(s) ${ok ? "held" : "checked"}` : "");
    const verdict = ok
      ? ""
      : `: ${findings.length} finding(s): evidence was changed, deleted, inserted or back-dated`;
    const noHistory = input.history
      ? ""
      : " (not a git repository: commit times, edits and deletions in history not checked)";
    io.out(`${counts}${verdict}${noHistory}\n`);
    for (const f of findings) io.out(`${f.path}: ${f.problem}: ${f.message}\n`);
  }
  return ok ? EXIT.ok : EXIT.findings;
}

/** `12:sha256:…`: a record's sequence and record digest, noted outside the repository. */
function parseAnchor(text: string): ChainAnchor {
  const match = /^(\d+):(sha256:[0-9a-f]{64})$/.exec(text.trim());
  const sequence = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(sequence) || sequence < 1)
    throw new UsageError(
      `--anchor "${text}" is not <sequence>:<digest>: use the sequence and digest of chain-head.json as noted earlier, e.g. 12:sha256:450e…`,
    );
  return { sequence, digest: match[2]! };
}

/** evidence.path from soc2.yml when there is a readable one, else evidence. */
async function evidenceFolderOf(dir: string): Promise<string> {
  const text = await readFile(join(dir, "soc2.yml"), "utf8").catch(() => undefined);
  return evidencePathOf(text === undefined ? undefined : parseYaml("soc2.yml", text).value);
}

/** Records outside the chain are sealed by their digest alone: one without a digest is unchecked. */
function unsealedRecords(records: readonly ChainRecordInput[]): VerifyFinding[] {
  return records.flatMap((r) => {
    const v = obj(r.value);
    if (r.value === undefined || v.chain !== undefined) return [];
    if (typeof v.digest === "string" && DIGEST.test(v.digest)) return [];
    return [
      {
        problem: "digest-missing" as const,
        path: r.path,
        message:
          "has no valid digest and no chain link, so nothing shows whether it was changed: a record is sealed with `soc2 digest --write` before it is committed",
      },
    ];
  });
}

interface Attachment {
  record: string;
  path: string;
  digest: unknown;
}

function attachmentsOf(records: readonly ChainRecordInput[]): Attachment[] {
  return records.flatMap((r) => {
    const list = obj(obj(r.value).content).attachments;
    return (Array.isArray(list) ? list : []).map((a) => ({
      record: r.path,
      path: String(obj(a).path ?? ""),
      digest: obj(a).digest,
    }));
  });
}

/** Each attachment's bytes against the digest its record holds. */
async function checkAttachments(dir: string, attachments: Attachment[]): Promise<VerifyFinding[]> {
  const out: VerifyFinding[] = [];
  for (const a of attachments) {
    const where = `attached to ${a.record}`;
    const segments = a.path.replace(/\\/g, "/").split("/");
    if (
      a.path === "" ||
      a.path.startsWith("/") ||
      /^[A-Za-z]:/.test(a.path) ||
      segments.includes("..")
    ) {
      out.push({
        problem: "attachment-invalid",
        path: a.record,
        message: `names attachment ${JSON.stringify(a.path)}, which is not a path inside the repository`,
      });
      continue;
    }
    if (typeof a.digest !== "string" || !DIGEST.test(a.digest)) {
      out.push({
        problem: "attachment-invalid",
        path: a.record,
        message: `holds no valid digest for attachment ${a.path}: it cannot be checked`,
      });
      continue;
    }
    const full = join(dir, a.path);
    // Every folder on the way must be a real folder: a link could lead outside the repository.
    const info = (await linkFreeFolders(dir, a.path))
      ? await lstat(full).catch(() => undefined)
      : undefined;
    if (!info || !info.isFile()) {
      out.push({
        problem: "attachment-missing",
        path: a.path,
        message: `${where}, ${info?.isSymbolicLink() ? "is a symbolic link, not a file" : "is missing"}: it was deleted or moved`,
      });
      continue;
    }
    const actual = bytesDigest(await readFile(full));
    if (actual !== a.digest)
      out.push({
        problem: "attachment-mismatch",
        path: a.path,
        message: `${where}, hashes to ${actual}, not to ${a.digest} as the record says: the file was replaced or edited`,
      });
  }
  return out;
}

/** Committed evidence that the working tree no longer matches (edited or deleted, not committed). */
async function uncommittedChanges(dir: string, paths: string[]): Promise<VerifyFinding[]> {
  const git = simpleGit({ baseDir: dir });
  if (!(await git.checkIsRepo(CheckRepoActions.IS_REPO_ROOT))) return [];
  const hasHead = await git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).then(
    () => true,
    () => false,
  );
  if (!hasHead) return [];
  const output = await git.raw([
    "-c",
    "core.quotePath=false",
    "diff",
    "--no-renames",
    "--name-status",
    "HEAD",
    "--",
    ...new Set(paths),
  ]);
  const attachments = new Set(paths.slice(1));
  const head = chainHeadPath(paths[0] === "." ? "" : paths[0]!);
  return output.split("\n").flatMap((line): VerifyFinding[] => {
    const entry = /^([AMDT])\t(.+)$/.exec(line);
    if (!entry || entry[1] === "A") return [];
    const path = entry[2]!;
    if (!/\.ya?ml$/i.test(path) && path !== head && !attachments.has(path)) return [];
    const what = entry[1] === "D" ? "deleted" : "changed";
    return [
      {
        problem: "uncommitted-change",
        path,
        message: `was ${what} in the working tree after its last commit (not committed): the files checked are not what git history records`,
      },
    ];
  });
}

async function linkFreeFolders(root: string, path: string): Promise<boolean> {
  let folder = root;
  for (const segment of path.split("/").slice(0, -1)) {
    folder = join(folder, segment);
    const info = await lstat(folder).catch(() => undefined);
    if (!info || info.isSymbolicLink() || !info.isDirectory()) return false;
  }
  return true;
}
