import type { Account } from "./facts.js";

/**
 * Bots never count as approvers. GitHub marks App and machine accounts with type Bot, but stored
 * or hand-made facts may lack the type, so the `[bot]` login suffix counts too.
 */
export function isBot(account: { login?: string; type?: string }): boolean {
  return account.type === "Bot" || (account.login ?? "").toLowerCase().endsWith("[bot]");
}

/** The first seven characters, as GitHub shows a commit. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : "an unknown commit";
}

/** Logins compare case-insensitively on GitHub. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Orders accounts for output: by login, then id, so reasons read the same on every run. */
export function byLogin(a: Account, b: Account): number {
  const la = a.login.toLowerCase();
  const lb = b.login.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a.id - b.id;
}

/** Joins names into prose: "a", "a and b", "a, b and c" (or "a, b or c"). */
export function listOf(items: readonly string[], conjunction: "and" | "or" = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
