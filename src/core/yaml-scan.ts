/**
 * Lexical scans of YAML text that find what a parser reports late or not at all: where a quoted
 * string that never closes opens, which bracket a broken flow collection opened with, and where
 * flow or block nesting passes a depth limit (before a recursive parser could overflow its stack).
 */

interface ScanState {
  /** Offsets of the open flow brackets, innermost last. */
  brackets: number[];
  /** Offset of the open quote, if any. */
  quote?: number;
}

/** Walks the text outside comments and quoted scalars, calling back on each flow bracket. */
function scan(
  text: string,
  until: number,
  onBracket?: (state: ScanState, offset: number) => boolean,
): ScanState {
  const state: ScanState = { brackets: [] };
  let quoteChar = "";
  for (let i = 0; i < Math.min(until, text.length); i++) {
    const c = text[i]!;
    if (state.quote !== undefined) {
      if (quoteChar === '"' && c === "\\") i++;
      else if (c === quoteChar) {
        if (quoteChar === "'" && text[i + 1] === "'") i++;
        else state.quote = undefined;
      }
      continue;
    }
    const before = i === 0 ? "\n" : text[i - 1]!;
    if ((c === '"' || c === "'") && " \t\n[{,:".includes(before)) {
      state.quote = i;
      quoteChar = c;
    } else if (c === "#" && " \t\n".includes(before)) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === "[" || c === "{") {
      state.brackets.push(i);
      if (onBracket?.(state, i)) return state;
    } else if (c === "]" || c === "}") {
      state.brackets.pop();
    }
  }
  return state;
}

/** Offset of the quote that opens a scalar never closed, if any. */
export function unclosedQuoteOffset(text: string): number | undefined {
  return scan(text, text.length).quote;
}

/** Offset of the innermost flow bracket still open at `offset`, if any. */
export function openBracketBefore(text: string, offset: number): number | undefined {
  return scan(text, offset).brackets.at(-1);
}

/** Offset of the first bracket nested deeper than `limit`, if any. */
export function flowTooDeep(text: string, limit: number): number | undefined {
  let found: number | undefined;
  scan(text, text.length, (state, offset) => {
    if (state.brackets.length > limit) found = offset;
    return found !== undefined;
  });
  return found;
}

/**
 * Offset of the first line indented deeper than `limit` block levels, counting one level per
 * increase of indentation. Block scalars and wrapped text add at most one level each, so real
 * files stay far below any sensible limit.
 */
export function blockTooDeep(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    const content = line.trimStart();
    if (content !== "" && !content.startsWith("#")) {
      const indent = line.length - content.length;
      while (indents.length > 0 && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > limit + 1) return offset + indent;
    }
    offset += line.length + 1;
  }
  return undefined;
}
