import { stringify } from "yaml";
import { contentDigest } from "../../src/core/digest.js";
import type { ChainReport } from "../../src/core/evidence/verify-chain.js";
import { changeItemOf, inMergeOrder, type ChangeItem } from "../../src/core/audit/population.js";
import type { EvidenceRecord } from "../../src/core/model.js";
import {
  portalRecordFacts,
  type PortalInput,
  type PortalRecordFacts,
} from "../../src/core/portal/index.js";
import { portalContent } from "../../src/core/portal/portal-content.js";
import type { SourceFile } from "../../src/core/source-file.js";
import { validateRepository } from "../../src/core/validate.js";
import { minimalRepo } from "../helpers/minimal-repo.js";

/** Untrusted text as a pull request could carry it. */
export const HOSTILE_TITLE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> "quoted" & 'single'`;
export const HOSTILE_URL = "javascript:window.__pwned=3";

const NOW = new Date("2026-12-01T00:00:00Z");

function record(
  id: string,
  kind: string,
  recordedAt: string,
  content: Record<string, unknown>,
): [string, string] {
  const value = {
    version: 1,
    kind,
    id,
    controls: ["CHG-01"],
    recorded_at: recordedAt,
    source: { type: "github-app", name: "test" },
    digest: contentDigest(content),
    content,
  };
  return [`evidence/${id}.yml`, stringify(value)];
}

const account = (id: number, login: string) => ({ id, login, type: "User" });

function change(
  number: number,
  title: string,
  mergedAt: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    repository: { id: 1, full_name: number === 3 ? "acme/api" : "acme/web" },
    change: {
      type: "pull-request",
      number,
      title,
      url: number === 1 ? HOSTILE_URL : `https://github.example/acme/web/pull/${number}`,
      author: account(10, "alice"),
      base_ref: "main",
      head_ref: "topic",
      head_sha: "a".repeat(40),
      merged_sha: `${number}`.repeat(40).slice(0, 40),
      merge_method: "squash",
      merged_at: mergedAt,
      merged_by: account(11, "carol"),
    },
    commits: [
      {
        sha: "a".repeat(40),
        message: title,
        author: { name: "Alice" },
        committer: { name: "Alice" },
      },
    ],
    reviews: [],
    checks: [],
    ...extra,
  };
}

/**
 * A small compliance repository with three change records (one with a hostile title, one
 * emergency whose retrospective review is overdue, one bypass resolved by an attestation), a
 * review event, a gap, a not-applicable criterion and a policy overdue for review.
 */
export function fixtureFiles(): Record<string, string> {
  const base = minimalRepo();
  const files: Record<string, string> = {
    ...base,
    "soc2.yml": base["soc2.yml"]!.replace(
      "scope: { categories: [security] }",
      `scope:
  categories: [security, availability]
  not_applicable:
    - criterion: A1.3
      justification: Recovery testing is <b>carved out</b> to the cloud provider.`,
    ),
    "controls/chg-01.yml": `id: CHG-01
title: Pull requests are approved before merge
description: Every change is approved.
criteria: [CC8.1, A1.2]
owner: security-lead
frequency: per-occurrence
automation: automated
policies: [POL-INFOSEC, POL-MISSING]
evidence:
  - kind: change-record
    description: One per merge.
  - kind: review-event
    description: One per review.
  - kind: attestation
    description: Retrospective reviews of exceptions.
testing:
  methods: [inspection]
  procedure: Inspect a sample of change records.
`,
    "policies/old.md": `---
id: POL-OLD
title: An Old Policy
owner: security-lead
version: "1.0"
review_cadence: quarterly
last_reviewed: "2026-01-15"
criteria: [CC1.1]
---
Old text.
`,
  };
  const entries = [
    record(
      "changes/acme/web/2026/11/pr-1",
      "change-record",
      "2026-11-02T10:00:00Z",
      change(1, HOSTILE_TITLE, "2026-11-02T09:59:00Z", {
        reviews: [
          {
            id: 5,
            reviewer: account(12, "bob"),
            state: "APPROVED",
            commit_id: "a".repeat(40),
            submitted_at: "2026-11-02T09:00:00Z",
          },
        ],
        checks: [{ name: "ci", conclusion: "success", sha: "a".repeat(40) }],
        tickets: ["PAY-1"],
        verdict: {
          result: "pass",
          evaluated_at: "2026-11-02T10:00:00Z",
          rules: [{ rule: "required-approvals", result: "pass", reason: "1 of 1: bob" }],
        },
      }),
    ),
    record(
      "changes/acme/web/2026/11/pr-2",
      "change-record",
      "2026-11-10T10:00:00Z",
      change(2, "Emergency fix", "2026-11-10T09:59:00Z", {
        verdict: { result: "pass", evaluated_at: "2026-11-10T10:00:00Z", rules: [] },
        exception: {
          type: "emergency",
          reason: "labelled emergency-change",
          retrospective_review_due: "2026-11-12T09:59:00Z",
        },
      }),
    ),
    record(
      "changes/acme/api/2026/11/pr-3",
      "change-record",
      "2026-11-20T10:00:00Z",
      change(3, "Merged without review", "2026-11-20T09:59:00Z", {
        verdict: { result: "fail", evaluated_at: "2026-11-20T10:00:00Z", rules: [] },
        exception: { type: "bypass", reason: "merged without approval" },
      }),
    ),
    record("reviews/acme/web/pr-1/5", "review-event", "2026-11-02T09:00:01Z", {
      repository: { id: 1, full_name: "acme/web" },
      pull_request: { number: 1, head_sha: "a".repeat(40) },
      action: "submitted",
      review: {
        id: 5,
        reviewer: account(12, "bob"),
        state: "APPROVED",
        commit_id: "a".repeat(40),
        submitted_at: "2026-11-02T09:00:00Z",
      },
      occurred_at: "2026-11-02T09:00:00Z",
    }),
  ];
  for (const [path, text] of entries) files[path] = text;
  const [attPath, attText] = record(
    "attestations/2026/review-of-pr-3",
    "attestation",
    "2026-11-25T10:00:00Z",
    {
      title: "Retrospective review of acme/api#3",
      performed_at: "2026-11-25",
      performed_by: { name: "Sam" },
      summary:
        "Reviewed changes/acme/api/2026/11/pr-3 after the fact with its author; no issue found.",
      result: "no-exceptions",
      sign_off: [{ name: "Sam", role: "Head of Security", signed_on: "2026-11-25" }],
    },
  );
  files[attPath] = attText;
  return files;
}

export function sources(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = new TextEncoder().encode(text);
    return { path, size: bytes.length, bytes };
  });
}

export const INTACT: ChainReport = { ok: true, findings: [], chained: 0, unchained: [] };

export function fixtureInput(
  files = fixtureFiles(),
  integrity: ChainReport = INTACT,
  asOf: string | undefined = "2026-11-30",
  /** "streamed": as `soc2 portal` reads a repository (records kept as summaries); "whole": every record in memory. */
  mode: "streamed" | "whole" = "streamed",
): PortalInput {
  const changes: ChangeItem[] = [];
  const records = new Map<string, PortalRecordFacts>();
  const { repository } = validateRepository(sources(files), {
    now: NOW,
    ...(mode === "streamed"
      ? {
          retain: { content: portalContent },
          onRecord: (record: EvidenceRecord) => {
            const change = changeItemOf(record);
            if (change) changes.push(change);
            records.set(record.file.path, portalRecordFacts(record, change));
          },
        }
      : {}),
  });
  return {
    repository,
    recordTexts: new Map(Object.entries(files).filter(([p]) => p.startsWith("evidence/"))),
    integrity: { report: integrity, historyChecked: false },
    ...(asOf ? { asOf } : {}),
    ...(mode === "streamed" ? { streamed: { changes: inMergeOrder(changes), records } } : {}),
  };
}
