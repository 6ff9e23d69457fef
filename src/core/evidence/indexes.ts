import { escapeMarkdown } from "../render/escape.js";
import type { AppendPlan } from "./append-plan.js";
import { CHAIN_HEAD_FILE, normalizeEvidencePath } from "./record-path.js";
import { segment } from "./records/ids.js";
import { driftEventSummary } from "../monitoring/drift-event.js";
import { asObject as obj, asString as str, type JsonObject as Json } from "../json-read.js";

/**
 * Browsable Markdown indexes of the evidence folder, so that an auditor can find every record on
 * GitHub with no tool:
 *
 *   <evidence>/README.md                                   the top: periods, controls, repositories
 *   <evidence>/index/by-period/<yyyy>-<mm>.md              records by the month they were recorded
 *   <evidence>/index/by-control/<CONTROL>.md               a control's months, with their counts
 *   <evidence>/index/by-control/<CONTROL>/<yyyy>-<mm>.md   records of a control recorded in a month
 *   <evidence>/index/by-repository/<owner>/<repo>.md       a repository's months, with their counts
 *   <evidence>/index/by-repository/<owner>/<repo>/<yyyy>-<mm>.md
 *                                                          records about a repository recorded in a month
 *
 * Each index is a Markdown table, one line per record, sorted by recorded time then id, each row
 * linking the record file relatively. Rows never depend on other records, so a store appends one
 * record by adding one line to each affected file (`updateIndexes`), and rebuilding everything
 * from all records (`buildIndexes`) gives the very same bytes.
 *
 * A control's and a repository's records are split by month (every change record names the
 * change-management control and its repository, so one file of them would grow by thousands of rows
 * a year, and an append rewrites the file it adds to): an append adds a row to the current month's
 * file and updates that month's count in the control's or repository's page, whatever the
 * repository's age.
 *
 * In README.md only the part between the two markers is generated; text around it (the folder's
 * own introduction) is kept as it is.
 */

/** What an index needs to know about one record. */
export interface IndexEntry {
  /** The record file, relative to the evidence folder (`reviews/…/x.yml`). */
  file: string;
  id: string;
  kind: string;
  controls: string[];
  /** `recorded_at` in UTC, to the second: `YYYY-MM-DDTHH:MM:SSZ`. */
  recordedAt: string;
  /** `content.repository.full_name`, when the record is about a repository. */
  repository?: string;
  /** One line saying what the record shows. */
  summary: string;
  /** The record's place in the hash chain (records written by a store); none for people's records. */
  sequence?: number;
}

/** One generated file: its path from the repository root and its text. */
export interface IndexFile {
  path: string;
  text: string;
}

export type IndexEntryRead = { ok: true; entry: IndexEntry } | { ok: false; problem: string };

export const INDEX_DIR = "index";
export const README_FILE = "README.md";
export const INDEX_START =
  "<!-- soc2-as-code:index:start (generated: edit outside these markers only; `soc2 index` rebuilds it) -->";
export const INDEX_END = "<!-- soc2-as-code:index:end -->";

/** The introduction of a README that did not exist yet. */
export const DEFAULT_README_INTRO = `# Evidence

Evidence records of the SOC 2 program, written by soc2-as-code and by people. Records are
append-only: never edit or delete one. Each record carries a digest of its content; records written
by the soc2-as-code App also carry a link to the record before it (a hash chain), and
chain-head.json names the last. \`soc2 validate\` and \`soc2 verify\` check them.
`;

const SUMMARY_MAX = 140;
const CONTROL_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const ROW = /^\| (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) \| (\d+|-) \| \[`([^`]+)`\]\(/;
const HEADER = ["Recorded (UTC)", "Chain", "Record", "Kind", "Controls", "Repository", "Summary"];

const short = (sha: unknown) => (typeof sha === "string" ? sha.slice(0, 7) : "?");

// ---------------------------------------------------------------------------------------------
// Entries

/**
 * The index entry of a parsed record; `file` is its path relative to the evidence folder. A
 * record without a readable `recorded_at` cannot be placed in time and is refused.
 */
export function indexEntry(file: string, value: unknown): IndexEntryRead {
  const record = obj(value);
  const recordedAt = utcSeconds(record.recorded_at);
  if (recordedAt === undefined)
    return { ok: false, problem: "recorded_at is missing or not a timestamp" };
  const kind = str(record.kind) ?? "unknown";
  const content = obj(record.content);
  const fullName = str(obj(content.repository).full_name);
  const repository = fullName === undefined ? undefined : repositoryKey(fullName);
  const sequence = obj(record.chain).sequence;
  return {
    ok: true,
    entry: {
      file,
      id: str(record.id) ?? file.replace(/\.ya?ml$/i, ""),
      kind,
      controls: (Array.isArray(record.controls) ? record.controls : []).filter(
        (c): c is string => typeof c === "string",
      ),
      recordedAt,
      ...(repository === undefined ? {} : { repository }),
      summary: summarize(kind, content),
      ...(Number.isSafeInteger(sequence) && (sequence as number) > 0
        ? { sequence: sequence as number }
        : {}),
    },
  };
}

/** The entry of the record a store is about to append. */
export function appendEntry(plan: AppendPlan): IndexEntryRead {
  return indexEntry(`${plan.record.id}.yml`, plan.record);
}

/** `YYYY-MM-DDTHH:MM:SSZ`, or undefined when the value is not an ISO 8601 timestamp. */
function utcSeconds(value: unknown): string | undefined {
  if (typeof value !== "string" || !TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** owner/name as a path: lower case, safe characters, never hidden (as record ids spell it). */
function repositoryKey(fullName: string): string | undefined {
  const [owner, name, ...rest] = fullName.split("/");
  if (!owner || !name || rest.length > 0) return undefined;
  return `${segment(owner, 39)}/${segment(name, 50)}`;
}

/** One line saying what the record shows, from its content. */
function summarize(kind: string, c: Json): string {
  const pr = obj(c.pull_request);
  const number = typeof pr.number === "number" ? `#${pr.number}` : "";
  const login = (v: unknown) => str(obj(v).login) ?? "?";
  switch (kind) {
    case "change-record": {
      const change = obj(c.change);
      const verdict = str(obj(c.verdict).result) ?? "?";
      const exception = c.exception === undefined ? "" : `; exception: ${str(obj(c.exception).type) ?? "?"}`;
      const what =
        change.type === "direct-push"
          ? `direct push ${short(change.merged_sha)} to ${str(change.base_ref) ?? "?"}`
          : `#${String(change.number ?? "?")} ${str(change.title) ?? ""}`.trimEnd();
      return `${what}: verdict ${verdict}${exception}`;
    }
    case "review-event": {
      const review = obj(c.review);
      const state = str(review.state) ?? "?";
      return `${number} review ${state} by ${login(review.reviewer)} (${str(c.action) ?? "?"})`.trim();
    }
    case "pull-request-event": {
      const action = str(c.action) ?? "?";
      const extra =
        action === "closed" && typeof c.merged === "boolean"
          ? c.merged
            ? " (merged)"
            : " (not merged)"
          : c.forced === true
            ? " (forced)"
            : "";
      const title = str(pr.title);
      return `${number} ${action} by ${login(c.actor)}${extra}${title ? `: ${title}` : ""}`.trim();
    }
    case "attestation":
      return `${str(c.title) ?? "attestation"}: ${str(c.result) ?? "?"}`;
    case "settings-snapshot":
      return `${str(c.system) ?? "?"}: ${str(c.target) ?? "?"}`;
    case "drift-event":
      return driftEventSummary(c);
    default:
      return kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Where each index lives (relative to the evidence folder)

/** The indexes split by month, each with a page listing its months: a control's, a repository's. */
type Paged = "control" | "repository";
const FOLDER: Record<Paged, string> = { control: "by-control", repository: "by-repository" };

const periodFile = (period: string) => `${INDEX_DIR}/by-period/${period}.md`;
const pageFile = (type: Paged, name: string) => `${INDEX_DIR}/${FOLDER[type]}/${name}.md`;
const monthFile = (type: Paged, name: string, month: string) =>
  `${INDEX_DIR}/${FOLDER[type]}/${name}/${month}.md`;
const controlFile = (control: string) => pageFile("control", control);
const repositoryFile = (repository: string) => pageFile("repository", repository);
const indexableControls = (entry: IndexEntry) =>
  [...new Set(entry.controls)].filter((c) => CONTROL_FILE.test(c));

/** An index of record rows: a month, a control's month, a repository's month. */
type IndexKey = { type: "period"; name: string } | { type: Paged; name: string; month: string };
type PagedKey = Extract<IndexKey, { month: string }>;

function keysOf(entry: IndexEntry): IndexKey[] {
  const month = entry.recordedAt.slice(0, 7);
  return [
    { type: "period", name: month },
    ...indexableControls(entry).map((name): IndexKey => ({ type: "control", name, month })),
    ...(entry.repository ? [{ type: "repository" as const, name: entry.repository, month }] : []),
  ];
}

function fileOf(key: IndexKey): string {
  return key.type === "period" ? periodFile(key.name) : monthFile(key.type, key.name, key.month);
}

/** What a control's or a repository's indexes are of: "of control CHG-01", "about acme/web". */
const subjectOf = (type: Paged, name: string) =>
  type === "control" ? `of control ${name}` : `about ${name}`;

function titleOf(key: IndexKey): string {
  return key.type === "period"
    ? `Evidence recorded in ${key.name}`
    : `Evidence ${subjectOf(key.type, key.name)} recorded in ${key.month}`;
}

const fromRoot = (evidencePath: string, file: string) => {
  const folder = normalizeEvidencePath(evidencePath);
  return folder === "" ? file : `${folder}/${file}`;
};

/** A relative link from one file to another, both relative to the evidence folder. */
function link(from: string, to: string): string {
  const dir = from.split("/").slice(0, -1);
  const target = to.split("/");
  let common = 0;
  while (common < dir.length && common < target.length - 1 && dir[common] === target[common])
    common++;
  // Percent-encoded, so that a file name with a space or a parenthesis (a record filed by hand)
  // still makes one working link.
  const encode = (segment: string) =>
    encodeURIComponent(segment).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"));
  return [...dir.slice(common).map(() => ".."), ...target.slice(common).map(encode)].join("/");
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Text safe in a Markdown table cell: one line, no markup, no raw HTML. */
export function markdownText(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  const cut = chars.length > SUMMARY_MAX ? `${chars.slice(0, SUMMARY_MAX - 1).join("")}…` : line;
  // Only what can start markup inside a table cell: emphasis, code, links, raw HTML, entities,
  // strike-through and the cell separator.
  return escapeMarkdown(cut);
}

function row(entry: IndexEntry, file: string): string {
  const controls = entry.controls
    .map((c) => (CONTROL_FILE.test(c) ? `[${c}](${link(file, controlFile(c))})` : markdownText(c)))
    .join(", ");
  const repository = entry.repository
    ? `[${entry.repository}](${link(file, repositoryFile(entry.repository))})`
    : "";
  return `| ${[
    entry.recordedAt,
    entry.sequence === undefined ? "-" : String(entry.sequence),
    `[\`${entry.id.replace(/`/g, "")}\`](${link(file, entry.file)})`,
    markdownText(entry.kind),
    controls,
    repository,
    markdownText(entry.summary),
  ].join(" | ")} |`;
}

function header(key: IndexKey, file: string): string {
  return [
    `# ${titleOf(key)}`,
    "",
    `Generated by soc2-as-code: one row per evidence record, oldest first, each linking the record.`,
    `The App adds a row in the commit that adds each record; \`soc2 index\` rebuilds every index from`,
    `the records. Back to ${
      key.type === "period"
        ? ""
        : `all the months of [${key.name}](${link(file, pageFile(key.type, key.name))}) and to `
    }the [evidence index](${link(file, README_FILE)}).`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `| ${HEADER.map(() => "---").join(" | ")} |`,
  ].join("\n");
}

interface Row {
  recordedAt: string;
  /** The chain sequence, which orders records written in the same second; none for people's. */
  sequence?: number;
  id: string;
  line: string;
}

/** By recorded time; in the same second, chained records in chain order first, then by id. */
function compareRows(a: Row, b: Row): number {
  if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? -1 : 1;
  const sa = a.sequence ?? Number.MAX_SAFE_INTEGER;
  const sb = b.sequence ?? Number.MAX_SAFE_INTEGER;
  if (sa !== sb) return sa - sb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const rowOf = (entry: IndexEntry, file: string): Row => ({
  recordedAt: entry.recordedAt,
  ...(entry.sequence === undefined ? {} : { sequence: entry.sequence }),
  id: entry.id,
  line: row(entry, file),
});

function renderIndex(key: IndexKey, file: string, rows: Row[]): string {
  return `${[header(key, file), ...[...rows].sort(compareRows).map((r) => r.line)].join("\n")}\n`;
}

/** The rows of an existing index file, as they are written. */
function parseRows(text: string): Row[] {
  return text.split("\n").flatMap((line) => {
    const match = ROW.exec(line);
    if (!match) return [];
    const sequence = match[2] === "-" ? undefined : Number(match[2]);
    return [
      { recordedAt: match[1]!, ...(sequence === undefined ? {} : { sequence }), id: match[3]!, line },
    ];
  });
}

// A control's or a repository's page: its months and how many records each has

const MONTH_ROW = /^\| \[(\d{4}-\d{2})\]\([^)]*\) \| (\d+) \|$/;

function renderSummary(type: Paged, name: string, months: ReadonlyMap<string, number>): string {
  const file = pageFile(type, name);
  const total = [...months.values()].reduce((a, b) => a + b, 0);
  return `${[
    `# Evidence ${subjectOf(type, name)}`,
    "",
    `Generated by soc2-as-code: the evidence records ${type === "control" ? "of" : "about"} ${name}, by the month they were recorded`,
    `(UTC), ${total} in all. Each month links a table of its records, one row per record, oldest first.`,
    `The App adds a row in the commit that adds each record; \`soc2 index\` rebuilds every index from`,
    `the records. Back to the [evidence index](${link(file, README_FILE)}).`,
    "",
    "| Month | Records |",
    "| --- | --- |",
    ...sorted(months.keys()).map(
      (month) => `| [${month}](${link(file, monthFile(type, name, month))}) | ${months.get(month)} |`,
    ),
  ].join("\n")}\n`;
}

/** The months and counts a control's or a repository's page lists. */
function parseSummary(text: string | undefined): Map<string, number> {
  const months = new Map<string, number>();
  for (const line of (text ?? "").split("\n")) {
    const match = MONTH_ROW.exec(line);
    if (match) months.set(match[1]!, Number(match[2]));
  }
  return months;
}

/**
 * The rows of a control's or a repository's index as it was before months (one file of every
 * record), moved to the month files one folder down: every link in a row is relative, so it gains
 * one "../".
 */
function legacyRows(text: string | undefined): Map<string, Row[]> {
  const byMonth = new Map<string, Row[]>();
  if (text === undefined) return byMonth;
  for (const r of parseRows(text)) {
    const line = r.line.replace(/\]\((?![a-z][a-z0-9+.-]*:)/gi, "](../");
    const month = r.recordedAt.slice(0, 7);
    const list = byMonth.get(month) ?? [];
    list.push({ ...r, line });
    byMonth.set(month, list);
  }
  return byMonth;
}

// README.md

interface ReadmeState {
  periods: Set<string>;
  controls: Set<string>;
  repositories: Set<string>;
  chained: boolean;
}

const sorted = (values: Iterable<string>) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function renderSection(state: ReadmeState): string {
  const years = new Map<string, string[]>();
  for (const period of sorted(state.periods)) {
    const list = years.get(period.slice(0, 4)) ?? [];
    list.push(`[${period.slice(5)}](${periodFile(period)})`);
    years.set(period.slice(0, 4), list);
  }
  const none = ["- none yet"];
  const lines = [
    INDEX_START,
    "",
    "## Browse the evidence",
    "",
    "Each index below is a table of evidence records, one row per record, oldest first, each row",
    "linking the record file. The soc2-as-code App updates them in the commit that adds each record;",
    "`soc2 index` rebuilds them from all the records (for records filed by people, or written before",
    "the indexes existed).",
    "",
    "### By period",
    "",
    "The month each record was recorded (UTC).",
    "",
    ...(years.size === 0 ? none : [...years].map(([year, months]) => `- ${year}: ${months.join(" · ")}`)),
    "",
    "### By control",
    "",
    ...(state.controls.size === 0
      ? none
      : sorted(state.controls).map((c) => `- [${c}](${controlFile(c)})`)),
    "",
    "### By repository",
    "",
    ...(state.repositories.size === 0
      ? none
      : sorted(state.repositories).map((r) => `- [${r}](${repositoryFile(r)})`)),
    "",
    "### Links",
    "",
    ...(state.chained
      ? [
          `- [${CHAIN_HEAD_FILE}](${CHAIN_HEAD_FILE}): the last record of the hash chain; \`soc2 verify\` checks every link offline.`,
        ]
      : []),
    "- `soc2 validate` recomputes every record's digest; `soc2 report` and `soc2 population` summarize the records.",
    "",
    INDEX_END,
  ];
  return `${lines.join("\n")}\n`;
}

/** The README's text outside the generated section, and that section. */
function splitReadme(text: string | undefined): { before: string; section?: string; after: string } {
  if (text === undefined || text.trim() === "")
    return { before: `${DEFAULT_README_INTRO}\n`, after: "" };
  const start = text.indexOf(INDEX_START);
  const end = start < 0 ? -1 : text.indexOf(INDEX_END, start);
  if (start < 0 || end < 0) return { before: `${text.trimEnd()}\n\n`, after: "" };
  let stop = end + INDEX_END.length;
  if (text[stop] === "\n") stop++;
  return { before: text.slice(0, start), section: text.slice(start, stop), after: text.slice(stop) };
}

function parseSection(section: string | undefined): ReadmeState {
  const state: ReadmeState = {
    periods: new Set(),
    controls: new Set(),
    repositories: new Set(),
    chained: false,
  };
  if (section === undefined) return state;
  for (const match of section.matchAll(/\]\(index\/by-(period|control|repository)\/([^)]+)\.md\)/g)) {
    const set =
      match[1] === "period" ? state.periods : match[1] === "control" ? state.controls : state.repositories;
    set.add(match[2]!);
  }
  state.chained = section.includes(`](${CHAIN_HEAD_FILE})`);
  return state;
}

function addToState(state: ReadmeState, entry: IndexEntry): void {
  for (const key of keysOf(entry))
    (key.type === "period"
      ? state.periods
      : key.type === "control"
        ? state.controls
        : state.repositories
    ).add(key.name);
  if (entry.sequence !== undefined) state.chained = true;
}

// ---------------------------------------------------------------------------------------------
// The full rebuild and the incremental update

export interface BuildIndexesInput {
  evidencePath: string;
  entries: readonly IndexEntry[];
  /** The current README.md of the evidence folder, whose text outside the markers is kept. */
  readme?: string;
}

/**
 * Every index file, from all the records: README.md and one file per period, control and
 * repository, sorted by path. The same entries (in any order) give the same bytes.
 */
export function buildIndexes(input: BuildIndexesInput): IndexFile[] {
  return [...indexSet(input)];
}

/**
 * Every index file's path, sorted, and the files themselves made one at a time as they are
 * iterated (again on each iteration), so that a rebuild of a decade's indexes holds one file's
 * text at a time rather than all of them.
 */
export interface IndexSet extends Iterable<IndexFile> {
  paths: string[];
}

export function indexSet(input: BuildIndexesInput): IndexSet {
  // The ids of each file's rows are kept in a set: a scan of the rows per entry made the rebuild
  // quadratic in the records of one control (every change record names CHG-01). The rows are
  // rendered when their file is: a group holds its entries, which every group of a record shares.
  const groups = new Map<string, { key: IndexKey; entries: IndexEntry[]; ids: Set<string> }>();
  const state = parseSection(undefined);
  for (const entry of input.entries) {
    addToState(state, entry);
    for (const key of keysOf(entry)) {
      const file = fileOf(key);
      let group = groups.get(file);
      if (!group) groups.set(file, (group = { key, entries: [], ids: new Set() }));
      if (group.ids.has(entry.id)) continue;
      group.ids.add(entry.id);
      group.entries.push(entry);
    }
  }
  const pages = new Map<string, { key: PagedKey; counts: Map<string, number> }>();
  for (const { key, entries } of groups.values()) {
    if (key.type === "period") continue;
    const page = pageFile(key.type, key.name);
    let counts = pages.get(page)?.counts;
    if (!counts) pages.set(page, { key, counts: (counts = new Map()) });
    counts.set(key.month, entries.length);
  }
  const { before, after } = splitReadme(input.readme);
  const files: Array<{ path: string; render: () => string }> = [
    {
      path: fromRoot(input.evidencePath, README_FILE),
      render: () => `${before}${renderSection(state)}${after}`,
    },
    ...[...groups].map(([file, group]) => ({
      path: fromRoot(input.evidencePath, file),
      render: () =>
        renderIndex(
          group.key,
          file,
          group.entries.map((entry) => rowOf(entry, file)),
        ),
    })),
    ...[...pages].map(([page, { key, counts }]) => ({
      path: fromRoot(input.evidencePath, page),
      render: () => renderSummary(key.type, key.name, counts),
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    paths: files.map((f) => f.path),
    *[Symbol.iterator]() {
      for (const { path, render } of files) yield { path, text: render() };
    },
  };
}

/** The index files (from the repository root) that appending this entry reads and may change. */
export function indexFilesFor(entry: IndexEntry, evidencePath: string): string[] {
  return [
    README_FILE,
    ...keysOf(entry).flatMap((key) =>
      key.type === "period" ? [fileOf(key)] : [fileOf(key), pageFile(key.type, key.name)],
    ),
  ].map((f) => fromRoot(evidencePath, f));
}

export interface UpdateIndexesInput {
  evidencePath: string;
  entry: IndexEntry;
  /** The current text of each file `indexFilesFor` names; undefined (or absent) when it does not exist. */
  existing: ReadonlyMap<string, string | undefined>;
}

/**
 * The index files that change when one record is appended: a row added to the index of its
 * period, of each of its controls' month and of its repository's month (the file created when
 * new), the month's count on each control's and on the repository's page, and README.md when the
 * record brings a new period, control or repository. Files already listing the record are left
 * alone, so a retry cannot add a row twice.
 *
 * A control or repository index written before months (every row in by-control/<CONTROL>.md or
 * by-repository/<owner>/<repo>.md) is split into its month files at the first append, once: the
 * result is what `soc2 index` would write.
 */
export function updateIndexes(input: UpdateIndexesInput): IndexFile[] {
  const { entry, evidencePath, existing } = input;
  const out: IndexFile[] = [];
  for (const key of keysOf(entry)) {
    if (key.type !== "period") {
      out.push(...updatePaged(key, entry, evidencePath, existing));
      continue;
    }
    const file = fileOf(key);
    const path = fromRoot(evidencePath, file);
    const current = existing.get(path);
    const rows = current === undefined ? [] : parseRows(current);
    if (rows.some((r) => r.id === entry.id)) continue;
    rows.push(rowOf(entry, file));
    const text = renderIndex(key, file, rows);
    if (text !== current) out.push({ path, text });
  }
  const readmePath = fromRoot(evidencePath, README_FILE);
  const readme = existing.get(readmePath);
  const { before, section, after } = splitReadme(readme);
  const state = parseSection(section);
  addToState(state, entry);
  const text = `${before}${renderSection(state)}${after}`;
  if (text !== readme) out.push({ path: readmePath, text });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The month file of one control or repository with the entry's row, and its page with the
 * month's count.
 */
function updatePaged(
  key: PagedKey,
  entry: IndexEntry,
  evidencePath: string,
  existing: ReadonlyMap<string, string | undefined>,
): IndexFile[] {
  const out: IndexFile[] = [];
  const summaryPath = fromRoot(evidencePath, pageFile(key.type, key.name));
  const summary = existing.get(summaryPath);
  const counts = parseSummary(summary);
  const legacy = legacyRows(summary);
  const monthRows = new Map(legacy);
  const file = fileOf(key);
  const path = fromRoot(evidencePath, file);
  const current = existing.get(path);
  const rows = [...(monthRows.get(key.month) ?? []), ...(current === undefined ? [] : parseRows(current))];
  if (!rows.some((r) => r.id === entry.id)) rows.push(rowOf(entry, file));
  monthRows.set(key.month, rows);
  for (const [month, list] of monthRows) {
    const unique = [...new Map(list.map((r) => [r.id, r])).values()];
    const monthIndex = monthFile(key.type, key.name, month);
    const monthPath = fromRoot(evidencePath, monthIndex);
    const text = renderIndex({ ...key, month }, monthIndex, unique);
    if (text !== existing.get(monthPath)) out.push({ path: monthPath, text });
    counts.set(month, unique.length);
  }
  const text = renderSummary(key.type, key.name, counts);
  if (text !== summary) out.push({ path: summaryPath, text });
  return out;
}

/** Whether a path (from the repository root) is a generated index file under the index folder. */
export function isIndexFile(path: string, evidencePath: string): boolean {
  const prefix = fromRoot(evidencePath, `${INDEX_DIR}/`);
  return path.startsWith(prefix) && /^by-(period|control|repository)\/.+\.md$/.test(path.slice(prefix.length));
}

/** Whether a path is one the indexes generate (README.md or an index file): not evidence itself. */
export function isGeneratedIndex(path: string, evidencePath: string): boolean {
  return path === fromRoot(evidencePath, README_FILE) || isIndexFile(path, evidencePath);
}
