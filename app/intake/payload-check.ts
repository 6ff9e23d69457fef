/**
 * The shape a signed payload must have before a handler may turn it into evidence. GitHub signs
 * what it sends, but a payload can still be truncated, from another GitHub version, or crafted by
 * someone holding the secret: a push without `after` once became a false "branch deleted"
 * exception. Anything missing here is dead-lettered with the reason, never recorded.
 */
type Check = [path: string, kind: "string" | "number" | "boolean" | "object" | "array" | "sha"];

const REPOSITORY: Check[] = [
  ["repository", "object"],
  ["repository.full_name", "string"],
  ["repository.owner.login", "string"],
  ["repository.name", "string"],
];
const PULL: Check[] = [
  ["pull_request", "object"],
  ["pull_request.number", "number"],
  ["pull_request.head.sha", "sha"],
  ["pull_request.head.ref", "string"],
  ["pull_request.base.sha", "sha"],
  ["pull_request.base.ref", "string"],
  ["pull_request.user.login", "string"],
];

const CHECKS: Record<string, Check[]> = {
  push: [
    ...REPOSITORY,
    ["ref", "string"],
    ["before", "sha"],
    ["after", "sha"],
    ["commits", "array"],
    ["forced", "boolean"],
    ["deleted", "boolean"],
    ["created", "boolean"],
  ],
  pull_request: [...REPOSITORY, ["action", "string"], ["number", "number"], ...PULL],
  pull_request_review: [
    ...REPOSITORY,
    ["action", "string"],
    ...PULL,
    ["review", "object"],
    ["review.id", "number"],
    ["review.state", "string"],
  ],
};

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Undefined when the payload can be handled; otherwise what is wrong with it, in one line. */
export function payloadProblem(event: string, payload: unknown): string | undefined {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload))
    return "the body is not a JSON object";
  const checks = CHECKS[event];
  if (!checks) return undefined;
  for (const [path, kind] of checks) {
    const value = path
      .split(".")
      .reduce<unknown>(
        (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
        payload,
      );
    if (!hasKind(value, kind))
      return `${event} payload: ${path} is ${value === undefined ? "missing" : `not ${kind === "sha" ? "a commit SHA" : `a ${kind}`}`}`;
  }
  if (event === "pull_request" && (payload as { action?: unknown }).action === "closed") {
    const merged = (payload as { pull_request: { merged?: unknown } }).pull_request.merged;
    if (typeof merged !== "boolean") return "pull_request payload: pull_request.merged is missing";
  }
  return undefined;
}

function hasKind(value: unknown, kind: Check[1]): boolean {
  switch (kind) {
    case "sha":
      return typeof value === "string" && SHA.test(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}
