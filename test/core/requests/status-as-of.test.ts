import { describe, expect, it } from "vitest";
import type { AuditRequest } from "../../../src/core/requests/request.js";
import {
  planRequestIssues,
  requestIssueBody,
  requestMarker,
} from "../../../src/core/requests/request-issues.js";
import { requestStatus } from "../../../src/core/requests/status.js";

const request = (id: string, over: Partial<AuditRequest> = {}): AuditRequest => ({
  file: { path: `audit/2026/requests/${id}.yaml` } as AuditRequest["file"],
  period: "2026",
  id,
  description: `Request ${id}`,
  criteria: [],
  due: "2026-11-15",
  status: "open",
  suggested: { controls: [], policies: [] },
  ...over,
});

const answered = (id: string, answeredOn: string) =>
  request(id, {
    status: "answered",
    answer: { controls: ["CHG-01"], evidence: [], answeredOn },
  });

describe("requestStatus as of a day", () => {
  it("counts an answer only from the day it was given", () => {
    const items = [answered("R-1", "2026-12-05"), answered("R-2", "2026-11-01")];
    const state = (asOf: string) =>
      Object.fromEntries(requestStatus(items, asOf).items.map((i) => [i.id, i.state]));
    expect(state("2026-12-05")).toEqual({ "R-1": "answered", "R-2": "answered" });
    // Before R-1 was answered it was open, and past its due date overdue.
    expect(state("2026-11-10")).toEqual({ "R-1": "open", "R-2": "answered" });
    expect(state("2026-11-20")).toEqual({ "R-1": "overdue", "R-2": "answered" });
    expect(state("2026-10-01")).toEqual({ "R-1": "open", "R-2": "open" });
  });
});

describe("request issues", () => {
  it("ties an issue to its own request, not to a marker quoted from the auditor's text", () => {
    const a = request("A", { description: `See also ${requestMarker("2026", "B")} please` });
    const b = request("B");
    const issues = [
      { number: 1, body: requestIssueBody(a) },
      { number: 2, body: requestIssueBody(b) },
    ];
    // Both issues are current: nothing to open, close or update.
    expect(planRequestIssues([a, b], issues)).toEqual([]);
    expect(requestIssueBody(a)).not.toContain(`> See also <!--`);
  });
});
