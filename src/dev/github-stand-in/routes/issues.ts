import { HttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { serializeIssue } from "../serialize/issues.js";
import type { IssueState } from "../state/issues.js";
import { intParam, objectBody, repoOf, stringField, writer } from "./common.js";

const STATE_REASONS = ["completed", "not_planned", "duplicate", "reopened"] as const;

/** Issues: list (by label and state), create, and edit (title, body, state and state_reason). */
export const issueRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const wanted = req.query.state ?? "open";
      const labels = (req.query.labels ?? "")
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean);
      const chosen = state.issues
        .of(repo.fullName)
        .filter((i) => wanted === "all" || i.state === wanted)
        .filter((i) => labels.every((l) => i.labels.includes(l)))
        .sort((a, b) => b.number - a.number); // newest first, as GitHub sorts by default
      const page = paginate(req, chosen);
      return {
        body: page.items.map((i) => serializeIssue(req.ctx, repo, i)),
        headers: page.headers,
      };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const title = stringField(body, "title") as string;
      const labels = Array.isArray(body.labels)
        ? body.labels.filter((l): l is string => typeof l === "string")
        : [];
      const now = state.clock.current();
      const issues = state.issues.of(repo.fullName);
      const number = Math.max(0, ...issues.map((i) => i.number), ...repo.pulls.keys()) + 1;
      const issue: IssueState = {
        id: state.nextId("issue", 3_000_000_001),
        number,
        title,
        body: stringField(body, "body", false) ?? null,
        labels,
        state: "open",
        stateReason: null,
        author: writer(req, state),
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      issues.push(issue);
      return { status: 201, body: serializeIssue(req.ctx, repo, issue) };
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/{issue_number}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const number = intParam(req, "issue_number");
      const issue = state.issues.of(repo.fullName).find((i) => i.number === number);
      if (!issue) throw notFound();
      const body = objectBody(req);
      const text = stringField(body, "body", false);
      if (text !== undefined) issue.body = text;
      const title = stringField(body, "title", false);
      if (title !== undefined) issue.title = title;
      const next = stringField(body, "state", false);
      if (next !== undefined && next !== "open" && next !== "closed")
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Issue", field: "state", code: "invalid" }],
        });
      const reason = stringField(body, "state_reason", false);
      if (reason !== undefined && !(STATE_REASONS as readonly string[]).includes(reason))
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Issue", field: "state_reason", code: "invalid" }],
        });
      const now = state.clock.current();
      if (next === "closed" && issue.state === "open") {
        issue.state = "closed";
        issue.closedAt = now;
        issue.stateReason = (reason as IssueState["stateReason"]) ?? "completed";
      } else if (next === "open" && issue.state === "closed") {
        issue.state = "open";
        issue.closedAt = null;
        issue.stateReason = "reopened";
      }
      issue.updatedAt = now;
      return { body: serializeIssue(req.ctx, repo, issue) };
    },
  },
];
