import { describe, expect, it } from "vitest";
import {
  parseCodeOwners,
  patternMatcher,
  ruleFor,
} from "../../../src/core/change-management/codeowners.js";

// How GitHub matches CODEOWNERS patterns (gitignore rules, plus: a trailing lone `*` does not
// reach into subdirectories). path → whether the pattern owns it.
const PATTERNS: Record<string, Record<string, boolean>> = {
  // unanchored: any depth; owns a directory's contents
  logs: { logs: true, "logs/a.txt": true, "app/logs/a.txt": true, "logs.txt": false },
  // leading slash: root only
  "/build": { build: true, "build/out.js": true, "src/build": false, "builder.js": false },
  // trailing slash: directories only, at any depth
  "apps/": { apps: false, "apps/web/index.ts": true, "x/apps/a.ts": true },
  "/docs/": { docs: false, "docs/a.md": true, "docs/deep/b.md": true, "src/docs/c.md": false },
  // a slash in the middle anchors
  "src/api": { "src/api/a.ts": true, "lib/src/api/a.ts": false, "src/apix": false },
  // `*` stays in a segment; `/*` at the end owns direct children only
  "docs/*": { "docs/a.md": true, "docs/build-app/troubleshooting.md": false, docs: false },
  "/*": { "README.md": true, "src/a.ts": false },
  "*": { "README.md": true, "src/a.ts": true, ".github/workflows/ci.yml": true },
  "*.js": { "a.js": true, "src/deep/a.js": true, ".eslintrc.js": true, "a.jsx": false },
  "/*.md": { "README.md": true, "docs/a.md": false },
  "f*": { foo: true, "foo/bar": true, "bar/foo/baz": true, "bar/baz": false, xfoo: false },
  "f*/": { foo: false, "foo/bar": true, "bar/foo/baz": true },
  "?.ts": { "a.ts": true, "ab.ts": false },
  // `**`
  "**/logs": { logs: true, "build/logs/a": true, "deeply/nested/logs/b": true, "logsx/a": false },
  "docs/**": { docs: false, "docs/a.md": true, "docs/x/y.md": true, "src/docs/a.md": false },
  "a/**/b": { "a/b": true, "a/x/b": true, "a/x/y/b/c": true, "z/a/b": false },
  "**": { anything: true, "any/depth/at/all": true },
  // escapes and characters CODEOWNERS does not give a meaning
  "f\\*o": { "f*o": true, foo: false },
  "a{b,c}": { "a{b,c}": true, ab: false },
  "/docs/with\\ space.md": { "docs/with space.md": true },
};

describe("CODEOWNERS patterns", () => {
  const rows = Object.entries(PATTERNS).flatMap(([pattern, paths]) =>
    Object.entries(paths).map(([path, owned]) => ({ pattern, path, owned })),
  );
  it.each(rows)("$pattern owns $path: $owned", ({ pattern, path, owned }) => {
    expect(patternMatcher(pattern)(path)).toBe(owned);
  });

  it("a lone / owns nothing", () => {
    expect(patternMatcher("/")("a")).toBe(false);
  });
});

describe("parseCodeOwners", () => {
  const file = [
    "# Default owners",
    "*       @acme/everyone   # inline comment",
    "",
    "/src/   @Carol owner@acme.example",
    "/src/generated/",
    "!/src/keep     @dave",
    "/lib/[ab]      @dave",
    "/bin/   not-an-owner",
  ].join("\n");
  const parsed = parseCodeOwners(file);

  it("reads patterns and owners, ignoring comments and blank lines", () => {
    expect(parsed.rules.map((r) => [r.line, r.pattern, r.owners])).toEqual([
      [2, "*", [{ kind: "team", slug: "acme/everyone" }]],
      [
        4,
        "/src/",
        [
          { kind: "user", login: "Carol" },
          { kind: "email", email: "owner@acme.example" },
        ],
      ],
      [5, "/src/generated/", []],
    ]);
  });

  it("skips lines GitHub would not accept, and says why", () => {
    expect(parsed.skipped).toEqual([
      { line: 6, problem: "negated patterns (!) are not supported in CODEOWNERS" },
      { line: 7, problem: "character ranges ([ ]) are not supported in CODEOWNERS" },
      { line: 8, problem: '"not-an-owner" is not a @user, @org/team or email address' },
    ]);
  });

  it.each([
    ["src/app.ts", 4],
    ["src/generated/client.ts", 5], // matched by an owner-less line: un-owned
    ["README.md", 2],
    ["lib/a", 2], // the skipped bracket line does not apply
  ])("the last matching line decides %s (line %i)", (path, line) => {
    expect(ruleFor(parsed, path)?.line).toBe(line);
  });

  it("an empty file owns nothing", () => {
    expect(ruleFor(parseCodeOwners(""), "a.ts")).toBeUndefined();
  });

  it("reads CRLF line endings", () => {
    expect(parseCodeOwners("* @a\r\n/x/ @b\r\n").rules.map((r) => r.pattern)).toEqual(["*", "/x/"]);
  });
});
