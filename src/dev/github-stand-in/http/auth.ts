import { createHash } from "node:crypto";
import type { StandInState } from "../state/state.js";

/** What the stand-in records about a request's credentials: never the token itself. */
export interface AuthInfo {
  scheme: "token" | "bearer" | "basic";
  kind: "installation-token" | "app-jwt" | "personal-token" | "token";
  /** For tokens the stand-in issued: the installation they belong to. */
  installationId?: number;
  /** First 12 hex digits of sha256(token): compare with tokenFingerprint(token). */
  fingerprint: string;
}

/** A short, one-way fingerprint of a token, safe to record and print. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 12);
}

/** Reads an `authorization` header; undefined when it is missing or carries no credential. */
export function readAuthorization(
  header: string | undefined,
  state: StandInState,
): AuthInfo | undefined {
  const m = /^\s*(token|bearer|basic)\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase() as AuthInfo["scheme"];
  const token = m[2] as string;
  const fingerprint = tokenFingerprint(token);
  const issued = state.tokens.get(fingerprint);
  if (issued)
    return {
      scheme,
      kind: "installation-token",
      installationId: issued.installationId,
      fingerprint,
    };
  if (token.startsWith("ghs_")) return { scheme, kind: "installation-token", fingerprint };
  if (/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(token)) return { scheme, kind: "app-jwt", fingerprint };
  if (/^(ghp_|github_pat_|gho_|ghu_)/.test(token))
    return { scheme, kind: "personal-token", fingerprint };
  return { scheme, kind: "token", fingerprint };
}

/** Request headers with credential values replaced, safe to record. */
export function redactHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    if (name === "authorization" || name === "proxy-authorization") {
      out[name] = `${text.trim().split(/\s+/)[0] ?? ""} [redacted]`;
    } else if (name === "cookie") {
      out[name] = "[redacted]";
    } else {
      out[name] = text;
    }
  }
  return out;
}
