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
  unchainedAppRecords,
  unsealedRecords,
  type Attachment,
  type AttachmentFound,
  type VerifyFinding,
  type VerifyProblem,
} from "../../core/evidence/verify-records.js";
import { evidencePathOf } from "../../core/model.js";
import { readProgramValue } from "../../adapters/read-repository.js";
import {
  checkWriters,
  formatIdentity,
  parseIdentity,
  writerOfProgram,
  type WriterExpectation,
  type WriterIdentity,
} from "../../core/evidence/verify-writer.js";

export type { VerifyFinding, VerifyProblem };

/**
 * `soc2 verify`: reads the evidence of a checkout and checks, offline, every record's content
 * digest (chained or not), the hash chain and chain-head.json, git history (commit times, edits,
 * deletions), attachments against their digests, and uncommitted edits of committed evidence.
 * Exit 0 clean, 1 tampered, 2 usage error.
 */
export async function verifyCommand(
  dirArg: string | undefined,
  options: VerifyOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const anchors = (options.anchor ?? []).map(parseAnchor);
  const identities = (options.appIdentity ?? []).map(parseAppIdentity);
  const dir = resolve(dirArg ?? ".");
  await requireDirectory(dir);
  const programValue = await readProgramValue(dir);
  const evidencePath = evidencePathOf(programValue);
  const expected = writerExpectation(identities, options.requireSigned === true, programValue);
  const folder = await stat(join(dir, evidencePath)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(
      `${dir} is not an evidence repository: it has no ${evidencePath}/ folder (soc2.yml's evidence.path)`,
    );

  const input = await readEvidenceChain(dir, { evidencePath });
  const report = verifyChain({ ...input, anchors });
  const writers = input.history ? checkWriters(input.records, expected) : undefined;
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
          ...(writers ? { writers: writers.writers } : {}),
          ...(expected ? { expectedWriter: expectedJson(expected) } : {}),
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
      (anchors.length > 0 ? `, ${anchors.length} anchor(s) ${ok ? "held" : "checked"}` : "") +
      (expected && writers ? `, committers checked (${describeExpected(expected)})` : "");
    const verdict = ok
      ? ""
      : `: ${findings.length} finding(s): evidence was changed, deleted, inserted or back-dated`;
    const noHistory = input.history
      ? ""
      : " (not a git repository: commit times, edits and deletions in history not checked)";
    io.out(`${counts}${verdict}${noHistory}\n`);
    // Who wrote the chain, so an auditor sees an unexpected committer even without --app-identity.
    if (writers && writers.writers.length > 0)
      io.out(
        `chain committed by: ${writers.writers.map((w) => `${escapeControl(w.committer)} (${w.records} record(s), ${w.signed === w.records ? "signed" : w.signed === 0 ? "unsigned" : `${w.signed} signed`})`).join("; ")}\n`,
      );
    for (const f of findings)
      io.out(`${escapeControl(f.path)}: ${f.problem}: ${escapeControl(f.message)}\n`);
  }
  return ok ? EXIT.ok : EXIT.findings;
}

export interface VerifyOptions {
  format: string;
  anchor?: string[];
  /** The App's committer identities (Name <email>, or email); overrides soc2.yml's evidence.writer. */
  appIdentity?: string[];
  /** Every commit that adds a chained record must be signed. */
  requireSigned?: boolean;
}

/** The command line's expectation when it states one, else soc2.yml's evidence.writer. */
function writerExpectation(
  identities: WriterIdentity[],
  requireSigned: boolean,
  programValue: unknown,
): WriterExpectation | undefined {
  if (identities.length > 0 || requireSigned)
    return { identities, signed: requireSigned, from: "option" };
  return writerOfProgram(programValue);
}

function describeExpected(expected: WriterExpectation): string {
  const parts = [
    ...(expected.identities.length > 0 ? [expected.identities.map(formatIdentity).join(", ")] : []),
    ...(expected.signed ? ["signed"] : []),
  ];
  return `${parts.join(", ")}, from ${expected.from === "option" ? "the command line" : "soc2.yml"}`;
}

function expectedJson(expected: WriterExpectation) {
  return {
    committers: expected.identities.map(formatIdentity),
    signed: expected.signed,
    from: expected.from,
  };
}

function parseAppIdentity(text: string): WriterIdentity {
  const identity = parseIdentity(text);
  if (!identity)
    throw new UsageError(
      `--app-identity "${text}" is not an identity: give the App's committer as "Name <email>" or as an email, e.g. "soc2-as-code[bot] <123456+soc2-as-code[bot]@users.noreply.github.com>"`,
    );
  return identity;
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
