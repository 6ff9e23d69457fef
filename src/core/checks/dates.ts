import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { EvidenceRecord, Repository } from "../model.js";
import type { LoadedFile } from "../source-file.js";
import type { JsonPath } from "../yaml-source.js";

/** Clock skew tolerated for timestamps written by other machines. */
const SKEW_MS = 5 * 60 * 1000;
/** A date is "today" somewhere until UTC+14 has moved past it. */
const LATEST_ZONE_MS = 14 * 60 * 60 * 1000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

/** Records describe what has happened: none of their dates may lie in the future. */
export function checkDates(repo: Repository, now: Date): Diagnostic[] {
  const dates = dateChecker(now);
  const out: Diagnostic[] = [];
  for (const policy of repo.policies)
    if (policy.lastReviewed) dates.check(policy.file, ["last_reviewed"], policy.lastReviewed, out);
  for (const record of repo.evidence) out.push(...dates.evidence(record));
  if (repo.program) out.push(...checkAuditPeriod(repo));
  return out;
}

/** The date checks of everything but evidence records, which a streaming validator checks one by one. */
export function checkProgramDates(repo: Repository, now: Date): Diagnostic[] {
  return checkDates({ ...repo, evidence: [] }, now);
}

/** Checks of dates against `now`, made once and applied to each evidence record as it is read. */
export function dateChecker(now: Date) {
  const latestDate = new Date(now.getTime() + LATEST_ZONE_MS).toISOString().slice(0, 10);
  const inFuture = (value: string): boolean =>
    DATE.test(value)
      ? value > latestDate
      : DATE_TIME.test(value)
        ? Date.parse(value) > now.getTime() + SKEW_MS
        : false;
  const check = (file: LoadedFile, path: JsonPath, value: unknown, out: Diagnostic[]) =>
    checkAt(file, () => path, value, out);
  // The path is made only for a date in the future: the walk below finds thousands of timestamps.
  const checkAt = (file: LoadedFile, pathOf: () => JsonPath, value: unknown, out: Diagnostic[]) => {
    if (typeof value === "string" && inFuture(value)) {
      const path = pathOf();
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(path),
          "error",
          "date-in-future",
          `${path.join(".")} ${value} is in the future: records state what has happened, so use the actual date`,
        ),
      );
    }
  };
  return {
    check,
    evidence(record: EvidenceRecord): Diagnostic[] {
      const out: Diagnostic[] = [];
      check(record.file, ["recorded_at"], record.recordedAt, out);
      walkTimestamps(record.content, ["content"], (value, pathOf) =>
        checkAt(record.file, pathOf, value, out),
      );
      return out;
    },
  };
}

/**
 * Calls back for each value whose key says it is when something happened (…_at, …_on). The walk
 * keeps each value's parent and key rather than a copy of its path, and makes a path only for the
 * values it calls back with: it runs on every record a validation reads.
 */
function walkTimestamps(
  root: unknown,
  base: JsonPath,
  visit: (value: unknown, pathOf: () => JsonPath) => void,
): void {
  const values: unknown[] = [root];
  const parents: number[] = [-1];
  const keys: Array<string | number> = [""];
  const pathTo = (index: number, last: string): JsonPath => {
    const path: Array<string | number> = [last];
    for (let at = index; at > 0; at = parents[at]!) path.push(keys[at]!);
    return [...base, ...path.reverse()];
  };
  // Indexes into the three lists, last in first out, as a stack of values.
  const stack: number[] = isCollection(root) ? [0] : [];
  const add = (child: unknown, parent: number, key: string | number) => {
    values.push(child);
    parents.push(parent);
    keys.push(key);
    stack.push(values.length - 1);
  };
  while (stack.length > 0) {
    const index = stack.pop()!;
    const value = values[index];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isCollection(value[i])) add(value[i], index, i);
      continue;
    }
    for (const key of Object.keys(value as object)) {
      const child = (value as Record<string, unknown>)[key];
      if (key.endsWith("_at") || key.endsWith("_on")) visit(child, () => pathTo(index, key));
      else if (isCollection(child)) add(child, index, key);
    }
  }
}

const isCollection = (value: unknown): value is object =>
  value !== null && typeof value === "object";

function checkAuditPeriod(repo: Repository): Diagnostic[] {
  const program = repo.program!;
  const period = program.audit.period;
  if (!period) return [];
  const file = program.file;
  const days = (Date.parse(period.end) - Date.parse(period.start)) / 86_400_000;
  if (Number.isNaN(days)) return [];
  if (days < 0) {
    return [
      diagnostic(
        file.path,
        file.parsed.locate(["audit", "period", "end"]),
        "error",
        "audit-period",
        `audit.period ends (${period.end}) before it starts (${period.start})`,
      ),
    ];
  }
  if (program.audit.type === 2 && (days < 89 || days > 366)) {
    return [
      diagnostic(
        file.path,
        file.parsed.locate(["audit", "period"]),
        "warning",
        "audit-period",
        `a Type 2 period usually lasts 3 to 12 months; this one lasts ${Math.round(days) + 1} days`,
      ),
    ];
  }
  return [];
}
