// Checks GitHub REST requests and responses against the committed subset of GitHub's OpenAPI
// description (test/fixtures/github-api/openapi-subset.json, made by
// scripts/extract-github-openapi.mjs). Tests plug it into the loopback stand-in's hooks so every
// request the Action or the App sends, and every answer the stand-in gives, is checked.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { GRAPHQL_ROUTE } from "../../src/dev/github-stand-in/server.js";
import { checkGraphQLRequest, checkGraphQLResponse } from "./github-graphql.js";

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const DOCUMENT_ID = "https://soc2-as-code.dev/test/github-openapi-subset.json";
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: { type?: string };
  "x-multi-segment"?: boolean;
}

interface Operation {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

/** A request to check: the OpenAPI template it targets, or a concrete path to match. */
export interface RequestToCheck {
  method: string;
  /** The OpenAPI path template, e.g. "/repos/{owner}/{repo}/git/blobs"; null: unknown route. */
  route?: string | null;
  /** The concrete path (used to find the template when `route` is not given). */
  path?: string;
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
}

/** One way a request or response departs from GitHub's description. */
export interface OpenApiViolation {
  kind: "request" | "response";
  method: string;
  route: string | null;
  path?: string;
  status?: number;
  message: string;
}

// OpenAPI 3.0 → JSON Schema as ajv reads it:
// - `nullable` is understood only next to `type`, and an `enum` must list null to accept it;
// - `oneOf` becomes `anyOf`: GitHub's description uses oneOf for unions whose branches overlap
//   (a 409 is `basic-error` or `repository-rule-violation-error`, and any basic error is both),
//   so real GitHub answers would fail "exactly one". anyOf still demands a documented shape.
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples") out[key] = value;
    else out[key === "oneOf" && Array.isArray(value) ? "anyOf" : key] = toJsonSchema(value);
  }
  if (out.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.type !== undefined) return out;
  delete out.nullable;
  return { anyOf: [out, { type: "null" }] };
}

const pointer = (...segments: string[]) =>
  segments
    .map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1"))
    .map((s) => s.replace(/\{/g, "%7B").replace(/\}/g, "%7D"))
    .join("/");

let loaded: { document: Document; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const url = new URL("../fixtures/github-api/openapi-subset.json", import.meta.url);
  const document = toJsonSchema(JSON.parse(readFileSync(url, "utf8"))) as Document;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  loaded = { document, ajv, validators: new Map() };
  return loaded;
}

/** A cached validator for the schema at a JSON pointer (unescaped segments) of the subset. */
function validatorAt(...segments: string[]): ValidateFunction {
  const { ajv, validators } = load();
  const ref = `${DOCUMENT_ID}#/${pointer(...segments)}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined, limit = 5): string {
  const list = (errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`.trim());
  const unique = [...new Set(list)];
  return unique.slice(0, limit).join("; ") + (unique.length > limit ? "; …" : "");
}

/** The operation of the subset for a method and template, if it is there. */
export function findOperation(method: string, route: string): Operation | undefined {
  return load().document.paths[route]?.[method.toLowerCase()];
}

interface ResolvedParameter extends Parameter {
  schemaPointer: string[];
}

function parameters(method: string, route: string): ResolvedParameter[] {
  const { document } = load();
  const op = findOperation(method, route);
  return (op?.parameters ?? []).map((p, i) => {
    if ("$ref" in p) {
      const name = p.$ref.split("/").pop() as string;
      const param = document.components.parameters?.[name] as Parameter;
      return { ...param, schemaPointer: ["components", "parameters", name, "schema"] };
    }
    return {
      ...p,
      schemaPointer: ["paths", route, method.toLowerCase(), "parameters", String(i), "schema"],
    };
  });
}

let templates:
  | { route: string; method: string; pattern: RegExp; names: string[]; literals: number }[]
  | undefined;

/** The template and path parameters a concrete request path matches in the subset. */
export function matchRoute(
  method: string,
  path: string,
): { route: string; params: Record<string, string> } | undefined {
  if (!templates) {
    templates = [];
    for (const [route, ops] of Object.entries(load().document.paths)) {
      for (const m of METHODS) {
        if (!ops[m]) continue;
        const multi = new Set(
          parameters(m, route)
            .filter((p) => p["x-multi-segment"])
            .map((p) => p.name),
        );
        const names: string[] = [];
        let literals = 0;
        const source = route
          .split("/")
          .map((segment) => {
            const param = /^\{(\w+)\}$/.exec(segment);
            if (!param) {
              if (segment) literals++;
              return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
            }
            names.push(param[1] as string);
            return multi.has(param[1] as string) ? "(.+)" : "([^/]+)";
          })
          .join("/");
        templates.push({ route, method: m, pattern: new RegExp(`^${source}$`), names, literals });
      }
    }
    templates.sort((a, b) => b.literals - a.literals);
  }
  const bare = path.split("?")[0]?.replace(/^\/api\/v3(?=\/)/, "") ?? "";
  for (const t of templates) {
    if (t.method !== method.toLowerCase()) continue;
    const m = t.pattern.exec(bare);
    if (!m) continue;
    const params: Record<string, string> = {};
    t.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] as string)));
    return { route: t.route, params };
  }
  return undefined;
}

// Path and query values are strings on the wire; coerce them to what the schema's type expects.
function coerce(value: string, type: string | undefined): unknown {
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Messages for every way a request departs from its operation in the subset (empty: fine). */
export function checkRequest(request: RequestToCheck): string[] {
  const method = request.method.toUpperCase();
  let route = request.route ?? null;
  let params = request.params ?? {};
  if (request.route === undefined && request.path !== undefined) {
    const matched = matchRoute(method, request.path);
    route = matched?.route ?? null;
    params = matched?.params ?? {};
  }
  if (route === null)
    return [`${method} ${request.path ?? "?"} is not an operation of the OpenAPI subset`];
  const op = findOperation(method, route);
  if (!op) return [`${method} ${route} is not an operation of the OpenAPI subset`];
  const problems: string[] = [];
  const declared = parameters(method, route);
  for (const p of declared.filter((d) => d.in === "path")) {
    const value = params[p.name];
    if (value === undefined || value === "") {
      problems.push(`path parameter "${p.name}" is missing`);
      continue;
    }
    const validate = validatorAt(...p.schemaPointer);
    if (!validate(coerce(value, p.schema?.type))) {
      problems.push(
        `path parameter "${p.name}"=${JSON.stringify(value)}: ${describe(validate.errors)}`,
      );
    }
  }
  const query = request.query ?? {};
  for (const [name, raw] of Object.entries(query)) {
    const p = declared.find((d) => d.in === "query" && d.name === name);
    if (!p) {
      problems.push(`query parameter "${name}" is not defined for ${op.operationId}`);
      continue;
    }
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const validate = validatorAt(...p.schemaPointer);
      if (!validate(coerce(value, p.schema?.type))) {
        problems.push(
          `query parameter "${name}"=${JSON.stringify(value)}: ${describe(validate.errors)}`,
        );
      }
    }
  }
  for (const p of declared.filter((d) => d.in === "query" && d.required)) {
    if (!(p.name in query)) problems.push(`required query parameter "${p.name}" is missing`);
  }
  const hasBody = request.body !== undefined && request.body !== null && request.body !== "";
  if (!op.requestBody) {
    if (hasBody) problems.push(`${op.operationId} takes no request body`);
  } else if (!hasBody) {
    if (op.requestBody.required) problems.push(`${op.operationId} requires a request body`);
  } else {
    const validate = validatorAt(
      "paths",
      route,
      method.toLowerCase(),
      "requestBody",
      "content",
      "application/json",
      "schema",
    );
    if (!validate(request.body)) problems.push(`request body: ${describe(validate.errors)}`);
  }
  return problems;
}

/**
 * Messages for every way a response departs from its operation's schema for that status.
 * Undocumented error statuses are not checked (GitHub sends many); undocumented 2xx are flagged.
 */
export function checkResponse(
  method: string,
  route: string,
  status: number,
  body: unknown,
): string[] {
  const op = findOperation(method, route);
  if (!op) return [`${method.toUpperCase()} ${route} is not an operation of the OpenAPI subset`];
  const response = op.responses[String(status)];
  if (!response) {
    return status >= 200 && status < 300
      ? [`${op.operationId} does not document status ${status}`]
      : [];
  }
  const where = response.$ref
    ? ["components", "responses", response.$ref.split("/").pop() as string]
    : ["paths", route, method.toLowerCase(), "responses", String(status)];
  const target = response.$ref
    ? (load().document.components.responses?.[where[2] as string] as typeof response)
    : response;
  if (!target.content?.["application/json"]) return [];
  const validate = validatorAt(...where, "content", "application/json", "schema");
  return validate(body)
    ? []
    : [`${op.operationId} ${status} response: ${describe(validate.errors)}`];
}

/** Hooks for startGitHubStandIn that collect violations of the OpenAPI subset. */
export interface OpenApiChecker {
  violations: OpenApiViolation[];
  onRequest(request: RequestToCheck & { route: string | null; path: string }): void;
  onResponse(
    request: { method: string; route: string | null; path: string },
    response: { status: number; body: unknown },
  ): void;
  /** Throws with every violation listed when there are any. */
  assertClean(): void;
}

/**
 * Collects violations from the stand-in's hooks:
 * `startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse })`.
 * With `responses: false` only requests are checked.
 */
export function createOpenApiChecker(options: { responses?: boolean } = {}): OpenApiChecker {
  const violations: OpenApiViolation[] = [];
  const checker: OpenApiChecker = {
    violations,
    onRequest: (request) => {
      // GraphQL is not in the OpenAPI description: its queries are checked against GitHub's schema.
      const graphql = request.route === GRAPHQL_ROUTE;
      for (const message of graphql ? checkGraphQLRequest(request.body) : checkRequest(request)) {
        violations.push({
          kind: "request",
          method: request.method,
          route: request.route,
          path: request.path,
          message,
        });
      }
    },
    onResponse: (request, response) => {
      if (options.responses === false || request.route === null) return;
      for (const message of request.route === GRAPHQL_ROUTE
        ? checkGraphQLResponse(response.body)
        : checkResponse(request.method, request.route, response.status, response.body)) {
        violations.push({
          kind: "response",
          method: request.method,
          route: request.route,
          path: request.path,
          status: response.status,
          message,
        });
      }
    },
    assertClean: () => {
      if (violations.length === 0) return;
      const lines = violations.map(
        (v) => `${v.kind} ${v.method} ${v.path ?? v.route}: ${v.message}`,
      );
      throw new Error(`OpenAPI violations:\n${lines.join("\n")}`);
    },
  };
  return checker;
}
