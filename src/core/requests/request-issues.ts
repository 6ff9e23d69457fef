import type { AuditRequest } from "./request.js";

/** The label every request issue carries, so the sync lists them in one request. */
export const REQUEST_LABEL = "soc2-request";

/** The hidden marker that ties an issue to its request, in the body: people may retitle it. */
export function requestMarker(period: string, id: string): string {
  return `<!-- soc2-request period=${period} id=${id} -->`;
}

// Only the body's last line counts: the body quotes the auditor's description, which could carry a
// marker of another request, and an issue must not be taken for that request's.
const MARKER = /<!-- soc2-request period=([A-Za-z0-9._-]+) id=([A-Za-z0-9._-]+) -->\s*$/;

/** An issue of the repository, as far as request issues need it. */
export interface RequestIssue {
  number: number;
  body: string;
}

export type RequestIssueAction =
  | { action: "open"; key: string; title: string; body: string }
  | { action: "update"; key: string; number: number; title: string; body: string }
  | {
      action: "close";
      key: string;
      number: number;
      reason: "completed" | "not_planned" | "duplicate";
    };

/**
 * What to do with the open request issues so that each open request has exactly one open issue
 * and no other request has one: opened for an open request, updated when the list changed it,
 * closed as completed once it is answered in the repository, as not planned when its file is gone.
 * Idempotent: applied, the next plan is empty (and a race that opened two is healed).
 */
export function planRequestIssues(
  requests: readonly AuditRequest[],
  openIssues: readonly RequestIssue[],
): RequestIssueAction[] {
  const byKey = new Map<string, RequestIssue[]>();
  for (const issue of openIssues) {
    const m = MARKER.exec(issue.body);
    if (!m) continue;
    const key = `${m[1]}/${m[2]}`;
    byKey.set(
      key,
      [...(byKey.get(key) ?? []), issue].sort((a, b) => a.number - b.number),
    );
  }
  const actions: RequestIssueAction[] = [];
  const known = new Set<string>();
  for (const r of requests) {
    if (r.id === undefined) continue;
    const key = `${r.period}/${r.id}`;
    known.add(key);
    const [kept, ...duplicates] = byKey.get(key) ?? [];
    for (const d of duplicates)
      actions.push({ action: "close", key, number: d.number, reason: "duplicate" });
    if (r.status === "answered") {
      if (kept) actions.push({ action: "close", key, number: kept.number, reason: "completed" });
      continue;
    }
    const title = requestIssueTitle(r);
    const body = requestIssueBody(r);
    if (!kept) actions.push({ action: "open", key, title, body });
    else if (kept.body !== body)
      actions.push({ action: "update", key, number: kept.number, title, body });
  }
  for (const [key, issues] of [...byKey].sort(([a], [b]) => a.localeCompare(b)))
    if (!known.has(key))
      for (const issue of issues)
        actions.push({ action: "close", key, number: issue.number, reason: "not_planned" });
  return actions;
}

export function requestIssueTitle(r: AuditRequest): string {
  const first = r.description.split("\n")[0]!;
  const text = first.length > 90 ? `${first.slice(0, 89)}…` : first;
  return `Audit request ${r.reference ?? r.id}: ${text}`;
}

/**
 * The issue body: what is asked, by when, what the import suggests, how to answer. Nothing in it
 * depends on the day, so an unchanged request leaves its issue untouched.
 */
export function requestIssueBody(r: AuditRequest): string {
  const lines = [
    `The auditor asks (${r.period}, \`${r.file.path}\`):`,
    "",
    // An HTML comment opener in quoted text is shown, never taken as a comment (or a marker).
    ...r.description.split("\n").map((l) => `> ${l.replaceAll("<!--", "&lt;!--")}`),
    "",
    `- **Due:** ${r.due ?? "no due date"}`,
    ...(r.criteria.length > 0 ? [`- **Criteria:** ${r.criteria.join(", ")}`] : []),
    ...(r.sample === undefined
      ? []
      : [`- **Sample:** ${r.sample ? "yes: provide the population first" : "no"}`]),
    ...(r.suggested.controls.length + r.suggested.policies.length > 0
      ? [`- **Suggested:** ${[...r.suggested.controls, ...r.suggested.policies].join(", ")}`]
      : []),
    "",
    `Answer it in the repository, in a pull request: \`soc2 requests answer ${r.id} --period ${r.period} --control <id> --evidence <file>\`. This issue closes once the answer is merged and the sync runs again.`,
    "",
    requestMarker(r.period, r.id ?? ""),
  ];
  return lines.join("\n");
}
