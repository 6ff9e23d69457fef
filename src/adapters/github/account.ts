import type { Account } from "../../core/change-management/facts.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";

/** A GitHub user object (simple-user) as the facts keep it: id, login and type. */
export function account(value: unknown): Account {
  const a = obj(value);
  const type =
    a.type === "Bot" || a.type === "Organization" || a.type === "Mannequin" ? a.type : "User";
  return { id: Number(a.id ?? 0), login: str(a.login), type };
}
