import { readFile, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import pc from "picocolors";
import { glob } from "tinyglobby";
import { readSource } from "../../adapters/read-repository.js";
import {
  checkFacts,
  controlOwnersOf,
  evaluate,
  FACTS_SCHEMA_ID,
  needsControlOwners,
  readChangePolicy,
  renderVerdictText,
  type PullRequestFacts,
  type Verdict,
} from "../../core/change-management/index.js";
import { escapeControl, formatDiagnostic } from "../../core/diagnostics.js";
import { literalAt, NON_FINITE_FIX, nonFiniteJsonOffset } from "../../core/finite.js";
import { CONTROLS_DIR } from "../../core/layout.js";
import { LIMITS } from "../../core/limits.js";
import { readControl, type Control } from "../../core/model.js";
import { loadSourceFile } from "../../core/source-file.js";
import { EXIT, parseFormat, UsageError, type Output } from "../output.js";

/** Exit status of each verdict: CI treats 0 as success; 3 tells "not yet" apart from "no". */
const EXIT_FOR: Record<Verdict["result"], number> = {
  pass: EXIT.ok,
  fail: EXIT.findings,
  pending: 3,
};

/** Problems listed before the rest are summarized: enough to fix a file, not a wall of text. */
const MAX_PROBLEMS = 20;

/**
 * `soc2 evaluate <facts.json>`: re-computes a change-management verdict from a stored facts
 * snapshot and the policy in soc2.yml. The moment of evaluation is the snapshot's collected_at,
 * so running it again later, from the evidence, gives the same verdict.
 */
export async function evaluateCommand(
  factsPath: string,
  options: { config: string; format: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const facts = await readFacts(factsPath, io);
  const program = await readProgram(options.config, io);
  const controlOwners = needsControlOwners(readChangePolicy(program))
    ? controlOwnersOf(await readControls(dirname(options.config)))
    : {};
  const policy = readChangePolicy(program, controlOwners);
  const verdict = evaluate(facts, policy, { now: new Date(facts.collected_at) });
  if (format === "json") {
    io.out(JSON.stringify(verdict, null, 2) + "\n");
  } else {
    const text = renderVerdictText(verdict, facts);
    io.out(io.color ? colorize(text, verdict) : text);
  }
  return EXIT_FOR[verdict.result];
}

async function readFacts(path: string, io: Output): Promise<PullRequestFacts> {
  // A facts snapshot is stored as evidence, so it has the evidence limit. Checked before reading:
  // a huge file would otherwise be read whole (or fail as "cannot read"), and a FIFO would hang.
  const info = await stat(path).catch(() => undefined);
  if (info && !info.isFile())
    throw new UsageError(
      `${path} is not a regular file: pass the path of a pull-request facts file`,
    );
  if (info && info.size > LIMITS.maxEvidenceFileBytes)
    throw new UsageError(
      `${path} is too large (${megabytes(info.size)} MB; the limit is ${megabytes(LIMITS.maxEvidenceFileBytes)} MB): a facts snapshot of even a large pull request is well under a megabyte, so check that this is the right file`,
    );
  const text = await readFile(path, "utf8").catch(() => {
    throw new UsageError(`cannot read ${path}: pass the path of a pull-request facts file`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path}${jsonErrorPosition(text, error)}: not valid JSON: ${firstLine(error)}`,
    );
  }
  const nonFinite = nonFiniteJsonOffset(text);
  if (nonFinite !== undefined) {
    const before = text.slice(0, nonFinite).split("\n");
    throw new UsageError(
      `${path}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: ${literalAt(text, nonFinite)} is too large for a number (it reads as infinity, which no facts digest can hold): ${NON_FINITE_FIX} [non-finite-number]`,
    );
  }
  const checked = checkFacts(value);
  if (checked.ok) return checked.facts;
  for (const problem of checked.problems.slice(0, MAX_PROBLEMS))
    io.err(`${escapeControl(path)}: ${problem.path}: ${escapeControl(problem.message)}\n`);
  if (checked.problems.length > MAX_PROBLEMS)
    io.err(`${path}: … and ${checked.problems.length - MAX_PROBLEMS} more problem(s)\n`);
  throw new UsageError(
    `${path} is not a valid pull-request facts snapshot (format: ${FACTS_SCHEMA_ID})`,
  );
}

/** soc2.yml at `path`, parsed and valid, or a UsageError naming every problem (as `soc2 validate` would). */
export async function readProgram(
  path: string,
  io: Output,
  purpose = "its policy cannot be applied",
): Promise<unknown> {
  const source = await readSource(dirname(path), basename(path), LIMITS.maxProgramFileBytes).catch(
    () => {
      throw new UsageError(
        `cannot read ${path}: pass the compliance repository's soc2.yml with --config`,
      );
    },
  );
  // A missing, unreadable or non-regular file is a wrong --config, not a policy to diagnose.
  if (source.unreadable !== undefined || source.notRegular !== undefined)
    throw new UsageError(
      `cannot read ${path}${source.notRegular ? ` (${source.notRegular})` : ""}: pass the compliance repository's soc2.yml with --config`,
    );
  const loaded = loadSourceFile({ ...source, path }, "program");
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !loaded.file) {
    for (const d of errors.slice(0, MAX_PROBLEMS)) io.err(formatDiagnostic(d) + "\n");
    throw new UsageError(
      `${path} is not valid, so ${purpose}: fix it (soc2 validate lists every problem)`,
    );
  }
  return loaded.file.parsed.value;
}

/** The controls of the repository that holds soc2.yml, for approvers.control_owners. */
async function readControls(dir: string): Promise<Control[]> {
  const paths = await glob(`${CONTROLS_DIR}/**/*.{yml,yaml}`, {
    cwd: dir,
    onlyFiles: true,
    followSymbolicLinks: false,
    expandDirectories: false,
  });
  const controls: Control[] = [];
  for (const path of paths.sort()) {
    const loaded = loadSourceFile(
      await readSource(dir, path, LIMITS.maxProgramFileBytes),
      "control",
    );
    // A control with schema errors still names its owner; `soc2 validate` reports the errors.
    if (loaded.file) controls.push(readControl(loaded.file));
  }
  return controls;
}

/** Bytes as megabytes (MiB), with one decimal when it is not a whole number. */
function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

/** `:line:column` of a JSON syntax error, from the position Node reports, when it reports one. */
function jsonErrorPosition(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec(String(error instanceof Error ? error.message : error));
  if (!position) return "";
  const before = text.slice(0, Number(position[1])).split("\n");
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.replace(/ in JSON at position \d+.*$/, "");
}

function colorize(text: string, verdict: Verdict): string {
  const paint = { pass: pc.green, fail: pc.red, pending: pc.yellow }[verdict.result];
  return text.replace(
    /^(Change management: )(\w+)/,
    (_, label: string, result: string) => label + paint(result),
  );
}
