import { lstat, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CheckRepoActions, simpleGit } from "simple-git";
import { readEvidenceChain } from "../../adapters/evidence/read-chain.js";
import { readRegularFile } from "../../adapters/read-regular-file.js";
import { escapeControl } from "../../core/diagnostics.js";
import { bytesDigest } from "../../core/digest.js";
import { chainHeadPath } from "../../core/evidence/record-path.js";
import { verifyChain, type ChainAnchor } from "../../core/evidence/verify-chain.js";
import { EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { requireDirectory } from "./directory.js";
import {
  attachmentFinding,
  attachmentsOf,
  unsealedRecords,
  type Attachment,
  type AttachmentFound,
  type VerifyFinding,
  type VerifyProblem,
} from "../../core/evidence/verify-records.js";
import { evidencePathFromProgram } from "../../adapters/read-repository.js";

export type { VerifyFinding, VerifyProblem };

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
  const evidencePath = await evidencePathFromProgram(dir);
  const folder = await stat(join(dir, evidencePath)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(
      `${dir} is not an evidence repository: it has no ${evidencePath}/ folder (soc2.yml's evidence.path)`,
    );

  const input = await readEvidenceChain(dir, { evidencePath });
  const report = verifyChain({ ...input, anchors });
  const attachments = attachmentsOf(input.records);
  const attachmentCount = attachments.checkable.length + attachments.findings.length;
  const findings: VerifyFinding[] = [
    ...report.findings,
    ...unsealedRecords(input.records),
    ...attachments.findings,
    ...(await checkAttachments(dir, attachments.checkable)),
    ...(input.history
      ? await uncommittedChanges(dir, [
          input.evidencePath === "" ? "." : input.evidencePath,
          ...attachments.checkable.map((a) => a.path),
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
          attachments: attachmentCount,
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
      (attachmentCount > 0 ? `, ${attachmentCount} attachment(s) checked` : "") +
      (anchors.length > 0 ? `, ${anchors.length} anchor(s) ${ok ? "held" : "checked"}` : "");
    const verdict = ok
      ? ""
      : `: ${findings.length} finding(s): evidence was changed, deleted, inserted or back-dated`;
    const noHistory = input.history
      ? ""
      : " (not a git repository: commit times, edits and deletions in history not checked)";
    io.out(`${counts}${verdict}${noHistory}\n`);
    for (const f of findings)
      io.out(`${escapeControl(f.path)}: ${f.problem}: ${escapeControl(f.message)}\n`);
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
/** Each checkable attachment's bytes against the digest its record holds. */
async function checkAttachments(
  dir: string,
  checkable: readonly Attachment[],
): Promise<VerifyFinding[]> {
  const findings: VerifyFinding[] = [];
  for (const a of checkable) {
    const full = join(dir, a.path);
    // Every folder on the way must be a real folder: a link could lead outside the repository.
    const info = (await linkFreeFolders(dir, a.path))
      ? await lstat(full).catch(() => undefined)
      : undefined;
    // Read through the handle that was checked: never a link, never blocking on a FIFO.
    const read = info ? await readRegularFile(full, Number.MAX_SAFE_INTEGER) : undefined;
    const found: AttachmentFound =
      read === undefined
        ? "missing"
        : read.kind === "read"
          ? { digest: bytesDigest(read.bytes) }
          : read.kind === "not-regular"
            ? read.what === "a symbolic link"
              ? "link"
              : { notRegular: read.what }
            : read.kind === "unreadable"
              ? { unreadable: read.reason }
              : "missing";
    const finding = attachmentFinding(a, found);
    if (finding) findings.push(finding);
  }
  return findings;
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
