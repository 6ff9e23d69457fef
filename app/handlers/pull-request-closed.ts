import type { Context } from "probot";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import { collectFacts, listChangedFiles } from "../../src/adapters/github/collect-facts.js";
import { evaluate } from "../../src/core/change-management/evaluate.js";
import { pullRequestTarget } from "../../src/core/change-management/event-target.js";
import { globMatcher } from "../../src/core/change-management/globs.js";
import { redactDeep } from "../../src/core/evidence/redact.js";
import { buildChangeRecord } from "../../src/core/evidence/records/change-record.js";
import {
  commitShapeOf,
  inferMergeMethod,
  type CommitShape,
  type MergeMethod,
} from "../../src/core/evidence/records/merge-method.js";
import type { AppDependencies } from "../dependencies.js";
import { clientOf, getOrUndefined, policyAt } from "../github.js";
import { append, deliveryOf, recordContext } from "./record.js";
import { withRecordedPusher } from "./recorded-pusher.js";

const COMMITS_ROUTE = "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits";

/**
 * pull_request.closed with merged → the change record. The verdict is computed exactly as the
 * Action computes it: the policy from the base commit (loadPolicy), the facts through the API
 * (collectFacts, event "pull_request"), then evaluate(facts, policy, { now }). A merge that did
 * not meet the policy is recorded with an exception. Closed without merging: nothing to record
 * (no change reached the branch).
 */
export function onPullRequestClosed(deps: AppDependencies) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { payload } = context;
    const delivery = deliveryOf(context);
    if (!payload.pull_request.merged) {
      context.log.info(
        { ...delivery, status: "skipped" },
        "soc2: closed without merging: no change to record",
      );
      return;
    }
    const target = pullRequestTarget("pull_request", payload);
    if ("skip" in target) {
      context.log.info(
        { ...delivery, status: "skipped", reason: target.skip },
        "soc2: nothing to record",
      );
      return;
    }
    const repository = payload.repository.full_name;
    const client = clientOf(context);
    const files = await listChangedFiles(client, repository, target.number);
    const { policy, label, fallback } = await policyAt(
      client,
      deps.config,
      repository,
      target.baseSha,
      files.files,
    );
    if (fallback)
      context.log.warn(
        { ...delivery, policy: label, reason: fallback },
        "soc2: no valid policy: the default rules apply",
      );
    if (!globMatcher(policy.branches)(target.baseRef)) {
      context.log.info(
        { ...delivery, status: "skipped", base: target.baseRef, policy: label },
        "soc2: merged into a branch the policy does not protect: not a change to record",
      );
      return;
    }

    const now = deps.now();
    const commits: unknown[] = [];
    const collected = await collectFacts(tap(client, COMMITS_ROUTE, commits), {
      repository,
      number: target.number,
      event: target.event,
      lastPusher: target.lastPusher,
      policy,
      now,
      files,
    });
    const raw = await withRecordedPusher(deps.store, policy, collected);
    // Redact before evaluating, so the stored facts reproduce the verdict (and its facts_digest).
    const facts = redactDeep(raw);
    const verdict = evaluate(facts, policy, { now });
    const shapes = commits.map(commitShapeOf);
    const mergeMethod = await mergeMethodOf(
      client,
      repository,
      payload.pull_request.merge_commit_sha ?? undefined,
      payload.pull_request.head.sha,
      shapes,
    );
    const messages = Object.fromEntries(shapes.map((c) => [c.sha, c.message]));
    const built = buildChangeRecord(
      { payload, facts, verdict, ticket: policy.ticket, mergeMethod, messages },
      { ...recordContext(deps, context), recordedAt: now }, // dated like the verdict
    );
    await append(deps, context, built);
  };
}

/** The client, keeping what one paginated route returned (the commits, with their messages). */
function tap(client: GitHubClient, route: string, sink: unknown[]): GitHubClient {
  return {
    request: (r, parameters) => client.request(r, parameters),
    paginate: async (r, parameters) => {
      const items = await client.paginate(r, parameters);
      if (r === route) sink.push(...items);
      return items;
    },
  };
}

async function mergeMethodOf(
  client: GitHubClient,
  repository: string,
  mergeSha: string | undefined,
  headSha: string,
  commits: CommitShape[],
): Promise<MergeMethod> {
  if (!mergeSha || mergeSha === headSha)
    return inferMergeMethod({ mergeSha, headSha, mergeCommit: undefined, commits });
  const [owner, repo] = repository.split("/");
  const data = await getOrUndefined(client, "GET /repos/{owner}/{repo}/commits/{ref}", {
    owner,
    repo,
    ref: mergeSha,
  });
  return inferMergeMethod({
    mergeSha,
    headSha,
    mergeCommit: data === undefined ? undefined : commitShapeOf(data),
    commits,
  });
}
