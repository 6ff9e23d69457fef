import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import { readRepository } from "../src/adapters/read-repository.js";
import type { GitHubClient } from "../src/adapters/github/client.js";
import { collectFacts, listChangedFiles } from "../src/adapters/github/collect-facts.js";
import { loadPolicy } from "../src/adapters/github/load-policy.js";
import { appendOnlyViolations } from "../src/core/change-management/append-only.js";
import { evaluate } from "../src/core/change-management/evaluate.js";
import { pullRequestTarget } from "../src/core/change-management/event-target.js";
import { parsePolicySource } from "../src/core/change-management/policy-source.js";
import type { PullRequestCheck } from "../src/core/render/pull-request-check.js";
import { validateRepository } from "../src/core/validate.js";
import { readInputs } from "./inputs.js";
import { monitorMode } from "./monitor.js";
import { report } from "./report.js";
import { systemClock } from "../src/adapters/clock.js";

/**
 * Checks one pull request: collects its facts through the API, evaluates them against the
 * policy of the base commit, validates a compliance repository's changes, and reports. The one
 * place errors are caught: every failure ends as a one-line reason on a failed step.
 */
export async function run(): Promise<void> {
  try {
    await check();
  } catch (error) {
    core.setFailed(`soc2: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function check(): Promise<void> {
  const inputs = readInputs();
  if (inputs.mode === "monitor") return monitorMode(inputs);
  const { context } = github;
  const target = pullRequestTarget(context.eventName, context.payload);
  if ("skip" in target) {
    core.notice(`soc2: nothing to check: ${target.skip}.`);
    return;
  }
  const repository = `${context.repo.owner}/${context.repo.repo}`;
  const source = parsePolicySource(inputs.policyRepository, repository, inputs.config);
  if ("problem" in source) throw new Error(source.problem);

  const client = github.getOctokit(inputs.token) as unknown as GitHubClient;
  const now = systemClock();
  const files = await listChangedFiles(client, repository, target.number);
  const { program, policy, label } = await loadPolicy(client, source, target.baseSha, files.files);
  const facts = await collectFacts(client, {
    repository,
    number: target.number,
    event: target.event,
    lastPusher: target.lastPusher,
    ...(target.headSha ? { pushedSha: target.headSha } : {}),
    ...(target.mergeGroup ? { mergeGroup: target.mergeGroup } : {}),
    policy,
    now,
    files,
  });
  const verdict = evaluate(facts, policy, { now });
  const result: PullRequestCheck = { facts, verdict, policySource: label };

  // A compliance repository (its policy is its own soc2.yml): validate what the pull request
  // changes, reading only the evidence records it adds, and keep evidence append-only.
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  if (source.repository === repository && source.ref === undefined) {
    result.appendOnly = appendOnlyViolations(facts.changed_files, program.evidencePath);
    const checkedOut = existsSync(join(workspace, source.path));
    if (inputs.validate === "true" && !checkedOut) {
      throw new Error(
        `${source.path} is not in the workspace (${workspace}): add actions/checkout with persist-credentials: false before this step`,
      );
    }
    if (inputs.validate !== "false" && checkedOut) {
      const added = facts.changed_files
        .filter((f) => f.status === "added" || f.status === "renamed" || f.status === "copied")
        .map((f) => f.path);
      // The evidence folder is the base commit's (program is read from there), like the policy:
      // a pull request that changed evidence.path could otherwise hide the records it adds.
      const evidencePath = program.evidencePath;
      const sources = await readRepository(workspace, { evidence: added, evidencePath });
      result.validation = {
        diagnostics: validateRepository(sources, { now, evidencePath, partialEvidence: true })
          .diagnostics,
        files: sources.length,
      };
    }
  }

  const outputDir = inputs.outputDir || join(process.env.RUNNER_TEMP ?? tmpdir(), "soc2");
  const outcome = await report(result, outputDir);
  if (outcome === "fail")
    core.setFailed(
      `soc2: pull request #${facts.number} does not meet the change-management policy: see the job summary`,
    );
  else if (outcome === "pending" && inputs.failOnPending)
    core.setFailed(
      `soc2: pull request #${facts.number} is pending: ${verdict.rules
        .filter((r) => r.result === "pending")
        .map((r) => r.rule)
        .join(", ")}`,
    );
}
