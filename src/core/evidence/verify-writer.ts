import { asObject, asList } from "../json-read.js";
import type { ChainRecordInput } from "./verify-chain.js";
import type { VerifyFinding } from "./verify-records.js";

/** A git identity the App's store commits as: an email, with the name when it must match too. */
export interface WriterIdentity {
  name?: string;
  email: string;
}

/** Who must have committed the records of the hash chain, as `soc2 verify` checks it. */
export interface WriterExpectation {
  /** The App's identities; empty: the committer is not checked. */
  identities: WriterIdentity[];
  /** True when every commit that adds a chained record must be signed (the GitHub API store). */
  signed: boolean;
  /** Where the expectation comes from, for messages: the command line, or soc2.yml. */
  from: "option" | "soc2.yml";
}

/** The committers of the chain's records, for the auditor to see who wrote it. */
export interface WriterSummary {
  committer: string;
  records: number;
  signed: number;
}

const IDENTITY = /^(?:([^<>\n]*\S)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/;

/** `Name <email>` or a bare `email`; undefined when it is neither. */
export function parseIdentity(text: string): WriterIdentity | undefined {
  const m = IDENTITY.exec(text.trim());
  if (!m) return undefined;
  return m[3] ? { email: m[3] } : { name: m[1]!, email: m[2]! };
}

export const formatIdentity = (who: { name?: string; email: string }): string =>
  who.name ? `${who.name} <${who.email}>` : who.email;

/**
 * `evidence.writer` of a parsed soc2.yml: the identities the App commits as and whether its
 * commits are signed. Undefined when soc2.yml names none (the schema checks the form; values that
 * do not parse are left out here).
 */
export function writerOfProgram(programValue: unknown): WriterExpectation | undefined {
  const writer = asObject(asObject(asObject(programValue).evidence).writer);
  const identities = asList(writer.committers).flatMap((c) => {
    const parsed = typeof c === "string" ? parseIdentity(c) : undefined;
    return parsed ? [parsed] : [];
  });
  const signed = writer.signed === true;
  if (identities.length === 0 && !signed) return undefined;
  return { identities, signed, from: "soc2.yml" };
}

function matches(who: { name: string; email: string }, identity: WriterIdentity): boolean {
  return (
    who.email.toLowerCase() === identity.email.toLowerCase() &&
    (identity.name === undefined || identity.name === who.name)
  );
}

/**
 * Checks who committed each chained record against the App's identity, and that the commit is
 * signed where the store signs. Offline this catches a record appended (with chain-head.json
 * rewritten to match) by someone committing as themselves, or through plain git where the App
 * writes through GitHub's API. It cannot catch someone who sets the App's name and email on their
 * commit and signs nothing when signatures are not required, nor whoever holds the App's key:
 * only an anchor noted outside the repository does.
 */
export function checkWriters(
  records: readonly ChainRecordInput[],
  expected: WriterExpectation | undefined,
): { findings: VerifyFinding[]; writers: WriterSummary[] } {
  const findings: VerifyFinding[] = [];
  const writers = new Map<string, WriterSummary>();
  for (const record of records) {
    const sequence = record.facts?.sequence;
    if (sequence === undefined || !record.addedBy || !record.addedIn) continue;
    const by = record.addedBy;
    const who = formatIdentity(by);
    const summary = writers.get(who) ?? { committer: who, records: 0, signed: 0 };
    summary.records++;
    if (by.signed) summary.signed++;
    writers.set(who, summary);
    if (!expected) continue;
    const where = expected.from === "option" ? "--app-identity" : "evidence.writer in soc2.yml";
    if (expected.identities.length > 0 && !expected.identities.some((i) => matches(by, i)))
      findings.push({
        problem: "committer-unexpected",
        path: record.path,
        sequence,
        message: `was added by commit ${record.addedIn}, committed by ${who}, not by the App (${expected.identities.map(formatIdentity).join(", ")}, from ${where}): someone else wrote it into the chain`,
      });
    if (expected.signed && !by.signed)
      findings.push({
        problem: "commit-unsigned",
        path: record.path,
        sequence,
        message: `was added by commit ${record.addedIn}, which is not signed, but the App's commits are (from ${where}): it was not written through the App's store`,
      });
  }
  return {
    findings,
    writers: [...writers.values()].sort((a, b) => b.records - a.records || (a.committer < b.committer ? -1 : 1)),
  };
}
