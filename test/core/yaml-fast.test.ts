import { describe, expect, it } from "vitest";
import { hasMultilineQuote, loadFast, needsCarefulParser } from "../../src/core/yaml-fast.js";
import { generatedTexts } from "../helpers/seeded.js";

/** The plain character-by-character reading of the rule, to check the fast scan against. */
function reference(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === undefined) {
      if (c === '"' || c === "'") {
        if (" \t\n[{,".includes(i === 0 ? " " : text[i - 1]!)) quote = c;
      } else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\n")) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? text.length : end;
      }
    } else if (c === "\n") return true;
    else if (quote === '"' && c === "\\") {
      if (text[i + 1] === "\n") return true;
      i++;
    } else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else quote = undefined;
    }
  }
  return quote !== undefined;
}

describe("the fast YAML path's look for quoted scalars over several lines", () => {
  it.each([
    ['a: "one\n  two"\n', true],
    ["a: 'it''s\n  more'\n", true],
    ['a: "x\\\n  y"\n', true],
    ['a: "unterminated', true],
    ["a: \"esc \\\" q\"\nb: 'it''s'\n", false],
    ["a: don't # it's\nb: x\n", false],
    ['# "open\nb: 1\n', false],
    ["a: [ \"x\", 'y' ]\n", false],
    ['a: b"c\nd: e"\n', false],
  ])("%j: %s", (text, multiline) => {
    expect(hasMultilineQuote(text)).toBe(multiline);
    expect(reference(text)).toBe(multiline);
    // Over several lines, the careful parser reads it.
    if (multiline) expect(loadFast(text)).toBeUndefined();
  });

  it("agrees with the character-by-character reading on generated texts", () => {
    const alphabet = ['"', "'", "#", " ", "\n", "\\", "a", "[", ",", "\t"];
    for (const text of generatedTexts(alphabet, { count: 20_000, maxLength: 24, seed: 42 }))
      expect([text, hasMultilineQuote(text)]).toEqual([text, reference(text)]);
  });

  it("reads what stays on one line quickly, to the same values", () => {
    expect(loadFast("a: \"esc \\\" q\"\nb: 'it''s'\nc: don't # x\n")).toEqual({
      value: { a: 'esc " q', b: "it's", c: "don't" },
    });
  });
});

describe("the fast YAML path's look for anchors, aliases, tags and complex keys", () => {
  it("agrees with one multiline pattern on generated texts", () => {
    const onePattern = /[&*!]|^\s*(?:\?\s|[[{])/m;
    const alphabet = [
      "&",
      "*",
      "!",
      "?",
      " ",
      "\n",
      "\r",
      "[",
      "{",
      "a",
      "\t",
      "\u2028",
      "\u00a0",
      ":",
    ];
    for (const text of generatedTexts(alphabet, { count: 50_000, maxLength: 12, seed: 1 }))
      expect([text, needsCarefulParser(text)]).toEqual([text, onePattern.test(text)]);
  });

  it.each([
    "a: &x 1\n",
    "a: *x\n",
    "a: !tag 1\n",
    "? complex\n: key\n",
    "a: 1\n  [b]: 2\n",
    "{a: 1}\n",
  ])("sends %j to the careful parser", (text) => expect(needsCarefulParser(text)).toBe(true));
});
