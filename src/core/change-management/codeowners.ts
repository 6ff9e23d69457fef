import picomatch from "picomatch";

/** An owner named in CODEOWNERS: a user (@login), a team (@org/team-slug) or an email address. */
export type CodeOwner =
  | { kind: "user"; login: string }
  | { kind: "team"; slug: string }
  | { kind: "email"; email: string };

export interface CodeOwnersRule {
  /** 1-based line in the file. */
  line: number;
  pattern: string;
  /** Empty when the line un-owns the paths it matches. */
  owners: CodeOwner[];
  matches(path: string): boolean;
}

export interface CodeOwners {
  rules: CodeOwnersRule[];
  /** Lines GitHub ignores because they are not valid, with the reason. */
  skipped: Array<{ line: number; problem: string }>;
}

/**
 * Parses a CODEOWNERS file the way GitHub reads it: one pattern and its owners a line, `#` starts
 * a comment, and lines GitHub would not accept (negation, character ranges, bad owners) are
 * skipped rather than guessed at.
 */
export function parseCodeOwners(text: string): CodeOwners {
  const rules: CodeOwnersRule[] = [];
  const skipped: CodeOwners["skipped"] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const tokens = tokenize(raw);
    const pattern = tokens[0];
    if (pattern === undefined) return;
    const problem = patternProblem(pattern);
    if (problem) {
      skipped.push({ line, problem });
      return;
    }
    const owners: CodeOwner[] = [];
    for (const token of tokens.slice(1)) {
      const owner = parseOwner(token);
      if (!owner) {
        skipped.push({ line, problem: `"${token}" is not a @user, @org/team or email address` });
        return;
      }
      owners.push(owner);
    }
    rules.push({ line, pattern, owners, matches: patternMatcher(pattern) });
  });
  return { rules, skipped };
}

/** The rule that decides a path's owners: the last one that matches. Undefined when none does. */
export function ruleFor(codeowners: CodeOwners, path: string): CodeOwnersRule | undefined {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (rule.matches(path)) return rule;
  }
  return undefined;
}

export function ownerLabel(owner: CodeOwner): string {
  if (owner.kind === "user") return `@${owner.login}`;
  if (owner.kind === "team") return `@${owner.slug}`;
  return owner.email;
}

/** Splits a line into whitespace-separated tokens, up to a comment; `\ ` keeps a space in a pattern. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\" && i + 1 < line.length) {
      current += ch + line[++i]!;
    } else if (ch === " " || ch === "\t") {
      if (current) tokens.push(current);
      current = "";
    } else if (ch === "#" && current === "") {
      break;
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function patternProblem(pattern: string): string | undefined {
  if (pattern.startsWith("!")) return "negated patterns (!) are not supported in CODEOWNERS";
  if (/(^|[^\\])\[/.test(pattern)) return "character ranges ([ ]) are not supported in CODEOWNERS";
  if (pattern.includes("***")) return "three asterisks in a row are not a valid pattern";
  return undefined;
}

const USER = /^@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)$/;
const TEAM = /^@([A-Za-z0-9-]+\/[A-Za-z0-9_.-]+)$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function parseOwner(token: string): CodeOwner | undefined {
  const team = TEAM.exec(token);
  if (team) return { kind: "team", slug: team[1]!.toLowerCase() };
  const user = USER.exec(token);
  if (user) return { kind: "user", login: user[1]! };
  if (EMAIL.test(token)) return { kind: "email", email: token };
  return undefined;
}

// Only `*`, `**`, `?` and `\` escapes mean something in CODEOWNERS: braces, brackets, extglobs
// and negation are taken literally.
const LITERAL = { dot: true, nobrace: true, nobracket: true, noextglob: true, nonegate: true };

/**
 * Turns a gitignore-style CODEOWNERS pattern into a path test, with GitHub's rules:
 * - a leading `/`, or a `/` in the middle, anchors the pattern to the repository root; otherwise
 *   it matches at any depth (`apps/` owns every apps folder);
 * - a trailing `/` matches only what is inside a directory;
 * - a pattern also owns everything below a directory it matches (`/docs` owns `docs/a/b.md`),
 *   except when its last segment is a lone `*` (`docs/*` owns `docs/a.md`, not `docs/a/b.md`).
 */
export function patternMatcher(pattern: string): (path: string) => boolean {
  const directoryOnly = pattern.endsWith("/") && pattern !== "/";
  let body = pattern.replace(/\/+$/, "");
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "") return () => false;
  if (!anchored && !body.startsWith("**")) body = `**/${body}`;
  // `/**/*` rather than `/**`: picomatch lets `dir/**` match `dir` itself, and `dir/` must not
  // own a file named dir.
  const globs = directoryOnly
    ? [`${body}/**/*`]
    : body.endsWith("/**")
      ? [`${body}/*`]
      : body.endsWith("/*") || body === "*"
        ? [body]
        : [body, `${body}/**/*`];
  return picomatch(globs, LITERAL);
}
