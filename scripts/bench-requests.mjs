#!/usr/bin/env node
// What recording a merge costs in GitHub requests: the App (lib/) against the loopback GitHub
// stand-in, which counts every request. A steady stream of merged pull requests (each followed by
// the push GitHub sends for it) is recorded once with GITHUB_API=rest and once with graphql, and
// the requests per merge and per merge push are printed with their ratio. Then a backfill: the
// requests per pull request when mergedPullRequestFacts reads a repository's merged pull requests.
// Run: npm run bench (after npm run build), or node scripts/bench-requests.mjs [--merges 50]
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getOctokit } from "@actions/github";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { ProbotOctokit } from "probot";
import { startServer } from "../lib/app/server.js";
import { startGitHubStandIn } from "../lib/src/dev/github-stand-in/index.js";
import { mergedPullRequestFacts } from "../lib/src/adapters/github/merged-pull-requests.js";
import { readChangePolicy } from "../lib/src/core/change-management/policy.js";
import { DEMO_POLICY } from "../lib/src/dev/demo/story.js";
import { readConfig } from "../lib/app/config.js";
import { reconcileRepository } from "../lib/app/reconcile/reconcile-repository.js";

const { values } = parseArgs({
  options: {
    merges: { type: "string", default: "50" },
    backfill: { type: "string", default: "10000" },
    reconcile: { type: "string", default: "10000" },
  },
});
const merges = Number(values.merges);
const backfill = Number(values.backfill);
const reconcileCount = Number(values.reconcile);
const SECRET = "bench-secret";
const METHODS = ["merge", "squash", "rebase"];
const key = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;
// Retries and throttling off: a request counted is a request the App chose to send.
const Octokit = ProbotOctokit.defaults((o) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
const example = (name, test) =>
  structuredClone(examples.find((e) => e.name === name).examples.find(test));
const closedExample = example("pull_request", (x) => x.action === "closed" && x.installation);
const pushExample = example("push", (x) => x.installation && x.commits.length > 0);

function signed(event, payload) {
  const body = JSON.stringify({ ...payload, installation: { id: 42 } });
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  };
}

async function api(gh, path) {
  const response = await fetch(`${gh.url}${path}`, { headers: { authorization: "token bench" } });
  return response.json();
}

/** The webhook payloads GitHub sends for a merge: pull_request.closed, then the push to main. */
async function mergePayloads(gh, web, pr, by, before, mergeSha) {
  const repository = await api(gh, "/repos/acme/web");
  const sender = { id: by.id, login: by.login, type: "User" };
  // Every commit the push brings (a merge commit's pull request commits too), oldest first.
  const known = web.git.ancestors(before);
  const landed = [...web.git.ancestors(mergeSha)]
    .filter((sha) => !known.has(sha))
    .map((sha) => web.git.commits.get(sha))
    .sort((a, b) => a.committer.date.localeCompare(b.committer.date));
  const closed = {
    ...closedExample,
    number: pr.number,
    pull_request: await api(gh, `/repos/acme/web/pulls/${pr.number}`),
    repository,
    sender,
  };
  const push = {
    ...pushExample,
    ref: "refs/heads/main",
    before,
    after: mergeSha,
    created: false,
    deleted: false,
    forced: false,
    commits: landed.map((c) => ({
      id: c.sha,
      message: c.message,
      timestamp: c.author.date,
      author: { name: c.author.name, email: c.author.email },
      committer: { name: c.committer.name, email: c.committer.email },
      added: [],
      removed: [],
      modified: ["src/app.ts"],
    })),
    repository: { ...repository, pushed_at: 1772445600 },
    sender,
  };
  return { closed, push };
}

/** Records `merges` merges with one GITHUB_API; the mean requests per merge and per push. */
async function steadyLoad(githubApi) {
  const gh = await startGitHubStandIn();
  const alice = gh.state.addUser("alice");
  const bob = gh.state.addUser("bob");
  const web = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { "soc2.yml": DEMO_POLICY, "src/app.ts": "export {};\n" },
  });
  gh.state.addInstallation({ id: 42, account: "acme" });
  const queue = await mkdtemp(join(tmpdir(), "soc2-bench-requests-"));
  const records = [];
  const app = await startServer({
    env: {
      APP_ID: "123",
      PRIVATE_KEY: key,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "fatal",
      GITHUB_API: githubApi,
      DELIVERY_QUEUE_DIR: join(queue, "deliveries"),
    },
    store: {
      append: async (record) => (
        records.push(record),
        { status: "written", path: record.id, commit: "0".repeat(40) }
      ),
    },
    Octokit,
    pullLookupDelaysMs: [],
  });
  const reads = () => gh.requests.filter((r) => !r.route?.startsWith("/app/installations/")).length;
  let mergeRequests = 0;
  let pushRequests = 0;
  try {
    for (let i = 0; i < merges; i++) {
      const pr = web.addPullRequest({
        author: alice,
        title: `PAY-${i}: change ${i}`,
        labels: ["feature"],
        commits: [
          { files: { [`src/f${i}.ts`]: `export const a = ${i};\n` } },
          { files: { [`src/f${i}.ts`]: `export const a = ${i + 1};\n` } },
        ],
      });
      pr.addReview({ user: bob, state: "APPROVED" });
      web.addCheckRun({ sha: pr.headSha, name: "ci" });
      const before = web.branchSha("main");
      const mergeSha = pr.merge({ by: bob, method: METHODS[i % METHODS.length] });
      const { closed, push } = await mergePayloads(gh, web, pr, bob, before, mergeSha);
      let start = reads();
      await fetch(app.webhookUrl, signed("pull_request", closed));
      await app.settled();
      mergeRequests += reads() - start;
      start = reads();
      await fetch(app.webhookUrl, signed("push", push));
      await app.settled();
      pushRequests += reads() - start;
    }
  } finally {
    await app.close();
    await gh.close();
    await rm(queue, { recursive: true, force: true });
  }
  const changes = records.filter((r) => r.kind === "change-record").length;
  if (changes !== merges)
    throw new Error(`${githubApi}: ${changes} change records for ${merges} merges`);
  return { perMerge: mergeRequests / merges, perPush: pushRequests / merges };
}

/** A stand-in repository with `count` merged pull requests (approved, squashed), none recorded. */
async function repositoryOfMerges(count) {
  const gh = await startGitHubStandIn();
  const alice = gh.state.addUser("alice");
  const bob = gh.state.addUser("bob");
  const web = gh.state.addRepository({ owner: "acme", name: "web" });
  for (let i = 0; i < count; i++) {
    const pr = web.addPullRequest({
      author: alice,
      commits: [{ files: { [`f${i % 50}.txt`]: `${i}\n` } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    pr.merge({ by: bob, method: i % 3 === 0 ? "merge" : "squash" });
  }
  return gh;
}

/** Reads the facts of `count` merged pull requests with mergedPullRequestFacts. */
async function backfillLoad(count) {
  const gh = await repositoryOfMerges(count);
  const client = getOctokit("bench", { baseUrl: gh.url });
  const policy = readChangePolicy({ change_management: { branches: ["main"] } });
  let read = 0;
  try {
    for await (const merged of mergedPullRequestFacts(client, "acme/web", {
      base: "main",
      since: "2000-01-01T00:00:00Z",
      policy,
      now: new Date("2026-06-01T00:00:00Z"),
    }))
      if (merged.facts.number > 0) read++;
  } finally {
    await gh.close();
  }
  if (read !== count) throw new Error(`backfill: ${read} facts for ${count} merged pull requests`);
  return { perPullRequest: gh.requests.length / count, requests: gh.requests.length };
}

/**
 * `soc2 reconcile --dry-run` of `count` merges none of which is recorded: every merge is listed,
 * read and judged as a real run would, and nothing is written. GraphQL, or REST for each merge.
 */
async function reconcileLoad(count, githubApi) {
  const gh = await repositoryOfMerges(count);
  const client = getOctokit("bench", { baseUrl: gh.url });
  const config = readConfig({ GITHUB_API: githubApi });
  const graphql = githubApi === "graphql" ? client : undefined;
  let changes;
  try {
    changes = await reconcileRepository(
      {
        client,
        config,
        store: { append: () => Promise.reject(new Error("a dry run writes nothing")) },
        lookup: { has: async () => false, close: async () => {} },
        graphql,
        now: new Date("2026-06-01T00:00:00Z"),
        sourceName: "bench",
        pullLookupDelaysMs: [],
        sleep: async () => {},
        dryRun: true,
      },
      "acme/web",
      { since: "2000-01-01T00:00:00Z", until: "2100-01-01T00:00:00Z" },
    );
  } finally {
    await gh.close();
  }
  const missing = changes.filter((c) => c.change === "pull-request" && c.status === "missing");
  if (missing.length !== count)
    throw new Error(`reconcile (${githubApi}): ${missing.length} merges found of ${count}`);
  return { perPullRequest: gh.requests.length / count, requests: gh.requests.length };
}

const rest = await steadyLoad("rest");
const graphql = await steadyLoad("graphql");
const fill = await backfillLoad(backfill);
const reconcileRest = await reconcileLoad(Math.min(reconcileCount, 500), "rest");
const reconciled = await reconcileLoad(reconcileCount, "graphql");
const f = (n) => n.toFixed(2).padStart(6);
console.log(
  `GitHub requests per recorded merge (${merges} merges, loopback stand-in, installation tokens not counted)`,
);
console.log(
  `  merge (pull_request.closed)   REST ${f(rest.perMerge)}   GraphQL ${f(graphql.perMerge)}   ratio ${f(graphql.perMerge / rest.perMerge)}`,
);
console.log(
  `  push of the merge             REST ${f(rest.perPush)}   GraphQL ${f(graphql.perPush)}   ratio ${f(graphql.perPush / rest.perPush)}`,
);
console.log(
  `  merge + push                  REST ${f(rest.perMerge + rest.perPush)}   GraphQL ${f(graphql.perMerge + graphql.perPush)}   ratio ${f((graphql.perMerge + graphql.perPush) / (rest.perMerge + rest.perPush))}`,
);
console.log(
  `Backfill of ${backfill} merged pull requests (mergedPullRequestFacts): ${fill.requests} requests, ${fill.perPullRequest.toFixed(3)} per pull request`,
);
console.log(
  `soc2 reconcile --dry-run of ${reconcileCount} unrecorded merges: GraphQL ${reconciled.requests} requests, ${reconciled.perPullRequest.toFixed(3)} per pull request; REST (${Math.min(reconcileCount, 500)} merges) ${reconcileRest.perPullRequest.toFixed(2)} per pull request; ratio ${(reconciled.perPullRequest / reconcileRest.perPullRequest).toFixed(3)}`,
);
