import { randomBytes } from "node:crypto";
import { isoSeconds } from "../git/objects.js";
import { tokenFingerprint } from "../http/auth.js";
import { notFound, unprocessable } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { installation, integration } from "../serialize/apps.js";
import { intParam, objectBody, repoOf } from "./common.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

// A token shaped like GitHub's installation tokens: "ghs_" and 36 base62 characters.
function newToken(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return `ghs_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/** The App, its installations, and installation access tokens. */
export const appRoutes: Route[] = [
  {
    method: "GET",
    template: "/app",
    handler: (req) => ({ body: integration(req.ctx) }),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/installation",
    handler: (req, state) => {
      const found = state.installationFor(repoOf(req, state));
      if (!found) throw notFound();
      return { body: installation(req.ctx, found) };
    },
  },
  {
    method: "POST",
    template: "/app/installations/{installation_id}/access_tokens",
    handler: (req, state) => {
      const found = state.installations.get(intParam(req, "installation_id"));
      if (!found) throw notFound();
      const body = objectBody(req);
      const asked = (body.permissions ?? {}) as Record<string, string>;
      for (const [name, level] of Object.entries(asked)) {
        const granted = found.permissions[name];
        if (!granted || (level === "write" && granted !== "write")) {
          throw unprocessable(`The permissions requested are not granted to this installation.`);
        }
      }
      const token = newToken();
      const expiresAt = isoSeconds(state.clock.now().getTime() + TOKEN_LIFETIME_MS);
      state.tokens.set(tokenFingerprint(token), {
        fingerprint: tokenFingerprint(token),
        installationId: found.id,
        expiresAt,
      });
      return {
        status: 201,
        body: {
          token,
          expires_at: expiresAt,
          permissions: Object.keys(asked).length > 0 ? asked : { ...found.permissions },
          repository_selection: found.repositorySelection,
        },
      };
    },
  },
];
