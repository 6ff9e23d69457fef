import type { JsonPath } from "./yaml-source.js";

/**
 * Infinity and NaN have no JSON form: RFC 8785 canonical JSON (and so every content digest) cannot
 * hold them, and JSON Schema's `number` means a finite one. YAML writes them as `.inf`, `-.inf` and
 * `.nan`, and any number too large for a double (`1e400`, in YAML or JSON) reads as Infinity, so
 * they are refused where files are parsed, before anything tries to hash or validate them.
 */
export function firstNonFinite(root: unknown): JsonPath | undefined {
  const stack: Array<[unknown, JsonPath]> = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], [...path, i]]);
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push([entries[i]![1], [...path, entries[i]![0]]]);
    }
  }
  return undefined;
}

/** The literal written at `offset` (a number, `.inf`, `.nan`), for a message that quotes it. */
export function literalAt(text: string, offset: number): string {
  return /^[^\s,\]}#]+/.exec(text.slice(offset))?.[0] ?? "";
}

export const NON_FINITE_FIX = "write a finite number, or quote the value to keep it as text";

/**
 * The offset of the first number in a JSON text that does not fit a double (e.g. 1e400), which
 * JSON.parse reads as Infinity. Strings are skipped, so "1e400" in quotes is not reported.
 */
export function nonFiniteJsonOffset(text: string): number | undefined {
  const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      number.lastIndex = i;
      const match = number.exec(text);
      if (!match) continue;
      if (!Number.isFinite(Number(match[0]))) return i;
      i += match[0].length - 1;
    }
  }
  return undefined;
}
