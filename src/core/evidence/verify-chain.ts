import { recordFacts, type RecordFacts, type RecordLink } from "./record-facts.js";
import { parseChainHead, type ChainHead } from "./chain-head.js";
import { chainHeadPath, normalizeEvidencePath } from "./record-path.js";

/** One evidence record file, as read from a checkout: what the checks need of it (`summarizeChainRecord`). */
export interface ChainRecordInput {
  /** Path from the repository root. */
  path: string;
  /** What the checks read of the parsed YAML; undefined when the file could not be read. */
  facts?: RecordFacts;
  /** Why the file could not be read, when it could not. */
  unreadable?: string;
  /** When the commit that added the file was made (ISO 8601), from git history. */
  addedAt?: string;
  /** That commit. */
  addedIn?: string;
  /** Who committed it, and whether the commit carries a signature (a gpgsig header), from git. */
  addedBy?: CommitWriter;
}

/** The committer of a commit, as git records it, and whether the commit is signed. */
export interface CommitWriter {
  name: string;
  email: string;
  /** True when the commit object carries a signature; offline, whether it is valid is not checked. */
  signed: boolean;
}

/** A commit that changed or removed a record after it was added. */
export interface HistoryChange {
  path: string;
  change: "modified" | "deleted";
  commit: string;
  at?: string;
}

/** A record digest noted outside the repository (an auditor's working papers, a release note). */
export interface ChainAnchor {
  sequence: number;
  digest: string;
}

export interface VerifyChainInput {
  evidencePath: string;
  records: readonly ChainRecordInput[];
  /** The text of chain-head.json; undefined when there is no such file. */
  head?: string;
  /** Changes to record files after they were added, from git history. */
  history?: readonly HistoryChange[];
  anchors?: readonly ChainAnchor[];
  /** How far apart two writers' clocks may be. Default 300 seconds. */
  clockSkewSeconds?: number;
  /** The longest a record may take to land after its recorded_at (retries, rate limits). Default 3600 seconds. */
  commitDelaySeconds?: number;
}

export type ChainProblem =
  | "record-unreadable"
  | "id-path-mismatch"
  | "digest-mismatch"
  | "chain-invalid"
  | "sequence-duplicate"
  | "sequence-missing"
  | "link-mismatch"
  | "out-of-order"
  | "head-missing"
  | "head-invalid"
  | "head-mismatch"
  | "committed-before-recorded"
  | "committed-after-recorded"
  | "record-modified"
  | "record-deleted"
  | "anchor-mismatch";

/** Something that shows a record was changed, deleted, inserted or back-dated. */
export interface ChainFinding {
  problem: ChainProblem;
  /** The file the finding is about: the record, or chain-head.json. */
  path: string;
  sequence?: number;
  message: string;
}

export interface ChainReport {
  /** True when nothing was found. */
  ok: boolean;
  findings: ChainFinding[];
  /** How many records carry a chain link. */
  chained: number;
  /** Records with no chain link (filed by people through pull requests): checked by digest and history only. */
  unchained: string[];
  /** The head as chain-head.json states it, when readable. */
  head?: ChainHead;
}

interface Chained extends RecordLink {
  path: string;
  id: unknown;
  input: ChainRecordInput;
}

/**
 * A record file as the checks take it, from its path and parsed YAML (undefined when it could not
 * be read): only the facts they read, so that the parsed value can be dropped right away.
 */
export function summarizeChainRecord(path: string, value: unknown): ChainRecordInput {
  const facts = recordFacts(value);
  return facts ? { path, facts } : { path };
}

/**
 * Checks the evidence hash chain of a checkout, offline: every record's content digest, every
 * link, the order of sequence and recorded_at, the head file, and (when given) the commit times
 * and history from git. Pure: the caller reads the files and git history.
 */
export function verifyChain(input: VerifyChainInput): ChainReport {
  const skewMs = (input.clockSkewSeconds ?? 300) * 1000;
  const delayMs = (input.commitDelaySeconds ?? 3600) * 1000;
  const folder = normalizeEvidencePath(input.evidencePath);
  const headPath = chainHeadPath(folder);
  const findings: ChainFinding[] = [];
  const report = (problem: ChainProblem, path: string, message: string, sequence?: number) =>
    findings.push({ problem, path, message, ...(sequence === undefined ? {} : { sequence }) });

  const unchained: string[] = [];
  const bySequence = new Map<number, Chained[]>();
  for (const record of input.records) {
    const v = record.facts;
    if (!v?.mapping) {
      report(
        "record-unreadable",
        record.path,
        `cannot be read as an evidence record${record.unreadable ? ` (${record.unreadable})` : ""}: run soc2 validate for details`,
      );
      continue;
    }
    const expectedId = idOf(record.path, folder);
    if (v.id !== expectedId)
      report(
        "id-path-mismatch",
        record.path,
        `its id is ${JSON.stringify(v.id)} but its path says ${expectedId}: the record was moved or renamed after it was written`,
      );
    checkDigest(record.path, v, report);
    if (!v.chained) {
      unchained.push(record.path);
      continue;
    }
    const link = v.link;
    if (!link) {
      report(
        "chain-invalid",
        record.path,
        "its chain field is not { sequence: a whole number ≥ 1, previous: a sha256 digest or null }: the record was edited",
      );
      continue;
    }
    // A plain literal and a push: spreading would make every entry several times larger.
    const entry: Chained = {
      sequence: link.sequence,
      previous: link.previous,
      digest: link.digest,
      recordedAt: link.recordedAt,
      path: record.path,
      id: v.id,
      input: record,
    };
    const claims = bySequence.get(link.sequence);
    if (claims) claims.push(entry);
    else bySequence.set(link.sequence, [entry]);
  }

  const headRead = input.head === undefined ? undefined : parseChainHead(input.head);
  const head = headRead?.ok ? headRead.head : undefined;
  const chain = resolveDuplicates(bySequence, head, report);
  const sequences = [...chain.keys()].sort((a, b) => a - b);

  checkGaps(sequences, chain, head, headPath, report);
  checkLinksAndOrder(sequences, chain, skewMs, report);
  checkHead(input.head, headRead, head, sequences, chain, headPath, report);
  for (const sequence of sequences) checkCommitTime(chain.get(sequence)!, skewMs, delayMs, report);

  for (const change of input.history ?? []) {
    if (!isRecordPath(change.path, folder)) continue;
    const when = change.at ? ` on ${change.at}` : "";
    if (change.change === "deleted")
      report(
        "record-deleted",
        change.path,
        `was deleted by commit ${change.commit}${when}: evidence is append-only`,
      );
    else
      report(
        "record-modified",
        change.path,
        `was changed by commit ${change.commit}${when} after it was added: evidence is append-only`,
      );
  }

  for (const anchor of input.anchors ?? []) {
    const entry = chain.get(anchor.sequence);
    if (!entry)
      report(
        "anchor-mismatch",
        headPath,
        `record ${anchor.sequence}, noted outside the repository as ${anchor.digest}, is not in the chain`,
        anchor.sequence,
      );
    else if (entry.digest !== anchor.digest)
      report(
        "anchor-mismatch",
        entry.path,
        `hashes to ${entry.digest}, not ${anchor.digest} as noted outside the repository: the chain was rewritten from here on`,
        anchor.sequence,
      );
  }

  findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.problem.localeCompare(b.problem) ||
      (a.sequence ?? 0) - (b.sequence ?? 0),
  );
  return {
    ok: findings.length === 0,
    findings,
    chained: sequences.length,
    unchained: unchained.sort(),
    ...(head ? { head } : {}),
  };
}

/** `path: message [problem]`, one line. */
export function formatChainFinding(finding: ChainFinding): string {
  return `${finding.path}: ${finding.message} [${finding.problem}]`;
}

type Report = (problem: ChainProblem, path: string, message: string, sequence?: number) => void;

function idOf(path: string, folder: string): string {
  const inside = folder === "" ? path : path.slice(folder.length + 1);
  return inside.replace(/\.ya?ml$/i, "");
}

function isRecordPath(path: string, folder: string): boolean {
  return (folder === "" || path.startsWith(`${folder}/`)) && /\.ya?ml$/i.test(path);
}

function checkDigest(path: string, v: RecordFacts, report: Report): void {
  if (!v.sealed) {
    if (v.chained)
      report("digest-mismatch", path, "has no valid digest: the record was edited after it was written");
    return;
  }
  if (v.contentMismatch) {
    const { recorded, actual } = v.contentMismatch;
    report(
      "digest-mismatch",
      path,
      `its content hashes to ${actual}, not to its digest ${recorded}: the content was changed after the record was written`,
    );
  }
}

/**
 * One record per sequence. When several claim the same place, the one its successor (or the head)
 * links to is the original; the others were inserted.
 */
function resolveDuplicates(
  bySequence: Map<number, Chained[]>,
  head: ChainHead | undefined,
  report: Report,
): Map<number, Chained> {
  const chain = new Map<number, Chained>();
  for (const [sequence, entries] of bySequence) {
    if (entries.length === 1) {
      chain.set(sequence, entries[0]!);
      continue;
    }
    const successors = bySequence.get(sequence + 1) ?? [];
    const expected = new Set<string>(successors.flatMap((s) => (s.previous ? [s.previous] : [])));
    if (head?.sequence === sequence) expected.add(head.digest);
    const original = entries.filter((e) => expected.has(e.digest));
    const kept = original.length === 1 ? original[0] : undefined;
    const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const entry of sorted) {
      if (entry === kept) continue;
      const others = sorted.filter((e) => e !== entry).map((e) => e.path);
      report(
        "sequence-duplicate",
        entry.path,
        `claims place ${sequence} in the chain, like ${others.join(", ")}: ${kept ? "the chain links to the other record, so this one was inserted" : "one of them was inserted"}`,
        sequence,
      );
    }
    chain.set(sequence, kept ?? sorted[0]!);
  }
  return chain;
}

function checkGaps(
  sequences: number[],
  chain: Map<number, Chained>,
  head: ChainHead | undefined,
  headPath: string,
  report: Report,
): void {
  const top = Math.max(sequences.at(-1) ?? 0, head?.sequence ?? 0);
  let expected = 1;
  const present = [...sequences, top + 1];
  for (const sequence of present) {
    if (sequence > expected) {
      const last = sequence - 1;
      const before = chain.get(expected - 1)?.path;
      const after = chain.get(sequence)?.path;
      const which = expected === last ? `record ${expected}` : `records ${expected} to ${last}`;
      const where =
        before && after
          ? ` (between ${before} and ${after})`
          : after
            ? ` (before ${after})`
            : before
              ? ` (after ${before}; chain-head.json names ${top})`
              : "";
      report(
        "sequence-missing",
        after ?? headPath,
        `${which} of the chain ${expected === last ? "is" : "are"} missing${where}: a record was deleted, or its chain field removed`,
        expected,
      );
    }
    expected = sequence + 1;
  }
}

function checkLinksAndOrder(
  sequences: number[],
  chain: Map<number, Chained>,
  skewMs: number,
  report: Report,
): void {
  let previous: Chained | undefined;
  for (const sequence of sequences) {
    const entry = chain.get(sequence)!;
    if (sequence === 1 && entry.previous !== null)
      report(
        "link-mismatch",
        entry.path,
        "is the first record of the chain but names a previous record: records before it were removed, or it was edited",
        sequence,
      );
    if (sequence > 1 && entry.previous === null)
      report(
        "link-mismatch",
        entry.path,
        `is record ${sequence} of the chain but names no previous record: it was edited or inserted`,
        sequence,
      );
    const adjacent = previous && previous.sequence === sequence - 1 ? previous : undefined;
    if (adjacent && entry.previous !== null) {
      const actual = adjacent.digest;
      if (actual !== entry.previous)
        report(
          "link-mismatch",
          adjacent.path,
          `hashes to ${actual}, but the next record (${entry.path}) was written after a record hashing to ${entry.previous}: this record was changed after ${entry.path} was written, or ${entry.path} was inserted`,
          adjacent.sequence,
        );
    }
    if (previous) {
      const before = Date.parse(previous.recordedAt);
      const at = Date.parse(entry.recordedAt);
      if (Number.isFinite(before) && Number.isFinite(at) && at < before - skewMs)
        report(
          "out-of-order",
          entry.path,
          `was recorded at ${entry.recordedAt}, before record ${previous.sequence} (${previous.path}, recorded at ${previous.recordedAt}) that precedes it in the chain: it was back-dated or inserted out of order`,
          sequence,
        );
    }
    previous = entry;
  }
}

function checkHead(
  text: string | undefined,
  read: ReturnType<typeof parseChainHead> | undefined,
  head: ChainHead | undefined,
  sequences: number[],
  chain: Map<number, Chained>,
  headPath: string,
  report: Report,
): void {
  const last = sequences.at(-1);
  if (text === undefined) {
    if (last !== undefined)
      report(
        "head-missing",
        headPath,
        `is missing, but ${sequences.length} records carry a chain link: it was deleted`,
      );
    return;
  }
  if (read && !read.ok) {
    report("head-invalid", headPath, `cannot be read: ${read.problem}`);
    return;
  }
  if (!head) return;
  if (last === undefined) {
    report(
      "head-mismatch",
      headPath,
      `names record ${head.sequence} (${head.path}), but no record carries a chain link: the records were deleted or their chain fields removed`,
    );
    return;
  }
  if (head.sequence < last) {
    const after = sequences.filter((s) => s > head.sequence).map((s) => chain.get(s)!.path);
    report(
      "head-mismatch",
      headPath,
      `names record ${head.sequence} as the last, but the chain goes on to ${last} (${after.join(", ")}): records were added without the store, or the head was rolled back`,
    );
  }
  const entry = chain.get(head.sequence);
  if (!entry) return; // reported as a missing sequence
  const problems: string[] = [];
  if (head.record !== entry.id)
    problems.push(`names record ${head.record}, but record ${head.sequence} is ${String(entry.id)}`);
  if (head.path !== entry.path)
    problems.push(`names path ${head.path}, but record ${head.sequence} is at ${entry.path}`);
  const actual = entry.digest;
  if (head.digest !== actual)
    problems.push(
      `holds digest ${head.digest}, but record ${head.sequence} (${entry.path}) hashes to ${actual}: that record was changed after it was written`,
    );
  if (problems.length > 0) report("head-mismatch", headPath, problems.join("; "), head.sequence);
}

function checkCommitTime(entry: Chained, skewMs: number, delayMs: number, report: Report): void {
  const addedAt = entry.input.addedAt;
  if (addedAt === undefined) return;
  const committed = Date.parse(addedAt);
  const recorded = Date.parse(entry.recordedAt);
  if (!Number.isFinite(committed) || !Number.isFinite(recorded)) return;
  const commit = entry.input.addedIn ? `commit ${entry.input.addedIn}` : "the commit that added it";
  if (committed < recorded - skewMs)
    report(
      "committed-before-recorded",
      entry.path,
      `${commit} was made at ${addedAt}, before its recorded_at ${entry.recordedAt}: recorded_at was changed`,
      entry.sequence,
    );
  else if (committed > recorded + delayMs)
    report(
      "committed-after-recorded",
      entry.path,
      `says it was recorded at ${entry.recordedAt}, but ${commit} added it only at ${addedAt}: it was back-dated`,
      entry.sequence,
    );
}
