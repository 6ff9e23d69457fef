import type { Account } from "../../change-management/facts.js";

/** Lenient readers for webhook payloads and API answers: GitHub's shapes vary between events. */
export {
  type JsonObject as Json,
  asObject as obj,
  textOf as str,
  asList as list,
} from "../../json-read.js";
import { asObject as obj, textOf as str } from "../../json-read.js";

/** A GitHub account from a payload's user object, or undefined when it has no numeric id. */
export function accountOf(value: unknown): Account | undefined {
  const a = obj(value);
  if (typeof a.id !== "number" || a.id < 1 || str(a.login) === "") return undefined;
  const type =
    a.type === "Bot" || a.type === "Organization" || a.type === "Mannequin" ? a.type : "User";
  return { id: a.id, login: str(a.login), type };
}

/** The repository of an event, as records name it: numeric id and owner/name. */
export function repositoryOf(payload: unknown): { id: number; full_name: string } {
  const r = obj(obj(payload).repository);
  return { id: typeof r.id === "number" ? r.id : 0, full_name: str(r.full_name) };
}

/** A timestamp as ISO 8601 UTC; payloads carry ISO strings or (push events) epoch seconds. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value))
    return new Date(value * 1000).toISOString();
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** A full commit SHA, or undefined (GitHub's all-zero SHA means "no commit": a created or deleted branch). */
export function shaOf(value: unknown): string | undefined {
  const s = str(value).toLowerCase();
  return SHA.test(s) && !/^0+$/.test(s) ? s : undefined;
}
