import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { faultResponse, takeFault } from "./faults.js";
import { readAuthorization, redactHeaders, type AuthInfo } from "./http/auth.js";
import { HttpError } from "./http/errors.js";
import { parseJson, readBody, sendJson } from "./http/io.js";
import { createRouter, type RouteResult } from "./http/router.js";
import { ROUTES } from "./routes/index.js";
import { StandInState, type StateOptions } from "./state/state.js";

/** The loopback server only ever listens here. */
export const LOOPBACK = "127.0.0.1";
const API_PREFIX = "/api/v3";
/** The route GraphQL requests are recorded under: POST /graphql, or /api/graphql on Enterprise. */
export const GRAPHQL_ROUTE = "/graphql";

/** A request as the `onRequest` hook sees it: enough to check it against the OpenAPI description. */
export interface StandInRequest {
  method: string;
  /** The path without the "/api/v3" prefix, percent-encoded as sent. */
  path: string;
  /** The OpenAPI path template it matched, or null for an unknown route. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** Request headers; credential values are redacted. */
  headers: Record<string, string>;
}

/** What the stand-in answered. */
export interface StandInResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One request as recorded in `requests`. */
export interface RecordedRequest extends StandInRequest {
  /** Path and query as received, prefix included. */
  url: string;
  /** True when the request came in under "/api/v3". */
  enterprisePrefix: boolean;
  /** Which credential was used (never its value); null when none was sent. */
  auth: AuthInfo | null;
  status: number;
  /** True when an injected fault answered instead of the route. */
  fault: boolean;
  response: unknown;
}

export interface StandInOptions extends StateOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Serve an existing state instead of a fresh one. */
  state?: StandInState;
  /** Called with every request before it is answered (e.g. to check it against OpenAPI). */
  onRequest?: (request: StandInRequest) => void;
  /** Called with every answer. */
  onResponse?: (request: StandInRequest, response: StandInResponse) => void;
}

export interface GitHubStandIn {
  /** http://127.0.0.1:PORT: the API root, as GITHUB_API_URL. */
  url: string;
  /** url + "/api/v3": the GitHub Enterprise Server layout Probot uses with GHE_HOST. */
  apiBase: string;
  /** `GHE_HOST` for Probot: "127.0.0.1:PORT" (with GHE_PROTOCOL=http). */
  host: string;
  state: StandInState;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const match = createRouter(ROUTES);

function single(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) out[key] = value;
  return out;
}

function rootDocument(api: string): Record<string, string> {
  return {
    current_user_url: `${api}/user`,
    repository_url: `${api}/repos/{owner}/{repo}`,
    organization_url: `${api}/orgs/{org}`,
    rate_limit_url: `${api}/rate_limit`,
    note: "Loopback stand-in for the GitHub REST API (soc2-as-code). Not GitHub.",
  };
}

/**
 * Starts the loopback stand-in for the GitHub REST API on 127.0.0.1. Routes are served both at "/"
 * and under "/api/v3"; every request is recorded (tokens never are) and may be failed on purpose
 * through `state.faults`.
 */
export async function startGitHubStandIn(options: StandInOptions = {}): Promise<GitHubStandIn> {
  const state = options.state ?? new StandInState(options);
  const requests: RecordedRequest[] = [];
  let origin = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    const prefixed = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = (prefixed ? url.pathname.slice(API_PREFIX.length) : url.pathname) || "/";
    const ctx = { state, api: prefixed ? `${origin}${API_PREFIX}` : origin, web: origin };
    // GitHub Enterprise Server serves GraphQL at /api/graphql, beside /api/v3 (Octokit knows).
    const graphql = method === "POST" && (path === GRAPHQL_ROUTE || path === "/api/graphql");
    const found = graphql ? undefined : match(method, path);
    const runGraphQL = graphql ? (await import("./graphql/execute.js")).executeGraphQL : undefined;
    const headers = redactHeaders(req.headers);
    const query = single(url.searchParams);
    const auth = readAuthorization(req.headers.authorization, state) ?? null;

    let text = "";
    let body: unknown;
    let bodyError = false;
    try {
      text = await readBody(req);
      body = parseJson(text);
    } catch {
      body = text;
      bodyError = true;
    }
    const request: StandInRequest = {
      method,
      path,
      route: graphql ? GRAPHQL_ROUTE : (found?.route.template ?? null),
      params: found?.params ?? {},
      query,
      body,
      headers,
    };

    let result: RouteResult;
    let fault = false;
    const now = state.clock.now().getTime();
    const reset = String(Math.floor(now / 1000) + 3600);
    try {
      options.onRequest?.(request);
      if (method === "GET" && (path === "/" || path === "")) {
        result = { body: rootDocument(ctx.api) };
      } else if (!auth) {
        result = { status: 401, body: new HttpError(401, "Bad credentials").body() };
      } else {
        const random = state.faultInjector?.({ method, path, route: request.route });
        const injected =
          takeFault(state.faults, method, path, request.route, Math.floor(now / 1000)) ??
          (random ? faultResponse(random, Math.floor(now / 1000)) : undefined);
        if (injected) {
          fault = true;
          result = injected;
        } else if (bodyError) {
          result = { status: 400, body: new HttpError(400, "Problems parsing JSON").body() };
        } else if (runGraphQL) {
          result = { body: runGraphQL(body, ctx) };
        } else if (!found) {
          result = { status: 404, body: new HttpError(404, "Not Found").body() };
        } else {
          result = found.route.handler(
            {
              method,
              path,
              route: found.route.template,
              params: found.params,
              query,
              body,
              auth,
              url,
              ctx,
            },
            state,
          );
        }
      }
    } catch (error) {
      result =
        error instanceof HttpError
          ? { status: error.status, body: error.body(), headers: error.headers }
          : {
              status: 500,
              body: new HttpError(500, `stand-in error: ${(error as Error).message}`).body(),
            };
    }

    const status = result.status ?? 200;
    const responseHeaders: Record<string, string> = {
      "x-github-request-id": randomUUID().toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": reset,
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": graphql ? "graphql" : "core",
      ...result.headers,
    };
    sendJson(res, status, result.body, responseHeaders);
    requests.push({
      ...request,
      url: `${url.pathname}${url.search}`,
      enterprisePrefix: prefixed,
      auth,
      status,
      fault,
      response: result.body,
    });
    options.onResponse?.(request, { status, headers: responseHeaders, body: result.body });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(error) }, {});
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${LOOPBACK}:${port}`;
  return {
    url: origin,
    apiBase: `${origin}${API_PREFIX}`,
    host: `${LOOPBACK}:${port}`,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
