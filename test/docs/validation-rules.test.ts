import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Keeps docs/validation-rules.md honest: every rule ID the validator can emit has a section, and
 * the page documents no rule the code cannot emit. Rule IDs are read from the source text (through
 * the TypeScript parser, so multi-line calls, comments and quoting do not matter), not from a list
 * the code exports: a new `diagnostic(…, "new-rule", …)` is found without anyone registering it.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const DOC = "docs/validation-rules.md";

type Severity = "error" | "warning";

interface FoundRule {
  /** Severities the code gives the rule; "unknown" when one call site computes it at run time. */
  severities: Set<Severity | "unknown">;
  sites: string[];
}

interface Scan {
  rules: Map<string, FoundRule>;
  /** Call sites whose rule ID this test could not work out: they must be fixed or taught here. */
  unresolved: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * The string values an expression can take, or undefined when they depend on run-time data.
 * Follows what the validator's code does: literals, `a ? "x" : "y"`, `a ?? ["x", …]`, a const
 * lookup table `TABLE[key]` of `[rule, hint]` pairs, and names bound (also by array
 * destructuring) to one of those. With `index`, the values of that element of an array.
 */
function stringValues(
  node: ts.Expression,
  index?: number,
  active = new Set<ts.Node>(),
): string[] | undefined {
  if (active.has(node)) return undefined; // a cycle: give up rather than loop
  active.add(node);
  try {
    return valuesOf(node, index, (n, i) => stringValues(n, i, active));
  } finally {
    active.delete(node);
  }
}

function valuesOf(
  node: ts.Expression,
  index: number | undefined,
  recurse: (node: ts.Expression, index: number | undefined) => string[] | undefined,
): string[] | undefined {
  const union = (parts: Array<string[] | undefined>) =>
    parts.some((p) => p === undefined) ? undefined : parts.flatMap((p) => p!);

  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return index === undefined ? [node.text] : undefined;
  if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node)
  )
    return recurse(node.expression, index);
  if (ts.isConditionalExpression(node))
    return union([recurse(node.whenTrue, index), recurse(node.whenFalse, index)]);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return union([recurse(node.left, index), recurse(node.right, index)]);
  if (ts.isArrayLiteralExpression(node)) {
    const element = index === undefined ? undefined : node.elements[index];
    return element === undefined ? undefined : recurse(element, undefined);
  }
  if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression)) {
    // TABLE[key]: any of the table's values.
    const tables = bindingsOf(node.expression);
    if (tables.length === 0) return undefined;
    return union(
      tables.map(({ initializer, position }) =>
        initializer && position === undefined && ts.isObjectLiteralExpression(initializer)
          ? union(
              initializer.properties.map((p) =>
                ts.isPropertyAssignment(p) ? recurse(p.initializer, index) : undefined,
              ),
            )
          : undefined,
      ),
    );
  }
  if (ts.isIdentifier(node)) {
    const bindings = bindingsOf(node);
    if (bindings.length === 0) return undefined; // a parameter, or unknown: known only at run time
    return union(
      bindings.map(({ initializer, position }) =>
        initializer === undefined
          ? undefined
          : position === undefined
            ? recurse(initializer, index)
            : index === undefined
              ? recurse(initializer, position)
              : undefined,
      ),
    );
  }
  return undefined;
}

interface Binding {
  initializer: ts.Expression | undefined;
  /** For `const [a, b] = …`: which element the name is bound to. */
  position?: number;
}

/**
 * The `const name = …` or `const [a, name] = …` declarations a name refers to, found by walking
 * out through the enclosing blocks; none when the name is a parameter of an enclosing function.
 */
function bindingsOf(name: ts.Identifier): Binding[] {
  const binds = (pattern: ts.BindingName): boolean =>
    ts.isIdentifier(pattern)
      ? pattern.text === name.text
      : pattern.elements.some((e) => ts.isBindingElement(e) && binds(e.name));
  for (let scope: ts.Node | undefined = name.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => binds(p.name))) return [];
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    const found: Binding[] = [];
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text)
          found.push({ initializer: declaration.initializer });
        else if (ts.isArrayBindingPattern(declaration.name))
          declaration.name.elements.forEach((element, position) => {
            if (
              ts.isBindingElement(element) &&
              ts.isIdentifier(element.name) &&
              element.name.text === name.text
            )
              found.push({ initializer: declaration.initializer, position });
          });
      }
    }
    if (found.length > 0) return found;
  }
  return [];
}

/** Every rule ID passed to `diagnostic(path, at, severity, rule, message)` or written in a diagnostic object. */
function scanRules(files: ReadonlyArray<{ path: string; text: string }>): Scan {
  const rules = new Map<string, FoundRule>();
  const unresolved: string[] = [];
  const add = (rule: string, severities: Array<Severity | "unknown">, site: string) => {
    const found = rules.get(rule) ?? { severities: new Set(), sites: [] };
    severities.forEach((s) => found.severities.add(s));
    found.sites.push(site);
    rules.set(rule, found);
  };
  const severitiesOf = (node: ts.Expression): Array<Severity | "unknown"> =>
    (stringValues(node) as Severity[] | undefined) ?? ["unknown"];

  for (const { path, text } of files) {
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const where = (node: ts.Node) =>
      `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "diagnostic"
      ) {
        const [, , severity, rule] = node.arguments;
        const values = rule && stringValues(rule);
        if (!severity || !values) unresolved.push(where(node));
        else for (const v of values) add(v, severitiesOf(severity), where(node));
      }
      if (ts.isObjectLiteralExpression(node)) {
        const property = (key: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key,
          );
        const severity = property("severity");
        const rule = property("rule");
        const values = rule && stringValues(rule.initializer);
        if (severity && values)
          for (const v of values) add(v, severitiesOf(severity.initializer), where(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { rules, unresolved };
}

interface DocSection {
  rule: string;
  level: number;
  severities: Set<Severity> | undefined;
}

/** The sections of the page whose heading is a rule ID in backticks, e.g. ### `unknown-criterion`. */
function documentedRules(markdown: string): DocSection[] {
  // Lines inside fenced code blocks (examples of YAML comments or Markdown headings) are not
  // headings of this page.
  let fence = false;
  const lines = markdown.split("\n").map((text) => {
    const fenceLine = /^\s*(```|~~~)/.test(text);
    if (fenceLine) fence = !fence;
    return { text, code: fence || fenceLine };
  });
  const isHeading = (l: { text: string; code: boolean }) => !l.code && /^#{1,6}\s/.test(l.text);
  const sections: DocSection[] = [];
  lines.forEach((line, i) => {
    const heading = isHeading(line) ? /^(#{1,6})\s+`([^`]+)`\s*$/.exec(line.text) : null;
    if (!heading) return;
    const rest = lines.slice(i + 1);
    const end = rest.findIndex(isHeading);
    const body = (end < 0 ? rest : rest.slice(0, end)).map((l) => l.text);
    // The paragraph that starts with **Severity:**, however prettier wraps it.
    const first = body.findIndex((l) => l.startsWith("**Severity:**"));
    const length = body.slice(first).findIndex((l) => l.trim() === "");
    const paragraph =
      first < 0 ? undefined : body.slice(first, length < 0 ? undefined : first + length).join(" ");
    sections.push({
      rule: heading[2]!,
      level: heading[1]!.length,
      severities:
        paragraph === undefined
          ? undefined
          : new Set(
              (["error", "warning"] as const).filter((s) =>
                new RegExp(`\\b${s}\\b`).test(paragraph),
              ),
            ),
    });
  });
  return sections;
}

describe("the rule scanner", () => {
  it("follows literals, conditionals, lookup tables and destructuring, and flags what it cannot follow", () => {
    const text = `
          const TABLE: Record<string, [rule: string, hint: string]> = { A: ["from-table", "hint"] };
          function a(e: { code: string }, severity: "error" | "warning", ok: boolean) {
            diagnostic(p, at,
              "warning", // a comment between the arguments
              'single-quoted', message);
            diagnostic(p, at, "error", ok ? "branch-one" : "branch-two", message);
            const [rule, hint] = TABLE[e.code] ?? ["fallback", ""];
            diagnostic(p, at, severity, rule, hint);
            const fixed = "bound-to-a-name";
            diagnostic(p, at, "error", fixed, message);
            const object = { path, line: 1, column: 1, severity: "warning", rule: "in-object", message };
          }
          function b(rule: string) {
            diagnostic(p, at, "error", rule, message);
          }
        `;
    const scan = scanRules([{ path: "example.ts", text }]);
    expect([...scan.rules.keys()].sort()).toEqual([
      "bound-to-a-name",
      "branch-one",
      "branch-two",
      "fallback",
      "from-table",
      "in-object",
      "single-quoted",
    ]);
    expect([...scan.rules.get("single-quoted")!.severities]).toEqual(["warning"]);
    expect([...scan.rules.get("fallback")!.severities]).toEqual(["unknown"]);
    // The one call it cannot follow: b's rule is its parameter, not a's `rule` of the same name.
    const line = text.split("\n").findIndex((l) => l.includes('"error", rule,')) + 1;
    expect(scan.unresolved).toEqual([`example.ts:${line}`]);
  });
});

describe(DOC, () => {
  const scan = scanRules(
    sourceFiles(join(root, "src")).map((path) => ({
      path: relative(root, path),
      text: readFileSync(path, "utf8"),
    })),
  );
  const found = [...scan.rules.keys()].sort();
  const sections = documentedRules(readFileSync(join(root, DOC), "utf8"));
  const documented = sections.map((s) => s.rule);

  it("finds the validator's rule IDs in the source (the scan itself works)", () => {
    expect(found.length).toBeGreaterThanOrEqual(25);
    for (const rule of [
      "unknown-criterion",
      "yaml-alias-limit",
      "yaml-duplicate-key", // only in the YAML_RULES table
      "yaml-syntax", // only as the table's fallback
      "schema-unknown-property",
      "missing-program",
    ])
      expect(found).toContain(rule);
    for (const rule of found) expect(rule).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it("can tell the rule ID of every diagnostic the code creates", () => {
    // A call whose rule ID is computed in a way this test cannot follow could emit an undocumented
    // rule: pass a literal, or teach stringValues() the new pattern.
    expect(scan.unresolved).toEqual([]);
  });

  it("documents every rule the validator can emit", () => {
    expect(found.filter((rule) => !documented.includes(rule))).toEqual([]);
  });

  it("documents no rule the validator cannot emit, and each only once", () => {
    expect(documented.filter((rule) => !scan.rules.has(rule))).toEqual([]);
    expect(documented.filter((rule, i) => documented.indexOf(rule) !== i)).toEqual([]);
  });

  it('gives each rule a level-3 heading and a "**Severity:**" line that matches the code', () => {
    for (const section of sections) {
      expect(section.level, `heading of ${section.rule}`).toBe(3);
      expect(section.severities, `severity line of ${section.rule}`).toBeDefined();
      const inCode = scan.rules.get(section.rule)?.severities;
      if (!inCode || inCode.has("unknown")) continue; // set by the YAML parser at run time
      expect([...section.severities!].sort(), `severity of ${section.rule}`).toEqual(
        [...inCode].sort(),
      );
    }
  });
});
