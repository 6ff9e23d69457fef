import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  HistoryError,
  readBranchHistories,
  type HistorySource,
} from "../../adapters/git-history.js";
import { SpilledPopulation } from "../../adapters/spilled-population.js";
import {
  csvChunks,
  writeChunksAtomically,
  writeXlsx,
  type AboutLines,
} from "../../adapters/spreadsheet.js";
import { readProgramValue } from "../../adapters/read-repository.js";
import {
  CompletenessMatcher,
  recordedChange,
  renderCompletenessText,
  type CompletenessReport,
} from "../../core/audit/completeness.js";
import { changeItemOf, inPopulation, populationTable } from "../../core/audit/population.js";
import { countBySeverity } from "../../core/diagnostics.js";
import { jsonWithListInPieces } from "../../core/json-pieces.js";
import { parseChainHead } from "../../core/evidence/chain-head.js";
import { CHAIN_HEAD_FILE } from "../../core/evidence/record-path.js";
import { asObject, asStrings, type Repository } from "../../core/model.js";
import { EXIT, parseFormat, UsageError, type Output, clockOf } from "../output.js";
import { VERSION } from "../version.js";
import { requireDirectory } from "./directory.js";
import { loadAndValidate } from "./validate.js";

export interface PopulationOptions {
  from: string;
  to: string;
  repo?: string;
  history?: string[];
  format: string;
  out?: string;
}

/**
 * `soc2 population`: every change in a period with its approval facts, exceptions flagged, as
 * CSV, XLSX or JSON; with --history, the completeness check against each protected branch's git
 * history. Exit 0, 1 when a commit is unaccounted for, 2 on a usage error.
 */
export async function populationCommand(
  dirArg: string | undefined,
  options: PopulationOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["csv", "xlsx", "json"] as const);
  const { from, to } = parsePeriod(options.from, options.to);
  if (format === "xlsx" && !options.out)
    throw new UsageError(
      "--format xlsx writes a binary workbook: pass --out <file>.xlsx (CSV and JSON can go to standard output)",
    );
  const only = options.repo === undefined ? undefined : parseRepositoryName(options.repo, "--repo");
  const sources = parseHistorySources(options.history ?? [], only);

  const dir = resolve(dirArg ?? ".");
  // The rows are taken from each record as it streams by, and wait in a temporary file for the
  // sort into merge order: neither the records nor the rows are all in memory.
  const filter = { from, to, ...(only ? { repository: only } : {}) };
  const rows = new SpilledPopulation();
  try {
    let exceptions = 0;
    const repositories = new Set<string>();
    // The histories are read first, so that each change is matched as its record streams by.
    const matcher = sources.length > 0 ? await matcherFor(dir, sources, from, to) : undefined;
    const { repository, diagnostics } = await loadAndValidate(dir, clockOf(io), {
      retain: "summary",
      onRecord: (record) => {
        const item = changeItemOf(record);
        if (!item) return;
        if (inPopulation(item, filter)) {
          rows.add(item);
          if (item.exception) exceptions++;
          repositories.add(item.repository);
        }
        matcher?.add(recordedChange(record, item));
      },
    });
    warnIfInvalid(diagnostics, dir, io);
    // From here on only soc2.yml is read of the repository: the records' summaries (about 0.6 KB
    // each, kept for the checks across records) go before the population is written.
    repository.evidence.length = 0;
    const count = rows.size;
    const items = () => rows.inMergeOrder();

    const completeness: CompletenessReport | undefined = matcher?.finish(
      [...repositories, ...boundaryRepositories(repository)].filter(
        (r) => only === undefined || r.toLowerCase() === only.toLowerCase(),
      ),
    );

    const scope = only ? ` in ${only}` : "";
    if (format === "csv") await emit(csvChunks(populationTable(items())), options.out, io);
    else if (format === "json")
      await emit(
        jsonWithListInPieces(
          {
            period: { from, to },
            ...(only ? { repository: only } : {}),
            count,
            exceptions,
            changes: [],
            completeness: completeness ?? {
              checked: false,
              reason:
                "no --history given: the git history of the product repositories was not read",
            },
          },
          "changes",
          items(),
        ),
        options.out,
        io,
      );
    else
      await writeXlsx(
        resolve(options.out!),
        populationTable(items()),
        [
          ...aboutLines(dir, from, to, only, { count, exceptions }, completeness),
          [
            "dates",
            "UTC, stored as Excel dates (merged at, recorded at, review due, committed at)",
          ],
          ["evidence chain head", await chainHeadLine(dir, repository)],
          ["soc2-as-code version", VERSION],
        ],
        completeness
          ? [
              {
                name: "Unaccounted commits",
                columns: ["repository", "branch", "sha", "committed at", "author", "subject"],
                dates: [3],
                rows: completeness.unaccounted.map((c) => [
                  c.repository,
                  c.branch,
                  c.sha,
                  c.committedAt,
                  c.author + (c.authorEmail ? ` <${c.authorEmail}>` : ""),
                  c.subject,
                ]),
              },
            ]
          : [],
      );

    io.err(
      `${count} change(s) merged from ${from} to ${to}${scope}; ${exceptions} exception(s) flagged` +
        (options.out ? `; written to ${options.out}` : "") +
        "\n",
    );
    if (completeness) io.err(renderCompletenessText(completeness));
    else
      io.err(
        "completeness not checked: the evidence repository does not hold the product repositories' git history.\n" +
          "  To check that every commit on each protected branch is in this population, clone each repository and pass\n" +
          "  --history <owner/name>=<path to the clone> (repeatable); commits tied to no record are listed and the exit status is 1.\n",
      );
    return completeness && !completeness.complete ? EXIT.findings : EXIT.ok;
  } finally {
    rows.close();
  }
}

/** --from and --to as checked days (YYYY-MM-DD), from not after to. */
export function parsePeriod(fromArg: string, toArg: string): { from: string; to: string } {
  const from = parseDay(fromArg, "--from");
  const to = parseDay(toArg, "--to");
  if (from > to)
    throw new UsageError(
      `--from ${from} is after --to ${to}: the period must start before it ends`,
    );
  return { from, to };
}

export function parseDay(value: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.toISOString().slice(0, 10) !== value.trim())
    throw new UsageError(
      `${option} "${value}" is not a date: write it as YYYY-MM-DD (e.g. 2026-07-01)`,
    );
  return value.trim();
}

export function parseRepositoryName(value: string, option: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(value))
    throw new UsageError(`${option} "${value}" is not a repository: write it as owner/name`);
  return value;
}

function parseHistorySources(specs: readonly string[], only: string | undefined): HistorySource[] {
  const sources = specs.map((spec) => {
    const at = spec.indexOf("=");
    if (at <= 0 || at === spec.length - 1)
      throw new UsageError(
        `--history "${spec}": write it as owner/name=path, e.g. --history acme/web=../web`,
      );
    return {
      repository: parseRepositoryName(spec.slice(0, at), "--history"),
      path: resolve(spec.slice(at + 1)),
    };
  });
  const seen = new Set<string>();
  for (const source of sources) {
    const key = source.repository.toLowerCase();
    if (seen.has(key))
      throw new UsageError(
        `--history names ${source.repository} twice: pass one clone per repository`,
      );
    seen.add(key);
    if (only !== undefined && key !== only.toLowerCase())
      throw new UsageError(
        `--history ${source.repository} is not the repository chosen with --repo ${only}: drop one of them`,
      );
  }
  return sources;
}

/**
 * A completeness matcher over the history of each protected branch of each clone given: the
 * branches are change_management.branches of soc2.yml, read here before the repository is
 * validated (a soc2.yml that is not valid is reported by the validation; its default is main).
 */
async function matcherFor(
  dir: string,
  sources: readonly HistorySource[],
  from: string,
  to: string,
): Promise<CompletenessMatcher> {
  await requireDirectory(dir);
  const patterns = protectedBranches(await readProgramValue(dir));
  const histories = [];
  for (const source of sources) {
    try {
      histories.push(...(await readBranchHistories(source, patterns, from)));
    } catch (error) {
      if (error instanceof HistoryError) throw new UsageError(error.message);
      throw error;
    }
  }
  return new CompletenessMatcher({ from, to, histories });
}

/** change_management.branches of soc2.yml (glob patterns), default main. */
function protectedBranches(program: unknown): string[] {
  const configured = asStrings(asObject(asObject(program).change_management).branches);
  return configured.length > 0 ? configured : ["main"];
}

function boundaryRepositories(repository: Repository): string[] {
  return asStrings(
    asObject(asObject(asObject(repository.program?.raw).system).boundaries).repositories,
  );
}

function warnIfInvalid(
  diagnostics: Parameters<typeof countBySeverity>[0],
  dir: string,
  io: Output,
): void {
  const { errors } = countBySeverity(diagnostics);
  if (errors > 0)
    io.err(
      `warning: soc2 validate finds ${errors} error(s) in ${dir}: records it cannot read are left out; run soc2 validate ${dir}\n`,
    );
}

async function emit(chunks: Iterable<string>, out: string | undefined, io: Output): Promise<void> {
  if (out) await writeChunksAtomically(resolve(out), chunks);
  else for (const chunk of chunks) io.out(chunk);
}

/**
 * The evidence chain's head as chain-head.json states it (sequence and record digest), so the
 * workbook names the exact state of the evidence it was drawn from; soc2 verify checks it.
 */
async function chainHeadLine(dir: string, repository: Repository): Promise<string> {
  const evidencePath = repository.program?.evidencePath ?? "evidence";
  const file = `${evidencePath}/${CHAIN_HEAD_FILE}`;
  const text = await readFile(join(dir, file), "utf8").catch(() => undefined);
  if (text === undefined) return `none: no ${file} (no chained records)`;
  const read = parseChainHead(text);
  if (!read.ok) return `unreadable ${file}: ${read.problem}`;
  return `sequence ${read.head.sequence}, ${read.head.digest} (from ${file}; check it with soc2 verify)`;
}

function aboutLines(
  dir: string,
  from: string,
  to: string,
  only: string | undefined,
  totals: { count: number; exceptions: number },
  completeness: CompletenessReport | undefined,
): AboutLines {
  const lines: AboutLines = [
    [
      "what",
      "Population of changes (SOC 2 CC8.1): one row per change record, exceptions highlighted",
    ],
    ["evidence repository", dir],
    ["period (merge date, UTC)", `${from} to ${to}`],
    ["repository", only ?? "all"],
    ["changes", totals.count],
    ["exceptions", totals.exceptions],
  ];
  if (!completeness)
    lines.push([
      "completeness",
      "not checked: re-run with --history <owner/name>=<clone> for each repository",
    ]);
  else {
    const t = completeness.totals;
    lines.push(
      [
        "completeness",
        completeness.complete ? "complete" : `${t.unaccounted} commit(s) unaccounted for`,
      ],
      ["commits on protected branches", t.commits],
      ["tied to a recorded change", t.recorded],
      ["tied to a recorded exception", t.exceptions],
      ["unaccounted for (see the sheet)", t.unaccounted],
    );
    for (const b of completeness.branches)
      lines.push([`${b.repository} ${b.branch}`, `${b.commits} commit(s) read from ${b.ref}`]);
    if (completeness.notChecked.length > 0)
      lines.push(["not checked (no history given)", completeness.notChecked.join(", ")]);
  }
  lines.push(["generated by", "soc2 population (soc2-as-code)"]);
  return lines;
}
