import type { Position } from "./diagnostics.js";

export type FrontMatter =
  | { ok: true; yaml: string; body: string; yamlLineOffset: number; closingLine: number }
  | { ok: false; at: Position; problem: string };

/**
 * Splits a Markdown file into its YAML front matter (between a first line `---` and the next `---`
 * line) and the body. The YAML's line offset lets diagnostics point at lines of the whole file.
 */
export function splitFrontMatter(text: string): FrontMatter {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") {
    return {
      ok: false,
      at: { line: 1, column: 1 },
      problem: "the file must start with a --- line that opens its YAML front matter",
    };
  }
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) {
    return {
      ok: false,
      at: { line: 1, column: 1 },
      problem: "the YAML front matter opened here is never closed: add a --- line after it",
    };
  }
  return {
    ok: true,
    yaml: lines.slice(1, end).join("\n"),
    body: lines.slice(end + 1).join("\n"),
    yamlLineOffset: 1,
    closingLine: end + 1,
  };
}
