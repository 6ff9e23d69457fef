import { describe, expect, it } from "vitest";
import { jsonWithListInPieces } from "../../src/core/json-pieces.js";

const whole = (value: Record<string, unknown>) => JSON.stringify(value, null, 2) + "\n";

describe("jsonWithListInPieces", () => {
  const items = [
    { id: "a", nested: { list: [1, 2], text: 'line\nbreak "quoted" \u0000' } },
    { id: "b", empty: {}, none: [] },
    "plain",
  ];

  it("makes the very text of JSON.stringify, the list in its place among the keys", () => {
    for (const value of [
      { before: 1, list: items, after: { deep: [true] } },
      { list: items },
      { first: "x", list: items },
    ]) {
      const pieces = [...jsonWithListInPieces({ ...value, list: [] }, "list", value.list)];
      expect(pieces.length).toBe(items.length + 2);
      expect(pieces.join("")).toBe(whole(value));
    }
  });

  it("writes an empty list as JSON.stringify does", () => {
    const value = { count: 0, list: [], after: null };
    expect([...jsonWithListInPieces(value, "list", [])].join("")).toBe(whole(value));
  });
});
