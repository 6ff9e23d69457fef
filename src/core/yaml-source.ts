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
  type YAMLError,
} from "yaml";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { diagnostic, FILE_START, type Diagnostic, type Position } from "./diagnostics.js";
import { LIMITS } from "./limits.js";

export type JsonPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can say where any value in it came from. */
export interface ParsedYaml {
  /** The plain value, or undefined when the file could not be read safely. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Where the value (or, with "key", the key) at a JSON path is written. Falls back to the nearest parent. */
  locate(path: JsonPath, target?: "key" | "value"): Position;
}

export interface ParseOptions {
  /** Lines before the YAML text in its file (a policy's front matter starts on line 2). */
  lineOffset?: number;
}

export function parseYaml(path: string, text: string, options: ParseOptions = {}): ParsedYaml {
  return parseFast(text, options) ?? parseCarefully(path, text, options);
}

// Characters that introduce anchors, aliases and tags. Files without them cannot hold an alias
// bomb or a custom tag, so the fast parser may read them.
const NEEDS_CAREFUL_PARSER = /[&*!]/;

/**
 * The fast path for the common case, a well-formed file: js-yaml (YAML 1.2 core schema) is about
 * ten times faster than the `yaml` library. Anything unusual (a parse error, anchors, aliases,
 * tags, deep nesting) returns undefined and goes to the careful parser, which finds the position of
 * every problem. Positions of a fast-parsed file are computed only when a diagnostic needs one.
 */
function parseFast(text: string, options: ParseOptions): ParsedYaml | undefined {
  if (NEEDS_CAREFUL_PARSER.test(text)) return undefined;
  let value: unknown;
  try {
    value = loadYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (depthExceeds(value, LIMITS.maxDepth)) return undefined;
  let careful: ParsedYaml | undefined;
  return {
    value,
    diagnostics: [],
    locate: (p, target) => (careful ??= parseCarefully("", text, options)).locate(p, target),
  };
}

function depthExceeds(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function parseCarefully(path: string, text: string, options: ParseOptions): ParsedYaml {
  const lineOffset = options.lineOffset ?? 0;
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    schema: "core",
  });
  const locate = (p: JsonPath, target: "key" | "value" = "value"): Position => {
    const offset = findOffset(doc, p, target);
    return offset === undefined ? { line: 1 + lineOffset, column: 1 } : at(offset);
  };

  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) diagnostics.push(fromYamlError(path, e, at, "error"));
  for (const w of doc.warnings) diagnostics.push(fromYamlError(path, w, at, "warning"));
  if (diagnostics.some((d) => d.severity === "error")) {
    return { value: undefined, diagnostics, locate };
  }

  const tooDeep = findTooDeep(doc.contents);
  if (tooDeep !== undefined) {
    diagnostics.push(
      diagnostic(
        path,
        at(tooDeep),
        "error",
        "yaml-too-deep",
        `nesting is deeper than ${LIMITS.maxDepth} levels: flatten the structure`,
      ),
    );
    return { value: undefined, diagnostics, locate };
  }

  try {
    const value: unknown = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
    return { value, diagnostics, locate };
  } catch (error) {
    diagnostics.push(aliasDiagnostic(path, doc, error, at));
    return { value: undefined, diagnostics, locate };
  }
}

const YAML_RULES: Record<string, [rule: string, hint: string]> = {
  DUPLICATE_KEY: [
    "yaml-duplicate-key",
    "a key may appear only once in a mapping: remove or rename one of them",
  ],
  MULTIPLE_DOCS: [
    "yaml-multiple-documents",
    "a file holds one document: remove the extra --- separator or split the file",
  ],
  RESOURCE_EXHAUSTION: ["yaml-too-deep", "the structure is too deeply nested to read: flatten it"],
  TAG_RESOLVE_FAILED: [
    "yaml-unknown-tag",
    "custom tags (!tag) are not supported: write a plain value",
  ],
  TAB_AS_INDENT: ["yaml-syntax", "indent with spaces, not tabs"],
};

function fromYamlError(
  path: string,
  e: YAMLError,
  at: (offset: number) => Position,
  severity: Diagnostic["severity"],
): Diagnostic {
  const [rule, hint] = YAML_RULES[e.code] ?? ["yaml-syntax", ""];
  const message = firstLine(e.message).replace(/\.$/, "");
  // An unresolvable tag could make the value mean something else than it reads: treat it as an error.
  const level = rule === "yaml-unknown-tag" ? "error" : severity;
  return diagnostic(
    path,
    at(e.pos[0]),
    level,
    rule,
    hint ? `${message}: ${hint}` : `YAML syntax error: ${message}`,
  );
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

function findOffset(doc: Document, path: JsonPath, target: "key" | "value"): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = (node as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return best;
      const keyOffset = (pair.key as Node).range?.[0];
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
