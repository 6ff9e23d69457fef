import { detach, ownCopy } from "./detach.js";
import { FILE_START } from "./diagnostics.js";
import { asObject, type EvidenceRecord } from "./model.js";
import type { EvidenceRetention } from "./validate.js";
import { loadSourceFile, type LoadedFile } from "./source-file.js";
import type { ParsedYaml } from "./yaml-source.js";

/** Stands for a settings snapshot's settings in a summary: only whether it holds them is kept. */
export const SUMMARIZED_SETTINGS = "(held by the record; summarized)";

/**
 * What a validation keeps of a checked evidence record. A repository of years holds hundreds of
 * thousands of records: keeping each one's text (for positions) and parsed content would take
 * gigabytes, while the checks across records need only a few fields of each.
 */
export function retainRecord(
  record: EvidenceRecord,
  options: { retain?: EvidenceRetention; reread?: (path: string) => Uint8Array | undefined },
): EvidenceRecord {
  const reread = options.reread;
  // Without a way to read the file again, its positions come from its text, which stays.
  const locate = reread ? rereadingLocate(record.file.path, reread) : record.file.parsed.locate;
  const retain = options.retain ?? "full";
  if (retain === "full") {
    if (!reread) return record;
    return { ...record, file: withParsed(record.file, { ...record.file.parsed, locate }) };
  }
  const content =
    retain === "summary"
      ? summaryContent(record)
      : detach(merge(summaryContent(record), retain.content(record)));
  const summary: EvidenceRecord = {
    file: withParsed(record.file, { value: undefined, diagnostics: [], locate }),
    controls: record.controls.map(ownCopy),
    content,
  };
  for (const key of ["id", "kind", "recordedAt", "digest", "sourceType"] as const) {
    const value = record[key];
    if (value !== undefined) summary[key] = ownCopy(value);
  }
  if (record.chained !== undefined) summary.chained = record.chained;
  return summary;
}

function withParsed(file: LoadedFile, parsed: ParsedYaml): LoadedFile {
  return { path: file.path, format: file.format, parsed, schemaValid: file.schemaValid };
}

/**
 * The content fields that other files' checks read: a compact settings snapshot's reference to
 * the full one (checkMonitoring), an exception and its merge time (checkExceptionReviews).
 */
function summaryContent(record: EvidenceRecord): unknown {
  const content = asObject(record.content);
  if (record.kind === "settings-snapshot")
    return {
      same_as: copyIfText(content.same_as),
      settings_digest: copyIfText(content.settings_digest),
      ...(content.settings === undefined ? {} : { settings: SUMMARIZED_SETTINGS }),
    };
  if (record.kind === "change-record" && content.exception !== undefined)
    return {
      // Whole: it is small, and only records with an exception carry one.
      exception: content.exception,
      change: { merged_at: copyIfText(asObject(content.change).merged_at) },
    };
  return undefined;
}

/** Two content trees in one; `b`'s leaves win. */
function merge(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const copyIfText = (value: unknown) => (typeof value === "string" ? ownCopy(value) : value);

/** Positions found by reading and parsing the file again: only a finding needs them. */
function rereadingLocate(
  path: string,
  reread: (path: string) => Uint8Array | undefined,
): ParsedYaml["locate"] {
  return (at, target) => {
    const bytes = reread(path);
    if (!bytes) return FILE_START;
    const loaded = loadSourceFile({ path, size: bytes.length, bytes }, "evidence");
    return loaded.file ? loaded.file.parsed.locate(at, target) : FILE_START;
  };
}
