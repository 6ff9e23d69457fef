import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { verifyCheckout } from "../../adapters/evidence/verify-checkout.js";
import { readProgramValue } from "../../adapters/read-repository.js";
import { escapeControl } from "../../core/diagnostics.js";
import type { ChainAnchor } from "../../core/evidence/verify-chain.js";
import type { VerifyFinding, VerifyProblem } from "../../core/evidence/verify-records.js";
import {
  formatIdentity,
  parseIdentity,
  writerOfProgram,
  type WriterExpectation,
  type WriterIdentity,
} from "../../core/evidence/verify-writer.js";
import { evidencePathOf } from "../../core/model.js";
import { EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { requireDirectory } from "./directory.js";

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

  const { input, report, writers, attachmentCount, findings } = await verifyCheckout(dir, {
    evidencePath,
    anchors,
    expected,
  });
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
