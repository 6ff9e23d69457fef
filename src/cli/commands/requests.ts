import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { isInside, MAX_ANSWER_FILE_BYTES } from "../../adapters/read-answer-files.js";
import { readRegularFile, readTextIfRegular } from "../../adapters/read-regular-file.js";
import { readRequestList } from "../../adapters/read-request-list.js";
import { readSource } from "../../adapters/read-repository.js";
import { writePlannedFiles } from "../../adapters/write-files.js";
import { countBySeverity, escapeControl, formatDiagnostic } from "../../core/diagnostics.js";
import { bytesDigest } from "../../core/digest.js";
import { LIMITS } from "../../core/limits.js";
import type { Repository } from "../../core/model.js";
import { loadSourceFile } from "../../core/source-file.js";
import { isDate } from "../../core/portal/index.js";
import { answerRequest } from "../../core/requests/answer.js";
import type { DateOrder } from "../../core/requests/cells.js";
import { FIELD_LABEL, columnLetter } from "../../core/requests/columns.js";
import type { PlannedFile } from "../../core/init-plan.js";
import {
  planImport,
  requestNotMapping,
  requestsDir,
  type ExistingRequestFile,
} from "../../core/requests/import-plan.js";
import { parseRequestList } from "../../core/requests/parse-list.js";
import type { AuditRequest } from "../../core/requests/request.js";
import { defaultPeriod, PERIOD_NAME, requestStatus } from "../../core/requests/status.js";
import { EXIT, UsageError, clockOf, parseFormat, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface ImportOptions {
  period?: string;
  dateOrder: string;
  sheet?: string;
  dryRun?: boolean;
}

/** The period the options name, else soc2.yml's; a usage error when neither says. */
function periodOf(option: string | undefined, repository: Repository): string {
  const period = option ?? defaultPeriod(repository.program);
  if (period === undefined)
    throw new UsageError(
      "pass --period <name> (e.g. 2026): soc2.yml has no audit.period or audit.as_of to take it from",
    );
  if (!PERIOD_NAME.test(period))
    throw new UsageError(
      `--period "${period}" is not a folder name: use letters, digits, dots and hyphens, e.g. 2026 or fy2026`,
    );
  return period;
}

/**
 * `soc2 requests import <list> [dir]`: reads the auditor's request list and writes (or updates)
 * one file per request under audit/<period>/requests/. A list with an error writes nothing.
 */
export async function importRequestsCommand(
  list: string,
  dirArg: string | undefined,
  options: ImportOptions,
  io: Output,
): Promise<number> {
  const dateOrder = parseDateOrder(options.dateOrder);
  const dir = resolve(dirArg ?? ".");
  const { repository } = await loadAndValidate(dir, clockOf(io), { retain: "summary" });
  const period = periodOf(options.period, repository);
  const read = await readRequestList(resolve(list), list);
  if (!read.ok) {
    io.err(formatDiagnostic(read.diagnostic) + "\n");
    return EXIT.findings;
  }
  const sheets = options.sheet ? read.sheets.filter((s) => s.sheet === options.sheet) : read.sheets;
  if (sheets.length === 0)
    throw new UsageError(
      `${list} has no sheet "${options.sheet}": its sheets are ${read.sheets.map((s) => (s.sheet === undefined ? s.path : `"${s.sheet}"`)).join(", ")}`,
    );
  const attempts = sheets.map((sheet) => parseRequestList(sheet, { dateOrder }));
  const parsed = attempts.find((p) => p.headerLine !== undefined) ?? attempts[0]!;
  const sheetName = sheets[attempts.indexOf(parsed)]!.path;

  if (parsed.headerLine !== undefined) {
    io.out(`Read ${sheetName}, header on row ${parsed.headerLine}:\n`);
    for (const c of parsed.columns)
      io.out(`  column ${columnLetter(c.column)} "${c.header}" → ${FIELD_LABEL[c.field]}\n`);
    for (const c of parsed.ignored)
      io.out(`  column ${columnLetter(c.column)} "${c.header}" → ignored\n`);
  }
  for (const d of parsed.diagnostics) io.err(formatDiagnostic(d) + "\n");
  const { errors } = countBySeverity(parsed.diagnostics);
  if (errors > 0) {
    io.err(`✗ ${errors} error(s) in ${list}: nothing written; fix the list and import it again\n`);
    return EXIT.findings;
  }

  const existing = await existingRequestFiles(dir, period);
  const plan = planImport(parsed.requests, existing, repository, {
    period,
    sourceName: basename(list),
  });
  const conflicts: string[] = [];
  if (!options.dryRun) {
    const created = new Set(plan.created);
    await writePlannedFiles(
      dir,
      plan.files.filter((f) => !created.has(f.path)),
    );
    conflicts.push(
      ...(await createFiles(
        dir,
        plan.files.filter((f) => created.has(f.path)),
      )),
    );
  }
  const verb = options.dryRun ? "would write" : "wrote";
  const notUpdated = plan.unreadable.length + conflicts.length;
  io.out(
    `${options.dryRun ? "Dry run: " : notUpdated > 0 ? "✗ " : "✓ "}${parsed.requests.length} request(s) → ${requestsDir(period)}/: ` +
      `${plan.created.length - conflicts.length} new, ${plan.updated.length} updated, ${plan.unchanged.length} unchanged` +
      `${notUpdated > 0 ? `, ${notUpdated} not updated (see below)` : ""} (${verb} ${plan.files.length - conflicts.length} file(s))\n`,
  );
  if (parsed.ambiguousDates > 0)
    io.out(
      `  ${parsed.ambiguousDates} due date(s) such as 03/04/2026 read ${dateOrder === "mdy" ? "month first (M/D/YYYY)" : "day first (D/M/YYYY)"}; if the list means the other order, import again with --date-order ${dateOrder === "mdy" ? "dmy" : "mdy"}\n`,
    );
  for (const { path, problem } of plan.unreadable)
    io.err(
      `warning: ${escapeControl(path)} is unreadable, so it was not updated: fix ${problem.rule.startsWith("yaml-") ? "its YAML" : "the file"} first (${formatDiagnostic(problem)}), then import again\n`,
    );
  for (const path of conflicts)
    io.err(
      `warning: ${escapeControl(path)} appeared while the list was imported, so it was not overwritten: import again to update it\n`,
    );
  for (const path of plan.notInList)
    io.out(`  ${path}: no longer in the list; kept (delete it if the auditor withdrew it)\n`);
  io.out(
    "  Each request lists suggested controls and policies; a person confirms them in a pull request:\n" +
      `  soc2 requests answer <id> --period ${period} --control <id> --evidence <file> (or --accept-suggested)\n`,
  );
  return notUpdated > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Every request file of the period on disk, read as soc2 validate reads it. A file that cannot be
 * read (a YAML error, over the size limit, a link or a folder) is listed with its problem, so the
 * import reports it instead of taking its request for a new one and replacing it.
 */
async function existingRequestFiles(dir: string, period: string): Promise<ExistingRequestFile[]> {
  const folder = requestsDir(period);
  let names: string[];
  try {
    names = await readdir(join(dir, folder));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    throw new UsageError(
      code === "ENOTDIR"
        ? `${folder} is not a folder: move what is there out of the way and import again`
        : `${folder} could not be listed (${code ?? String(error)}): check its permissions`,
    );
  }
  const files: ExistingRequestFile[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const path = `${folder}/${name}`;
    const source = await readSource(dir, path, LIMITS.maxProgramFileBytes);
    const loaded = loadSourceFile(source, "request");
    const value = loaded.file?.parsed.value;
    const problem =
      loaded.diagnostics.find((d) => d.severity === "error" && d.rule.startsWith("yaml-")) ??
      loaded.diagnostics.find((d) => d.severity === "error" && !loaded.file);
    if (problem) files.push({ path, problem });
    else if (source.bytes && value !== null && typeof value === "object" && !Array.isArray(value))
      files.push({ path, text: new TextDecoder().decode(source.bytes) });
    else files.push({ path, problem: requestNotMapping(path) });
  }
  return files;
}

/** Writes new request files exclusively: a file that exists by now is left as it is, and named. */
async function createFiles(dir: string, files: readonly PlannedFile[]): Promise<string[]> {
  const existed: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(target, file.content, { encoding: "utf8", flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      existed.push(file.path);
    }
  }
  return existed;
}

function parseDateOrder(value: string): DateOrder {
  if (value === "mdy" || value === "dmy") return value;
  throw new UsageError(`--date-order "${value}": use mdy (03/04/2026 is March 4) or dmy (April 3)`);
}

export interface StatusOptions {
  period?: string;
  asOf?: string;
  format: string;
}

/** `soc2 requests status [dir]`: open, answered, overdue and stale requests as of a date. */
export async function requestsStatusCommand(
  dirArg: string | undefined,
  options: StatusOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.asOf !== undefined && !isDate(options.asOf))
    throw new UsageError(`--as-of "${options.asOf}" is not a date: write it as YYYY-MM-DD`);
  const dir = resolve(dirArg ?? ".");
  const now = clockOf(io);
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  const { repository } = await loadAndValidate(dir, now, { retain: "summary" });
  const all = repository.requests ?? [];
  const period =
    options.period ??
    (all.some((r) => r.period === defaultPeriod(repository.program))
      ? defaultPeriod(repository.program)
      : undefined);
  const requests = period === undefined ? all : all.filter((r) => r.period === period);
  const report = requestStatus(requests, asOf);
  const where = period === undefined ? "audit/*/requests" : requestsDir(period);
  if (format === "json") {
    io.out(
      JSON.stringify(
        {
          period: period ?? null,
          as_of: asOf,
          counts: report.counts,
          items: report.items.map((i) => ({
            id: i.id,
            period: i.request.period,
            path: i.request.file.path,
            state: i.state,
            due: i.request.due ?? null,
            description: i.request.description,
            stale: i.stale,
            answer: i.request.answer
              ? {
                  controls: i.request.answer.controls,
                  evidence: i.request.answer.evidence.map((e) => e.path),
                }
              : null,
          })),
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    const c = report.counts;
    io.out(
      `${where}, as of ${asOf}: ${c.total} request(s): ${c.answered + c.stale} answered` +
        `${c.stale > 0 ? ` (${c.stale} stale)` : ""}, ${c.open + c.overdue} open${c.overdue > 0 ? ` (${c.overdue} overdue)` : ""}\n`,
    );
    if (c.total === 0)
      io.out(`  no requests: import the auditor's list with soc2 requests import <file>\n`);
    for (const item of report.items) io.out(statusLine(item.state, item.request, item.stale));
  }
  return report.counts.overdue + report.counts.stale > 0 ? EXIT.findings : EXIT.ok;
}

function statusLine(state: string, r: AuditRequest, stale: string[]): string {
  const first = escapeControl(r.description.split("\n")[0]!);
  const text = first.length > 70 ? `${first.slice(0, 69)}…` : first;
  const due = r.due ? `due ${r.due}` : "no due date";
  const id = escapeControl(r.id ?? r.file.path);
  let line = `${state.toUpperCase().padEnd(8)} ${id.padEnd(10)} ${due.padEnd(14)} ${text}\n`;
  if (r.answer && state !== "open" && state !== "overdue") {
    const parts = [
      ...r.answer.controls,
      ...r.answer.evidence.map((e) => e.path),
      ...(r.answer.note ? ["(note)"] : []),
    ];
    const who = `${r.answer.answeredOn ? ` ${r.answer.answeredOn}` : ""}${r.answer.answeredBy ? ` by ${r.answer.answeredBy}` : ""}`;
    line += `         answered${escapeControl(who)}: ${escapeControl(parts.join(", "))}\n`;
  }
  for (const path of stale)
    line += `         answer stale: ${escapeControl(path)} changed since it was frozen (or is gone)\n`;
  return line;
}

export interface AnswerOptions {
  period?: string;
  control?: string[];
  evidence?: string[];
  note?: string;
  by?: string;
  acceptSuggested?: boolean;
}

/**
 * `soc2 requests answer <id> [dir]`: records what answers a request and freezes the digest of
 * every evidence file of its answer. Run it again after a change to freeze the answer again.
 */
export async function answerRequestCommand(
  id: string,
  dirArg: string | undefined,
  options: AnswerOptions,
  io: Output,
): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  const now = clockOf(io);
  const { repository } = await loadAndValidate(dir, now, { retain: "summary" });
  const period = periodOf(options.period, repository);
  const request = (repository.requests ?? []).find(
    (r) => r.period === period && (r.id ?? "").toLowerCase() === id.toLowerCase(),
  );
  if (!request)
    throw new UsageError(
      `no request "${id}" in ${requestsDir(period)}: import the list first, or check --period`,
    );
  const controls = [
    ...(options.acceptSuggested ? request.suggested.controls : []),
    ...(options.control ?? []),
  ];
  const known = new Set(repository.controls.flatMap((c) => (c.id ? [c.id] : [])));
  const unknown = controls.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new UsageError(`no control ${unknown.join(", ")} in controls/: check the ID`);
  const policyFiles = options.acceptSuggested
    ? repository.policies
        .filter((p) => p.id !== undefined && request.suggested.policies.includes(p.id))
        .map((p) => p.file.path)
    : [];
  const evidence = [...policyFiles, ...(options.evidence ?? []).map((p) => p.replace(/^\.\//, ""))];
  const digests = new Map<string, string>();
  for (const path of [...(request.answer?.evidence.map((e) => e.path) ?? []), ...evidence]) {
    if (!isInside(path)) continue;
    const read = await readRegularFile(join(dir, path), MAX_ANSWER_FILE_BYTES);
    if (read.kind === "read") digests.set(path, bytesDigest(read.bytes));
  }
  const text = await readTextIfRegular(join(dir, request.file.path), LIMITS.maxProgramFileBytes);
  if (text === undefined) throw new UsageError(`${request.file.path} could not be read`);
  const result = answerRequest(text, {
    controls,
    evidence,
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(options.by === undefined ? {} : { answeredBy: options.by }),
    answeredOn: now.toISOString().slice(0, 10),
    digestOf: (path) => digests.get(path),
  });
  if (!result.ok) throw new UsageError(`${request.file.path}: ${result.problem}`);
  await writePlannedFiles(dir, [{ path: request.file.path, content: result.text }]);
  io.out(
    `✓ ${request.file.path}: answered; ${result.evidence.length} evidence file(s) frozen by digest\n` +
      result.evidence.map((e) => `  ${e.path}  ${e.digest}\n`).join(""),
  );
  return EXIT.ok;
}
