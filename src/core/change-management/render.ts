import { markdownTable, textTable } from "../render/table.js";
import type { PullRequestFacts } from "./facts.js";
import { shortSha } from "./identity.js";
import type { Verdict } from "./verdict.js";

const HEADER = ["Rule", "Result", "Reason"];

function heading(verdict: Verdict, facts: PullRequestFacts): string[] {
  return [
    `Change management: ${verdict.result.toUpperCase()}${emergencyNote(verdict)}`,
    `${facts.repository.full_name}#${facts.number} into ${facts.base.ref}, head ${shortSha(facts.head.sha)}, evaluated at ${verdict.evaluated_at}`,
  ];
}

// A PASS let through as an emergency does not meet the policy: the heading must say so.
function emergencyNote(verdict: Verdict): string {
  return verdict.result === "pass" && verdict.exception?.type === "emergency"
    ? " (let through as an emergency change: the policy is not met)"
    : "";
}

function exceptionLines(verdict: Verdict): string[] {
  const e = verdict.exception;
  if (!e) return [];
  const due = e.retrospective_review_due
    ? ` Retrospective review due by ${e.retrospective_review_due}.`
    : "";
  return [`Exception (${e.type}): ${e.reason}.${due}`];
}

/** The verdict as a terminal table: one row per rule with its result and reason. */
export function renderVerdictText(verdict: Verdict, facts: PullRequestFacts): string {
  const rows = verdict.rules.map((r) => [r.rule, r.result, r.reason]);
  return [
    ...heading(verdict, facts),
    "",
    textTable(HEADER, rows).trimEnd(),
    ...exceptionLines(verdict).flatMap((l) => ["", l]),
    "",
  ].join("\n");
}

/** The verdict as Markdown, e.g. for a job summary. */
export function renderVerdictMarkdown(verdict: Verdict, facts: PullRequestFacts): string {
  const [title, subtitle] = heading(verdict, facts);
  const rows = verdict.rules.map((r) => [`\`${r.rule}\``, r.result, r.reason]);
  return [
    `### ${title}`,
    "",
    subtitle,
    "",
    markdownTable(HEADER, rows).trimEnd(),
    ...exceptionLines(verdict).flatMap((l) => ["", `> ${l}`]),
    "",
  ].join("\n");
}
