import canonicalizeModule from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { contentDigest } from "../../src/core/digest.js";
import { seededIntegers } from "../helpers/seeded.js";

// The maintained implementation the serializer replaced, as the reference it must equal.
const canonicalize = ((canonicalizeModule as unknown as { default?: unknown }).default ??
  canonicalizeModule) as (input: unknown) => string | undefined;

describe("canonical JSON (RFC 8785)", () => {
  it("writes RFC 8785's own example as the RFC does", () => {
    // RFC 8785 section 3.2.2, with its numbers and escapes.
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts keys by UTF-16 code units, integer-like keys too", () => {
    const input = {
      "\u20ac": 1,
      "\r": 2,
      "\ud83d\ude00": 3,
      "\ufb33": 4,
      "10": 5,
      "9": 6,
      a: 7,
      "": 8,
    };
    expect(canonicalJson(input)).toBe(canonicalize(input));
    expect(Object.keys(JSON.parse(canonicalJson(input)) as object)).not.toEqual(Object.keys(input));
  });

  it("equals the canonicalize package on generated values", () => {
    const next = seededIntegers(7);
    const pieces = [
      "a",
      "B",
      "é",
      "€",
      "\ud83d\ude00",
      "\ud800",
      '"',
      "\\",
      "\n",
      "\u0001",
      "7",
      "0",
      "__proto__",
      " ",
      "/",
    ];
    const text = () => Array.from({ length: next(6) }, () => pieces[next(pieces.length)]).join("");
    const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, 2 ** 53, -3.75];
    const value = (depth: number): unknown => {
      switch (next(depth > 3 ? 4 : 6)) {
        case 0:
          return text();
        case 1:
          return numbers[next(numbers.length)]! * (next(2) ? 1 : 1000.5);
        case 2:
          return [null, true, false][next(3)];
        case 3:
          return next(1000) - 500;
        case 4:
          return Array.from({ length: next(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(
            Array.from({ length: next(5) }, () => [text(), value(depth + 1)]),
          );
      }
    };
    for (let n = 0; n < 3000; n++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }
  });

  it("keeps RFC 8785's order where the engine would reorder or drop keys", () => {
    // Array-index keys, which objects list first whatever their order, inside objects that are
    // in order, out of order, and in order around a member that is not.
    const cases: unknown[] = [
      { "10": 1, "9": 2 },
      { a: { "2": 1, "10": 2 }, b: 1 },
      { "1": { b: 1, a: 2 }, "2": 3 },
      { "10": 1, "2": { b: 1, a: 2 } },
      JSON.parse('{"__proto__": {"y": 1, "x": 2}, "a": 1}'),
      JSON.parse('{"z": 1, "__proto__": 2}'),
      [{ b: [{ d: 1, c: 2 }], a: null }],
    ];
    for (const input of cases) expect(canonicalJson(input)).toBe(canonicalize(input));
  });

  it("writes what is not plain data member by member, as before", () => {
    expect(canonicalJson({ b: new Date("2026-01-02T03:04:05Z"), a: 1 })).toBe(
      '{"a":1,"b":"2026-01-02T03:04:05.000Z"}',
    );
    expect(canonicalJson({ a: new String("ab") })).toBe('{"a":{"0":"a","1":"b"}}');
    expect(canonicalJson({ b: () => 1, a: 1 })).toBe('{"a":1,"b":null}');
    // Nothing to write is null, as the digest of a record without content has always been.
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(Symbol("s"))).toBe("null");
    const withToJson = Object.assign([1], { toJSON: () => ({ z: 1, y: 2 }) });
    expect(canonicalJson(withToJson)).toBe('{"y":2,"z":1}');
    expect(canonicalJson({ b: { toJSON: () => [{ d: 1, c: 2 }] }, a: 1 })).toBe(
      '{"a":1,"b":[{"c":2,"d":1}]}',
    );
    expect(() => canonicalJson({ a: 1, b: [{ c: { d: -Infinity } }] })).toThrow(
      /-Infinity has no JSON form/,
    );
  });

  it("leaves out undefined members, and refuses numbers JSON cannot hold", () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN has no JSON form/);
    expect(() => canonicalJson([Infinity])).toThrow(/Infinity has no JSON form/);
  });

  it("gives a content digest that ignores key order", () => {
    expect(contentDigest({ a: 1, b: [2, { d: 3, c: 4 }] })).toBe(
      contentDigest({ b: [2, { c: 4, d: 3 }], a: 1 }),
    );
    expect(contentDigest({ a: 1 })).toBe(
      "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
    );
  });
});
