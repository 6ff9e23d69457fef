import type { AppendOnlyViolation } from "../change-management/append-only.js";
import type { PullRequestFacts } from "../change-management/facts.js";
import type { Verdict } from "../change-management/verdict.js";
import { countBySeverity, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { markdownLine } from "./escape.js";
import { markdownTable } from "./table.js";

/** Everything the Action found about one pull request. */
export interface PullRequestCheck {
  facts: PullRequestFacts;
  verdict: Verdict;
  /** Where the policy came from, e.g. acme/platform:soc2.yml@1a2b3c4. */
  policySource: string;
  /** In a compliance repository: the validation of what the pull request changes. */
  validation?: { diagnostics: Diagnostic[]; files: number };
  appendOnly?: AppendOnlyViolation[];
}

export type CheckOutcome = Verdict["result"];

/** fail when the policy fails, the repository has errors or evidence is edited; else the verdict. */
export function checkOutcome(check: PullRequestCheck): CheckOutcome {
  const invalid = check.validation
    ? countBySeverity(check.validation.diagnostics).errors > 0
    : false;
  if (check.verdict.result === "fail" || invalid || (check.appendOnly?.length ?? 0) > 0)
    return "fail";
  return check.verdict.result;
}

const ICON: Record<CheckOutcome, string> = { pass: "✅", fail: "❌", pending: "⏳" };
const HEADLINE: Record<CheckOutcome, string> = {
  pass: "meets the change-management policy",
  fail: "does not meet the change-management policy",
  pending: "is waiting for something before it meets the policy",
};

/**
 * The headline. An emergency let-through passes the check but does not meet the policy (its
 * approvals or checks failed): saying "meets the policy" would hide exactly what the
 * retrospective review has to look at.
 */
function headline(check: PullRequestCheck, outcome: CheckOutcome): string {
  const { facts, verdict } = check;
  const exception = verdict.exception;
  if (outcome === "pass" && exception?.type === "emergency") {
    const unmet = verdict.rules
      .filter((r) => r.result === "fail" || r.result === "pending")
      .map((r) => r.rule);
    const due = exception.retrospective_review_due
      ? `; retrospective review due by ${exception.retrospective_review_due}`
      : "";
    return `⚠️ Pull request #${facts.number} was let through as an emergency change: it does not meet the change-management policy (${unmet.join(", ")} did not pass${due})`;
  }
  return `${ICON[outcome]} Pull request #${facts.number} ${HEADLINE[outcome]}`;
}

/** The job summary: the verdict at a glance, what to do next, then the evidence behind it. */
export function renderCheckSummary(check: PullRequestCheck): string {
  const { facts, verdict } = check;
  const outcome = checkOutcome(check);
  const lines = [
    `## ${headline(check, outcome)}`,
    "",
    `**${markdownLine(facts.title)}** by @${markdownLine(facts.author.login)}, into \`${facts.base.ref}\`, head \`${facts.head.sha.slice(0, 7)}\`. Policy: \`${check.policySource}\` (SOC 2 CC8.1).`,
    "",
  ];
  const todo = [
    ...verdict.rules
      .filter((r) => r.result === "fail" || r.result === "pending")
      .map((r) => `**${r.rule}**: ${markdownLine(r.reason)}`),
    ...(check.appendOnly ?? []).map((v) => `**evidence-append-only**: \`${v.path}\` ${v.reason}`),
  ];
  const errors = check.validation
    ? check.validation.diagnostics.filter((d) => d.severity === "error")
    : [];
  if (errors.length > 0)
    todo.push(
      `**validation**: ${errors.length} error(s) in the compliance repository: see below and the annotations on the files`,
    );
  if (todo.length > 0) lines.push("### What to do next", "", ...todo.map((t) => `- ${t}`), "");
  if (verdict.exception) {
    const due = verdict.exception.retrospective_review_due
      ? ` Retrospective review due by ${verdict.exception.retrospective_review_due}.`
      : "";
    lines.push(
      `> **Exception (${verdict.exception.type})**: ${markdownLine(verdict.exception.reason)}.${due}`,
      "",
    );
  }
  lines.push(
    "### Rules",
    "",
    markdownTable(
      ["Rule", "Result", "Reason"],
      verdict.rules.map((r) => [
        `\`${r.rule}\``,
        `${ruleIcon(r.result)} ${r.result}`,
        markdownLine(r.reason),
      ]),
    ).trimEnd(),
    "",
  );
  if (check.appendOnly) {
    lines.push(
      "### Evidence is append-only",
      "",
      check.appendOnly.length === 0
        ? "No existing evidence record is modified, moved or deleted."
        : markdownTable(
            ["File", "Change", "Why it is refused"],
            check.appendOnly.map((v) => [`\`${v.path}\``, v.status, v.reason]),
          ).trimEnd(),
      "",
    );
  }
  if (check.validation) {
    const { errors: e, warnings: w } = countBySeverity(check.validation.diagnostics);
    lines.push(
      "### Compliance repository validation",
      "",
      `${check.validation.files} file(s) checked: ${e} error(s), ${w} warning(s).`,
      "",
    );
    if (check.validation.diagnostics.length > 0) {
      lines.push(
        "```text",
        ...check.validation.diagnostics.slice(0, 100).map(formatDiagnostic),
        "```",
        "",
      );
    }
  }
  lines.push(
    `<sub>Verdict computed at ${verdict.evaluated_at} from facts ${verdict.facts_digest.slice(0, 19)}… and policy ${verdict.policy_digest.slice(0, 19)}…; re-run it with \`soc2 evaluate\` on the facts file.</sub>`,
    "",
  );
  return lines.join("\n");
}

function ruleIcon(result: string): string {
  return result === "pass" ? "✅" : result === "fail" ? "❌" : result === "pending" ? "⏳" : "➖";
}
