import { fnv1a } from "../text-hash.js";
import { parseTime } from "./dates.js";

/** What the chain's neighbours are found from: a record's facts, read by its index. */
interface LinkFacts {
  when?: string;
  link?: { sequence: number; previous: string | null };
  recordDigest: string;
}

/**
 * When each record happened (ms; a record without a time sorts last) and its neighbours in the
 * chain, by index in path order: `previous`, the last record whose record digest its link names;
 * `next`, the first record whose link names its digest (-1: none). Only numbers are kept: the
 * digests (two of about 90 bytes a record) are found again by a hash of their text and confirmed
 * against the record's own facts, so two digests that share a hash are still told apart.
 */
export function chainAndTimes(count: number, factsAt: (i: number) => LinkFacts) {
  const whenMs = new Float64Array(count);
  const byDigest = new HashIndex();
  const byPrevious = new HashIndex();
  for (let i = 0; i < count; i++) {
    const facts = factsAt(i);
    whenMs[i] = parseTime(facts.when) ?? Number.POSITIVE_INFINITY;
    if (!facts.link) continue;
    byDigest.add(facts.recordDigest, i);
    if (facts.link.previous !== null) byPrevious.add(facts.link.previous, i);
  }
  const previous = new Int32Array(count).fill(-1);
  const next = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const facts = factsAt(i);
    const named = facts.link?.previous;
    if (named) previous[i] = byDigest.last(named, (j) => factsAt(j).recordDigest === named);
    const digest = facts.recordDigest;
    next[i] = byPrevious.first(digest, (j) => factsAt(j).link?.previous === digest);
  }
  return { whenMs, previous, next };
}

/** Record indexes by a 28-bit hash of a text (a small integer key, kept without the text). */
class HashIndex {
  private readonly byHash = new Map<number, number | number[]>();

  add(text: string, index: number): void {
    const key = textHash(text);
    const known = this.byHash.get(key);
    if (known === undefined) this.byHash.set(key, index);
    else if (typeof known === "number") this.byHash.set(key, [known, index]);
    else known.push(index);
  }

  /** The first index added under the text's hash that `is` confirms, or -1. */
  first(text: string, is: (index: number) => boolean): number {
    const known = this.byHash.get(textHash(text));
    if (known === undefined) return -1;
    if (typeof known === "number") return is(known) ? known : -1;
    return known.find(is) ?? -1;
  }

  /** The last index added under the text's hash that `is` confirms, or -1. */
  last(text: string, is: (index: number) => boolean): number {
    const known = this.byHash.get(textHash(text));
    if (known === undefined) return -1;
    if (typeof known === "number") return is(known) ? known : -1;
    return known.findLast(is) ?? -1;
  }
}

/** FNV-1a folded to 28 bits (a small integer in V8). */
export function textHash(text: string): number {
  const h = fnv1a(text);
  return (h ^ (h >>> 28)) & 0x0fffffff;
}
