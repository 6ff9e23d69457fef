import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
} from "yaml";
import { diagnostic, FILE_START, type Diagnostic, type Position } from "./diagnostics.js";
import { firstNonFinite, literalAt, NON_FINITE_FIX } from "./finite.js";
import { LIMITS } from "./limits.js";
import { loadFast } from "./yaml-fast.js";
import { blockTooDeep, flowTooDeep, openBracketBefore, unclosedQuoteOffset } from "./yaml-scan.js";

export type JsonPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can say where any value in it came from. */
export interface ParsedYaml {
  /** The plain value (null for an empty document), or undefined when the file could not be read safely. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Where the value (or, with "key", the key) at a JSON path is written. Falls back to the nearest parent. */
  locate(path: JsonPath, target?: "key" | "value"): Position;
}

export interface ParseOptions {
  /** Lines before the YAML text in its file (a policy's front matter starts on line 2). */
  lineOffset?: number;
}

/**
 * Parses one YAML document. Well-formed files take the fast path and compute positions only when
 * a diagnostic needs one; everything else is read by the careful parser, which reports each
 * problem with its position and never throws.
 */
export function parseYaml(path: string, text: string, options: ParseOptions = {}): ParsedYaml {
  const fast = loadFast(text);
  if (!fast) return parseCarefully(path, text, options);
  let careful: ParsedYaml | undefined;
  return {
    value: fast.value,
    diagnostics: [],
    locate: (p, target) => (careful ??= parseCarefully(path, text, options)).locate(p, target),
  };
}

function parseCarefully(path: string, text: string, options: ParseOptions): ParsedYaml {
  const lineOffset = options.lineOffset ?? 0;
  const lines = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(Math.min(offset, text.length));
    return { line: line + lineOffset, column: col };
  };
  const failed = (d: Diagnostic): ParsedYaml => ({
    value: undefined,
    diagnostics: [d],
    locate: () => at(0),
  });

  // Nesting deep enough to overflow a recursive parser is found by scanning the text first.
  const deep = flowTooDeep(text, LIMITS.maxDepth) ?? blockTooDeep(text, LIMITS.maxDepth);
  if (deep !== undefined) {
    lineStarts(text, lines);
    return failed(diagnostic(path, at(deep), "error", "yaml-too-deep", TOO_DEEP));
  }

  // uniqueKeys is off because the library checks it in quadratic time; findDuplicateKeys does it
  // in linear time.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    merge: false,
    schema: "core",
  });
  const locate = (p: JsonPath, target: "key" | "value" = "value"): Position => {
    const offset = findOffset(doc, p, target);
    return offset === undefined ? { line: 1 + lineOffset, column: 1 } : at(offset);
  };

  const diagnostics: Diagnostic[] = [];
  const exhausted = doc.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
  if (exhausted) {
    return {
      value: undefined,
      diagnostics: [diagnostic(path, at(exhausted.pos[0]), "error", "yaml-too-deep", TOO_DEEP)],
      locate,
    };
  }
  for (const e of doc.errors) diagnostics.push(fromYamlError(path, text, e, at, "error"));
  for (const w of doc.warnings) diagnostics.push(fromYamlError(path, text, w, at, "warning"));
  if (diagnostics.some((d) => d.severity === "error"))
    return { value: undefined, diagnostics, locate };

  const duplicate = findDuplicateKey(doc.contents);
  if (duplicate) {
    diagnostics.push(
      diagnostic(
        path,
        at(duplicate.offset),
        "error",
        "yaml-duplicate-key",
        `key "${duplicate.key}" appears twice in this mapping (first on line ${at(duplicate.firstOffset).line}): remove or rename one of them`,
      ),
    );
    return { value: undefined, diagnostics, locate };
  }
  const tooDeep = findTooDeep(doc.contents);
  if (tooDeep !== undefined) {
    diagnostics.push(diagnostic(path, at(tooDeep), "error", "yaml-too-deep", TOO_DEEP));
    return { value: undefined, diagnostics, locate };
  }
  try {
    const value: unknown = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
    const nonFinite = firstNonFinite(value);
    if (nonFinite !== undefined) {
      const offset = findOffset(doc, nonFinite, "value") ?? 0;
      diagnostics.push(
        diagnostic(
          path,
          at(offset),
          "error",
          "non-finite-number",
          `${JSON.stringify(literalAt(text, offset))} is not a finite number (infinity, NaN or too large for a number), which no record digest or JSON can hold: ${NON_FINITE_FIX}`,
        ),
      );
      return { value: undefined, diagnostics, locate };
    }
    return { value, diagnostics, locate };
  } catch (error) {
    diagnostics.push(aliasDiagnostic(path, doc, error, at));
    return { value: undefined, diagnostics, locate };
  }
}

const TOO_DEEP = `nesting is deeper than ${LIMITS.maxDepth} levels: flatten the structure`;

function lineStarts(text: string, lines: LineCounter): void {
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
}

const YAML_RULES: Record<string, [rule: string, hint: string]> = {
  MULTIPLE_DOCS: [
    "yaml-multiple-documents",
    "a file holds one document: remove the extra --- separator or split the file",
  ],
  TAG_RESOLVE_FAILED: [
    "yaml-unknown-tag",
    "custom tags (!tag) are not supported: write a plain value",
  ],
  TAB_AS_INDENT: ["yaml-syntax", "indent with spaces, not tabs"],
};

function fromYamlError(
  path: string,
  text: string,
  e: YAMLError,
  at: (offset: number) => Position,
  severity: Diagnostic["severity"],
): Diagnostic {
  const [rule, hint] = YAML_RULES[e.code] ?? ["yaml-syntax", ""];
  const message = firstLine(e.message).replace(/\.$/, "");
  // An unresolvable tag could make the value mean something other than it reads: an error.
  const level = rule === "yaml-unknown-tag" ? "error" : severity;
  const opened = openedAt(text, e);
  const described =
    opened !== undefined
      ? `YAML syntax error: the ${text[opened]} opened here is never closed (${message}): close it on this value`
      : hint
        ? `${message}: ${hint}`
        : `YAML syntax error: ${message}`;
  return diagnostic(path, at(opened ?? e.pos[0]), level, rule, described);
}

/**
 * The parser notices an unclosed quote or bracket only where the text ends or the next key
 * starts; the offset where it opened is what the author needs.
 */
function openedAt(text: string, e: YAMLError): number | undefined {
  if (e.code === "MISSING_CHAR" && /quote/i.test(e.message)) return unclosedQuoteOffset(text);
  if (/flow (sequence|mapping|collection)/i.test(e.message))
    return openBracketBefore(text, e.pos[0]);
  return undefined;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

function aliasDiagnostic(
  path: string,
  doc: Document,
  error: unknown,
  at: (offset: number) => Position,
): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const aliases = collectAliases(doc.contents);
  if (/excessive alias count/i.test(message)) {
    const first = aliases[0];
    return diagnostic(
      path,
      first ? at(first.offset) : FILE_START,
      "error",
      "yaml-alias-limit",
      `aliases expand to more than ${LIMITS.maxAliasCount} nodes (a "billion laughs" pattern): write the values out instead of nesting aliases`,
    );
  }
  const missing = /:\s*(\S+)\s*$/.exec(message)?.[1];
  const offset = aliases.find((a) => a.source === missing)?.offset ?? aliases[0]?.offset;
  return diagnostic(
    path,
    offset === undefined ? FILE_START : at(offset),
    "error",
    "yaml-alias",
    `${firstLine(message)}: define the anchor (&name) before using the alias (*name)`,
  );
}

/** Alias nodes, in document order. */
function collectAliases(root: unknown): Array<{ offset: number; source: string }> {
  const out: Array<{ offset: number; source: string }> = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) out.push({ offset: node.range?.[0] ?? 0, source: node.source });
    else if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
    else if (isPair(node)) stack.push(node.key, node.value);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The first key that repeats within a mapping, found in linear time. */
function findDuplicateKey(
  root: unknown,
): { key: string; offset: number; firstOffset: number } | undefined {
  const stack: unknown[] = [root];
  let found: { key: string; offset: number; firstOffset: number } | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = keyText(pair);
        const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
        const first = key === undefined ? undefined : seen.get(key);
        if (key !== undefined && first !== undefined && (!found || offset < found.offset))
          found = { key, offset, firstOffset: first };
        if (key !== undefined && first === undefined) seen.set(key, offset);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found;
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** Offset of the first collection nested deeper than the limit, found without recursion. */
function findTooDeep(root: unknown): number | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > LIMITS.maxDepth) return node.range?.[0] ?? 0;
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node)) {
      stack.push([node.key, depth], [node.value, depth]);
    }
  }
  return undefined;
}

// Key lookups per mapping, built once: locating many errors in a large mapping stays linear.
const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairFor(map: YAMLMap, key: string): Pair | undefined {
  let index = keyIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const text = keyText(pair);
      if (text !== undefined && !index.has(text)) index.set(text, pair);
    }
    keyIndex.set(map, index);
  }
  return index.get(key);
}

function findOffset(doc: Document, path: JsonPath, target: "key" | "value"): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = (node as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = pairFor(node, String(segment));
      if (!pair) return best;
      const keyOffset = (pair.key as Node | null)?.range?.[0];
      if (i === path.length - 1 && target === "key") return keyOffset ?? best;
      node = pair.value;
      best = (node as Node | null)?.range?.[0] ?? keyOffset ?? best;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (node === undefined) return best;
      best = (node as Node | null)?.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
}
