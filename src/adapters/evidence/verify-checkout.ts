import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { CheckRepoActions, simpleGit } from "simple-git";
import { bytesDigest } from "../../core/digest.js";
import { chainHeadPath } from "../../core/evidence/record-path.js";
import {
  verifyChain,
  type ChainAnchor,
  type ChainReport,
  type VerifyChainInput,
} from "../../core/evidence/verify-chain.js";
import {
  attachmentFinding,
  attachmentsOf,
  unchainedAppRecords,
  unsealedRecords,
  type Attachment,
  type AttachmentFound,
  type VerifyFinding,
} from "../../core/evidence/verify-records.js";
import {
  checkWriters,
  type WriterExpectation,
  type WriterSummary,
} from "../../core/evidence/verify-writer.js";
import { readRegularFile } from "../read-regular-file.js";
import { readEvidenceChain } from "./read-chain.js";

export interface CheckoutVerification {
  input: VerifyChainInput;
  /** The hash chain alone. */
  report: ChainReport;
  /** Who committed the chain (only with git history). */
  writers: { findings: VerifyFinding[]; writers: WriterSummary[] } | undefined;
  attachmentCount: number;
  /** Everything found, the chain's findings included, sorted by path, problem and place. */
  findings: VerifyFinding[];
}

/**
 * Every offline integrity check of an evidence checkout, as `soc2 verify` runs them: the hash
 * chain (with anchors), records sealed only by their digest, App records outside the chain, who
 * committed the chain, attachments against their digests, and evidence changed in the working
 * tree after its last commit. The portal shows the same findings as `soc2 verify`.
 */
export async function verifyCheckout(
  dir: string,
  options: { evidencePath: string; anchors?: ChainAnchor[]; expected?: WriterExpectation | undefined },
): Promise<CheckoutVerification> {
  const input = await readEvidenceChain(dir, { evidencePath: options.evidencePath });
  const report = verifyChain({ ...input, anchors: options.anchors ?? [] });
  const writers = input.history ? checkWriters(input.records, options.expected) : undefined;
  const attachments = attachmentsOf(input.records);
  const attachmentCount = attachments.checkable.length + attachments.findings.length;
  const findings: VerifyFinding[] = [
    ...report.findings,
    ...unsealedRecords(input.records),
    ...unchainedAppRecords(input.records),
    ...(writers?.findings ?? []),
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
  return { input, report, writers, attachmentCount, findings };
}

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
