import { stringify } from "yaml";
import { schemaIds } from "../generated/schema-validators.js";
import { asList, asObject, asString, asStrings } from "../json-read.js";
import type { CheckResult, DriftCheck } from "./drift.js";
import {
  isNotAvailable,
  type MonitoringSnapshot,
  type OrganizationSettings,
  type RepositorySettings,
} from "./snapshot.js";

import { ACCESS_REVIEWS_DIR } from "../layout.js";

export { ACCESS_REVIEWS_DIR };

export type ReviewDecision = "pending" | "keep" | "remove";
export type AccessKind = "owner" | "member" | "outside_collaborator" | "team";

export interface AccessReviewEntry {
  /** A login, or team:<slug>. */
  account: string;
  id?: number;
  kind: AccessKind;
  /** The organization's login, or a repository as owner/name. */
  target: string;
  permission: string;
  decision: ReviewDecision;
  note?: string;
}

/** An access-review file (schemas/access-review.schema.json). */
export interface AccessReview {
  period: string;
  organization: string;
  control: string;
  reviewers: string[];
  generated_at: string;
  repositories: string[];
  entries: AccessReviewEntry[];
  /** The file it was read from, for drift reasons. */
  path?: string;
}

export type ReviewEvery = "quarter" | "month";

/** The period a moment falls in: 2026-Q4, or 2026-11 when reviews are monthly. */
export function periodOf(at: Date, every: ReviewEvery = "quarter"): string {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  return every === "month"
    ? `${year}-${String(month + 1).padStart(2, "0")}`
    : `${year}-Q${Math.floor(month / 3) + 1}`;
}

export function isPeriod(value: string): boolean {
  return /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/.test(value);
}

export function accessReviewPath(period: string): string {
  return `${ACCESS_REVIEWS_DIR}/${period}.yaml`;
}

/** monitoring.access_review in soc2.yml, read leniently (the schema reports what is malformed). */
export function readAccessReviewSettings(
  program: unknown,
): { control: string; every: ReviewEvery } | undefined {
  const settings = asObject(asObject(asObject(program).monitoring).access_review);
  const control = asString(settings.control);
  if (!control) return undefined;
  return { control, every: settings.every === "month" ? "month" : "quarter" };
}

/**
 * Who is asked to review: the GitHub logins of the control owner's role (soc2.yml
 * `owners.<role>.github`), and its `github_team` when that team belongs to the organization of the
 * compliance repository the pull request is opened in (GitHub asks only teams of that organization).
 */
export function accessReviewers(
  program: unknown,
  role: string | undefined,
  complianceRepository: string,
): { reviewers: string[]; teamReviewers: string[] } {
  const ownerRole = asObject(role ? asObject(asObject(program).owners)[role] : undefined);
  const [teamOrg, teamSlug] = (asString(ownerRole.github_team) ?? "").split("/");
  const org = complianceRepository.split("/")[0] ?? "";
  return {
    reviewers: asStrings(ownerRole.github),
    teamReviewers: teamSlug && teamOrg?.toLowerCase() === org.toLowerCase() ? [teamSlug] : [],
  };
}

export interface AccessReviewInput {
  period: string;
  control: string;
  reviewers: readonly string[];
  generatedAt: string;
  organization: string;
  org: OrganizationSettings;
  repositories: ReadonlyArray<{ name: string; settings: RepositorySettings }>;
  /** The review as it stands in the open pull request: its decisions and notes are kept. */
  previous?: AccessReview;
}

const entryKey = (e: Pick<AccessReviewEntry, "account" | "target" | "permission">) =>
  `${e.account.toLowerCase()}\u0000${e.target.toLowerCase()}\u0000${e.permission}`;

/**
 * The access list of one period: every organization owner and member, then, per in-scope
 * repository, every collaborator (members, owners and outside collaborators with their role) and
 * every team with its permission. Decisions start pending; those already made in the open pull
 * request's file are kept for the entries that are still there. `gaps` says what GitHub would not
 * show, so the reviewer knows the list is incomplete.
 */
export function buildAccessReview(input: AccessReviewInput): {
  review: AccessReview;
  gaps: string[];
} {
  const gaps: string[] = [];
  const entries: AccessReviewEntry[] = [];
  const org = input.organization;
  const owners = isNotAvailable(input.org.owners) ? [] : input.org.owners;
  const ownerIds = new Set(owners.map((o) => o.id));
  const outsideIds = new Set(
    isNotAvailable(input.org.outside_collaborators)
      ? []
      : input.org.outside_collaborators.map((o) => o.id),
  );
  if (isNotAvailable(input.org.owners))
    gaps.push(`owners of ${org}: ${input.org.owners.not_available}`);
  if (isNotAvailable(input.org.members))
    gaps.push(`members of ${org}: ${input.org.members.not_available}`);
  for (const o of owners)
    entries.push({
      account: o.login,
      id: o.id,
      kind: "owner",
      target: org,
      permission: "owner",
      decision: "pending",
    });
  if (!isNotAvailable(input.org.members))
    for (const m of input.org.members)
      if (!ownerIds.has(m.id))
        entries.push({
          account: m.login,
          id: m.id,
          kind: "member",
          target: org,
          permission: "member",
          decision: "pending",
        });
  for (const { name, settings } of input.repositories) {
    const people = settings.collaborators;
    if (people === undefined || isNotAvailable(people))
      gaps.push(`collaborators of ${name}: ${people ? people.not_available : "not collected"}`);
    else
      for (const p of people)
        entries.push({
          account: p.login,
          id: p.id,
          kind: ownerIds.has(p.id)
            ? "owner"
            : outsideIds.has(p.id) || isOutside(settings, p.id)
              ? "outside_collaborator"
              : "member",
          target: name,
          permission: p.role_name,
          decision: "pending",
        });
    const teams = settings.teams;
    if (teams === undefined || isNotAvailable(teams))
      gaps.push(`teams of ${name}: ${teams ? teams.not_available : "not collected"}`);
    else
      for (const t of teams)
        entries.push({
          account: `team:${t.slug}`,
          id: t.id,
          kind: "team",
          target: name,
          permission: t.permission,
          decision: "pending",
        });
  }
  const decided = new Map((input.previous?.entries ?? []).map((e) => [entryKey(e), e]));
  for (const e of entries) {
    const before = decided.get(entryKey(e));
    if (before) {
      e.decision = before.decision;
      if (before.note) e.note = before.note;
    }
  }
  // The organization first, then repositories by name; within a target, by account.
  entries.sort(
    (a, b) =>
      Number(a.target !== org) - Number(b.target !== org) ||
      a.target.localeCompare(b.target) ||
      a.account.localeCompare(b.account) ||
      a.permission.localeCompare(b.permission),
  );
  return {
    review: {
      period: input.period,
      organization: org,
      control: input.control,
      reviewers: [...input.reviewers],
      generated_at: input.generatedAt,
      repositories: input.repositories.map((r) => r.name),
      entries,
    },
    gaps,
  };
}

function isOutside(settings: RepositorySettings, id: number): boolean {
  const outside = settings.outside_collaborators;
  return !isNotAvailable(outside) && outside.some((o) => o.id === id);
}

/** The review file's text: the schema line, how to review, then the list. */
export function renderAccessReview(review: AccessReview, gaps: readonly string[] = []): string {
  const body: Partial<AccessReview> = { ...review };
  delete body.path;
  const header = [
    `# yaml-language-server: $schema=${schemaIds.accessReview}`,
    `# Access review ${review.period} of ${review.organization} (control ${review.control}).`,
    "# For each entry, set decision to keep or remove (and a note, e.g. the ticket of a removal).",
    "# Merging this pull request is the review's evidence; an access marked remove that a later",
    "# settings snapshot still shows is drift of the control.",
    ...gaps.map((g) => `# Not shown by GitHub (the list is incomplete there): ${g}`),
  ];
  return `${header.join("\n")}\n${stringify(body, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false })}`;
}

/** An access-review file's value, read leniently (the schema reports what is malformed). */
export function readAccessReview(value: unknown, path?: string): AccessReview | undefined {
  const v = asObject(value);
  const period = asString(v.period);
  const organization = asString(v.organization);
  const control = asString(v.control);
  const generatedAt = asString(v.generated_at);
  if (!period || !organization || !control || !generatedAt) return undefined;
  return {
    period,
    organization,
    control,
    reviewers: asStrings(v.reviewers),
    generated_at: generatedAt,
    repositories: asStrings(v.repositories),
    entries: asList(v.entries).flatMap((item) => {
      const e = asObject(item);
      const account = asString(e.account);
      const target = asString(e.target);
      const permission = asString(e.permission);
      const decision = asString(e.decision);
      const kind = asString(e.kind);
      if (!account || !target || !permission || !kind) return [];
      return [
        {
          account,
          ...(typeof e.id === "number" ? { id: e.id } : {}),
          kind: kind as AccessKind,
          target,
          permission,
          decision: decision === "keep" || decision === "remove" ? decision : "pending",
          ...(asString(e.note) ? { note: asString(e.note) as string } : {}),
        },
      ];
    }),
    ...(path ? { path } : {}),
  };
}

/**
 * Drift of access reviews: each access the latest review of an organization marked remove must
 * be gone from the latest snapshot taken after the review was generated. An earlier review is
 * superseded by the later one (its keep may re-grant what was removed). No snapshot since the
 * review: unknown.
 */
export function accessReviewChecks(
  reviews: readonly AccessReview[],
  latest: ReadonlyMap<string, MonitoringSnapshot>,
): DriftCheck[] {
  const newest = new Map<string, AccessReview>();
  for (const r of reviews) {
    const seen = newest.get(r.organization);
    if (!seen || seen.period < r.period) newest.set(r.organization, r);
  }
  const out: DriftCheck[] = [];
  for (const review of [...newest.values()].sort((a, b) =>
    a.organization.localeCompare(b.organization),
  )) {
    const file = review.path ?? accessReviewPath(review.period);
    const removals = review.entries.filter((e) => e.decision === "remove");
    const base = {
      control: review.control,
      declaration: -1,
      requirement: "access_review_removals",
    };
    if (removals.length === 0) {
      out.push({
        ...base,
        target: `organization ${review.organization}`,
        result: "pass",
        reason: `no removal decided in ${file}`,
      });
      continue;
    }
    for (const e of removals) {
      const onOrg = e.target.toLowerCase() === review.organization.toLowerCase();
      const target = onOrg ? `organization ${review.organization}` : `repository ${e.target}`;
      const snapshot = latest.get(target);
      const what = `${e.account}'s ${e.permission} access to ${e.target}, marked remove in ${file}`;
      const add = (result: CheckResult, reason: string) =>
        out.push({
          ...base,
          target,
          result,
          reason,
          ...(snapshot?.record ? { record: snapshot.record } : {}),
        });
      if (!snapshot || snapshot.captured_at < review.generated_at) {
        add("unknown", `${what}: no snapshot of ${target} since the review`);
        continue;
      }
      const still = stillHasAccess(e, snapshot, onOrg);
      if (still === undefined)
        add(
          "unknown",
          `${what}: the snapshot does not show ${e.kind === "team" ? "team access" : "the collaborators"}`,
        );
      else if (still)
        add(
          "fail",
          `${what}, is not carried out: the snapshot of ${snapshot.captured_at} still shows it`,
        );
      else add("pass", `${what}: removed`);
    }
  }
  return out;
}

/** Whether the snapshot still shows the access; undefined when it cannot show it. */
function stillHasAccess(
  e: AccessReviewEntry,
  snapshot: MonitoringSnapshot,
  onOrg: boolean,
): boolean | undefined {
  const same = (a: { login: string; id: number }) =>
    e.id !== undefined ? a.id === e.id : a.login.toLowerCase() === e.account.toLowerCase();
  if (onOrg) {
    const org = snapshot.settings as OrganizationSettings;
    const list = e.kind === "owner" ? org.owners : org.members;
    return isNotAvailable(list) ? undefined : list.some(same);
  }
  const repo = snapshot.settings as RepositorySettings;
  if (e.kind === "team") {
    const teams = repo.teams;
    if (teams === undefined || isNotAvailable(teams)) return undefined;
    const slug = e.account.replace(/^team:/, "");
    return teams.some((t) => (e.id !== undefined ? t.id === e.id : t.slug === slug));
  }
  const people = repo.collaborators;
  if (people === undefined || isNotAvailable(people)) return undefined;
  return people.some(same);
}
