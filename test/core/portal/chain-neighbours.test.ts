import { describe, expect, it } from "vitest";
import { chainAndTimes, textHash } from "../../../src/core/portal/chain-neighbours.js";

interface Facts {
  when?: string;
  link?: { sequence: number; previous: string | null };
  recordDigest: string;
}

function neighbours(facts: Facts[]) {
  const reads: number[] = [];
  const found = chainAndTimes(facts.length, (i) => {
    reads.push(i);
    return facts[i]!;
  });
  return { ...found, previous: [...found.previous], next: [...found.next], reads };
}

/** Two different texts with the same 28-bit hash, found by the birthday bound (about 2^14 tries). */
function collidingTexts(): [string, string] {
  const seen = new Map<number, string>();
  for (let n = 0; ; n++) {
    const text = `sha256:${n.toString(16).padStart(64, "0")}`;
    const other = seen.get(textHash(text));
    if (other !== undefined) return [other, text];
    seen.set(textHash(text), text);
  }
}

describe("the chain's neighbours of each record", () => {
  it("links each record to the one its link names and the one that names it", () => {
    const { previous, next, whenMs } = neighbours([
      { when: "2025-01-02T00:00:00Z", link: { sequence: 2, previous: "d1" }, recordDigest: "d2" },
      { when: "2025-01-01T00:00:00Z", link: { sequence: 1, previous: null }, recordDigest: "d1" },
      { recordDigest: "m1" }, // filed by people: no chain link
      { when: "2025-01-03T00:00:00Z", link: { sequence: 3, previous: "d2" }, recordDigest: "d3" },
      { link: { sequence: 9, previous: "gone" }, recordDigest: "d9" },
    ]);
    expect(previous).toEqual([1, -1, -1, 0, -1]);
    expect(next).toEqual([3, 0, -1, -1, -1]);
    expect([...whenMs]).toEqual([
      Date.parse("2025-01-02T00:00:00Z"),
      Date.parse("2025-01-01T00:00:00Z"),
      Number.POSITIVE_INFINITY,
      Date.parse("2025-01-03T00:00:00Z"),
      Number.POSITIVE_INFINITY,
    ]);
  });

  it("takes the last record of a repeated digest as previous, the first naming one as next", () => {
    const { previous, next } = neighbours([
      { link: { sequence: 1, previous: null }, recordDigest: "a" },
      { link: { sequence: 1, previous: null }, recordDigest: "a" },
      { link: { sequence: 2, previous: "a" }, recordDigest: "b" },
      { link: { sequence: 2, previous: "a" }, recordDigest: "c" },
    ]);
    expect(previous).toEqual([-1, -1, 1, 1]);
    expect(next).toEqual([2, 2, -1, -1]);
  });

  it("tells apart two digests that share a hash", () => {
    const [x, y] = collidingTexts();
    expect(x).not.toBe(y);
    expect(textHash(x)).toBe(textHash(y));
    const { previous, next } = neighbours([
      { link: { sequence: 1, previous: null }, recordDigest: x },
      { link: { sequence: 1, previous: null }, recordDigest: y },
      { link: { sequence: 2, previous: y }, recordDigest: "after-y" },
      { link: { sequence: 2, previous: x }, recordDigest: "after-x" },
    ]);
    expect(previous).toEqual([-1, -1, 1, 0]);
    expect(next).toEqual([3, 2, -1, -1]);
  });
});
