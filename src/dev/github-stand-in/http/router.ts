import type { SerializeContext } from "../serialize/context.js";
import type { StandInState } from "../state/state.js";
import type { AuthInfo } from "./auth.js";

/** A request as route handlers see it. */
export interface RouteRequest {
  method: string;
  /** The path without the "/api/v3" prefix, percent-encoded as sent. */
  path: string;
  /** The matched OpenAPI path template, e.g. "/repos/{owner}/{repo}/pulls/{pull_number}". */
  route: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  auth: AuthInfo | null;
  /** The request URL as received (for Link headers). */
  url: URL;
  ctx: SerializeContext;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Handlers are synchronous so each request reads and writes the state atomically. */
export type Handler = (req: RouteRequest, state: StandInState) => RouteResult;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  template: string;
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

// Parameters GitHub marks x-multi-segment: their values may contain "/".
const MULTI_SEGMENT = new Set(["path", "ref", "branch", "commit_sha", "basehead", "tree_sha"]);

interface Compiled {
  route: Route;
  names: string[];
  pattern: RegExp;
  literals: number;
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  let literals = 0;
  const source = route.template
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) {
        if (segment) literals++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      const name = param[1] as string;
      names.push(name);
      return MULTI_SEGMENT.has(name) ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { route, names, pattern: new RegExp(`^${source}$`), literals };
}

/** A matcher over the routes; templates with more fixed segments win over looser ones. */
export function createRouter(
  routes: readonly Route[],
): (method: string, path: string) => RouteMatch | undefined {
  const compiled = routes.map(compile).sort((a, b) => b.literals - a.literals);
  return (method, path) => {
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        c.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] as string)));
      } catch {
        continue;
      }
      return { route: c.route, params };
    }
    return undefined;
  };
}
