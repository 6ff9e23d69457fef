import { contentDigest } from "../digest.js";
import { asObject } from "../json-read.js";
import { recordDigest } from "./chain.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A well-formed chain field, with what the links, anchors and head are checked against. */
export interface RecordLink {
  sequence: number;
  previous: string | null;
  /** The digest of the whole record: what its successor, the head and anchors hold. */
  digest: string;
  /** `String(recorded_at)`, as the messages quote it. */
  recordedAt: string;
}

/** An attachment as a record names it, before it is checked. */
export interface NamedAttachment {
  /** `String(path ?? "")`. */
  path: string;
  /** The digest held for the file, when it is a string. */
  digest?: string;
}

/**
 * What `soc2 verify` reads of one parsed record, and nothing else: the parsed YAML is dropped
 * once this is taken from it, so that a decade of evidence is verified in bounded memory.
 */
export interface RecordFacts {
  /** False when the YAML is not a mapping (a list, a scalar, null): not an evidence record. */
  mapping: boolean;
  /** The id field, whatever it holds. */
  id: unknown;
  /** True when the digest field is a valid sha256 digest. */
  sealed: boolean;
  /** When the content does not hash to a valid digest field: both digests, for the message. */
  contentMismatch?: { recorded: string; actual: string };
  /** True when the record has a chain field, well formed or not. */
  chained: boolean;
  /** `chain.sequence` when it is a number, even in a malformed chain field. */
  sequence?: number;
  /** The chain field, when it is well formed. */
  link?: RecordLink;
  /** For a record without a chain field: its kind and source type, when strings. */
  kind?: string;
  sourceType?: string;
  /** The attachments its content names, when it names any. */
  attachments?: NamedAttachment[];
}

/**
 * The facts `soc2 verify` checks of a parsed record (undefined when the file could not be read),
 * taken right after parsing so that the parsed value need not be kept.
 */
export function recordFacts(value: unknown): RecordFacts | undefined {
  if (value === undefined) return undefined;
  const v = asObject(value);
  const mapping = v === value;
  const recorded = typeof v.digest === "string" && DIGEST.test(v.digest) ? v.digest : undefined;
  const actual = recorded === undefined ? undefined : contentDigest(v.content);
  const chained = v.chain !== undefined;
  const sequence = asObject(v.chain).sequence;
  const link = readLink(v.chain);
  const list = asObject(v.content).attachments;
  const sourceType = asObject(v.source).type;
  // One object literal of the same shape for every record (absent facts are undefined): spreading
  // optional parts in would make each summary several times larger.
  return {
    mapping,
    id: typeof v.id === "string" ? own(v.id) : v.id,
    sealed: recorded !== undefined,
    contentMismatch:
      recorded !== undefined && actual !== recorded
        ? { recorded: own(recorded), actual: actual! }
        : undefined,
    chained,
    sequence: typeof sequence === "number" ? sequence : undefined,
    link: link && {
      sequence: link.sequence,
      previous: link.previous === null ? null : own(link.previous),
      digest: recordDigest(value),
      recordedAt: own(String(v.recorded_at)),
    },
    kind: !chained && typeof v.kind === "string" ? own(v.kind) : undefined,
    sourceType: !chained && typeof sourceType === "string" ? own(sourceType) : undefined,
    attachments:
      Array.isArray(list) && list.length > 0
        ? list.map((a) => {
            const digest = asObject(a).digest;
            return {
              path: own(String(asObject(a).path ?? "")),
              digest: typeof digest === "string" ? own(digest) : undefined,
            };
          })
        : undefined,
  };
}

function readLink(chain: unknown): { sequence: number; previous: string | null } | undefined {
  if (!chain || typeof chain !== "object" || Array.isArray(chain)) return undefined;
  const c = chain as Record<string, unknown>;
  const keys = Object.keys(c);
  if (keys.length !== 2 || !("sequence" in c) || !("previous" in c)) return undefined;
  if (!Number.isSafeInteger(c.sequence) || (c.sequence as number) < 1) return undefined;
  if (c.previous !== null && (typeof c.previous !== "string" || !DIGEST.test(c.previous)))
    return undefined;
  return { sequence: c.sequence as number, previous: c.previous as string | null };
}

/**
 * A copy of a string that holds no reference to the text it was cut from: a string the YAML
 * parser cuts from a file's text can keep the whole text alive, which is what dropping the parsed
 * value is for. (V8 flattens the concatenation into a new string before slicing it.)
 */
function own(text: string): string {
  return ` ${text}`.slice(1);
}
