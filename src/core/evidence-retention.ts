import { detach, ownCopy, sharedCopy } from "./detach.js";
import { FILE_START, type Diagnostic, type Position } from "./diagnostics.js";
import { asObject, type EvidenceRecord } from "./model.js";
import type { EvidenceRetention } from "./validate.js";
import { loadSourceFile, type LoadedFile } from "./source-file.js";
import type { JsonPath, ParsedYaml } from "./yaml-source.js";

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
  const retain = options.retain ?? "full";
  if (retain === "full") {
    if (!reread) return record;
    const locate = rereadingLocate(record.file.path, reread);
    return { ...record, file: withParsed(record.file, { ...record.file.parsed, locate }) };
  }
  const content =
    retain === "summary"
      ? summaryContent(record)
      : detach(merge(summaryContent(record), retain.content(record)));
  // Without a way to read the file again, its positions come from its text, which stays.
  const parsed = reread ? new RereadWhenLocated(record.file.path, reread) : record.file.parsed;
  return summaryOf(record, parsed, content, ownCopy);
}

/**
 * A summary, every field in one literal with absent ones undefined: an object that gains its
 * fields one by one keeps them in a separate array (64 bytes more a record). Values that repeat
 * across records are shared; the record's own strings are copied with `own`, so that none keeps
 * a slice of the record's text (a string from another thread is a fresh copy already).
 */
function summaryOf(
  record: EvidenceRecord | PortableRecord,
  parsed: ParsedYaml,
  content: unknown,
  own: (text: string) => string,
): EvidenceRecord {
  const copy = <T extends string | undefined>(value: T, how: (text: string) => string) =>
    (value === undefined ? undefined : how(value)) as T;
  return {
    file: {
      path: record.file.path,
      format: copy(record.file.format, sharedCopy),
      parsed,
      schemaValid: record.file.schemaValid,
    },
    controls: record.controls.map(sharedCopy),
    content,
    id: copy(record.id, own),
    kind: copy(record.kind, sharedCopy),
    recordedAt: copy(record.recordedAt, own),
    digest: copy(record.digest, own),
    sourceType: copy(record.sourceType, sharedCopy),
    chained: record.chained,
  };
}

const NO_DIAGNOSTICS: Diagnostic[] = Object.freeze([]) as unknown as Diagnostic[];

/**
 * A summarized record's parse: no value, no diagnostics (they were reported as it streamed by),
 * and positions found by reading and parsing the file again, as only a finding needs them. A
 * class rather than an object with a closure: it is kept for every record, so its size counts.
 */
class RereadWhenLocated implements ParsedYaml {
  readonly value = undefined;
  get diagnostics(): Diagnostic[] {
    return NO_DIAGNOSTICS;
  }

  constructor(
    private readonly path: string,
    private readonly reread: (path: string) => Uint8Array | undefined,
  ) {}

  locate(at: JsonPath, target?: "key" | "value"): Position {
    return rereadingLocate(this.path, this.reread)(at, target);
  }
}

/**
 * A kept record as it crosses from one thread to another: its file without its parse, which holds
 * functions (and a summary's parse is found again by reading the file, see fromPortable).
 */
export type PortableRecord = Omit<EvidenceRecord, "file"> & { file: Omit<LoadedFile, "parsed"> };

export function toPortable(record: EvidenceRecord): PortableRecord {
  // An evidence record's file is YAML: it has no Markdown body to carry.
  const { path, format, schemaValid } = record.file;
  return { ...record, file: { path, format, schemaValid } };
}

/** A summary that came from another thread, its positions found by reading the file again. */
export function fromPortable(
  record: PortableRecord,
  reread: (path: string) => Uint8Array | undefined,
): EvidenceRecord {
  const parsed = new RereadWhenLocated(record.file.path, reread);
  return summaryOf(record, parsed, record.content, (text) => text);
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
