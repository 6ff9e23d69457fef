#!/usr/bin/env node
// The evidence stores' write throughput: records/s and GitHub requests per record through the
// API store against the loopback GitHub stand-in, one replica and four, one record per commit
// (maxBatchRecords 1: how the store wrote before group commit) and group commit; then the git
// store's records/s. Each replica runs DELIVERY_WORKERS workers, each appending one record after
// the other as the App's worker pool does. Four replicas share SOC2_BENCH_DATABASE_URL's
// PostgreSQL writer lock when it is set (else they race for the ref and retry).
// `--latency-ms N` adds N ms to every GitHub request (GitHub answers in ~100-300 ms, loopback in ~1).
// `--before-lib <dir>` also measures another build's store (e.g. main's lib/) as "before".
// Run: npm run bench, or node scripts/bench-store.mjs [--records 200] [--latency-ms 20]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { getOctokit } from "@actions/github";
import { parse } from "yaml";
import { GitEvidenceStore } from "../lib/src/adapters/evidence/git-store.js";
import { GitHubEvidenceStore } from "../lib/src/adapters/evidence/github-store.js";
import { PostgresWriterLock } from "../lib/src/adapters/evidence/postgres-writer-lock.js";
import { summarizeChainRecord, verifyChain } from "../lib/src/core/evidence/verify-chain.js";
import { startGitHubStandIn } from "../lib/src/dev/github-stand-in/index.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "200" },
    workers: { type: "string", default: "4" },
    "latency-ms": { type: "string", default: "0" },
    "before-lib": { type: "string" },
  },
});
const count = Number(values.records);
const workers = Number(values.workers);
const latencyMs = Number(values["latency-ms"]);
const databaseUrl = process.env.SOC2_BENCH_DATABASE_URL;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A review event as the App hands it to a store (the shape of test/core/evidence/samples.ts). */
function record(n) {
  const at = "2026-05-01T10:15:00Z";
  const bob = { id: 2, login: "bob", type: "User" };
  const head = "1a954628a960aaef81d7b2d4521929579f3541e6";
  return {
    id: `reviews/acme-cloud/platform/2026/05/pr-${n}-review-${n}`,
    kind: "review-event",
    controls: ["CHG-01"],
    recorded_at: at,
    source: {
      type: "github-app",
      name: "bench",
      delivery_id: `delivery-${n}`,
      event: "pull_request_review.submitted",
    },
    content: {
      repository: { id: 1000, full_name: "acme-cloud/platform" },
      pull_request: { number: n, head_sha: head },
      action: "submitted",
      review: { id: 2000 + n, reviewer: bob, state: "APPROVED", commit_id: head, submitted_at: at },
      actor: bob,
      occurred_at: at,
    },
  };
}

/** `replicas` stores, each with `workers` workers, append records 1..count; records/s. */
async function drive(stores) {
  let next = 1;
  const started = performance.now();
  await Promise.all(
    stores.flatMap((store) =>
      Array.from({ length: workers }, async () => {
        for (let n = next++; n <= count; n = next++) await store.append(record(n));
      }),
    ),
  );
  return count / ((performance.now() - started) / 1000);
}

let runs = 0;

async function apiStore(name, { replicas, options = {}, lib }) {
  const gh = await startGitHubStandIn();
  // A repository of its own per run: the writer lock's table remembers each one's tip.
  const repository = `acme/evidence-${process.pid}-${++runs}`;
  const repo = gh.state.addRepository({
    owner: "acme",
    name: repository.split("/")[1],
    files: { "README.md": "# evidence\n" },
  });
  gh.state.addInstallation({ id: 7, account: "acme" });
  const minted = await fetch(`${gh.url}/app/installations/7/access_tokens`, {
    method: "POST",
    headers: {
      authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
      accept: "application/vnd.github+json",
    },
  }).then((r) => r.json());
  const octokit = getOctokit(minted.token, { baseUrl: gh.url });
  const client = {
    paginate: octokit.paginate.bind(octokit),
    request: async (route, parameters) => {
      if (latencyMs > 0) await sleep(latencyMs);
      return octokit.request(route, parameters);
    },
  };
  const locks = [];
  const Store = lib
    ? (await import(join(resolve(lib), "src/adapters/evidence/github-store.js")))
        .GitHubEvidenceStore
    : GitHubEvidenceStore;
  const stores = [];
  for (let i = 0; i < replicas; i++) {
    const lock =
      databaseUrl && replicas > 1 && !lib
        ? await PostgresWriterLock.open({ connectionString: databaseUrl })
        : undefined;
    if (lock) locks.push(lock);
    stores.push(
      new Store(client, {
        repository,
        maxAttempts: 50,
        baseDelayMs: 5,
        ...(lock ? { writerLock: lock } : {}),
        ...options,
      }),
    );
  }
  const before = gh.requests.length;
  const perSecond = await drive(stores);
  const sent = gh.requests.slice(before);
  const creating = sent.filter((r) => r.method !== "GET").length;
  const conflicts = sent.filter((r) => r.method === "PATCH" && r.status === 422).length;
  const files = repo
    .listFiles("main")
    .filter((p) => p.startsWith("evidence/") && p.endsWith(".yml"));
  const report = verifyChain({
    evidencePath: "evidence",
    records: files.map((path) => summarizeChainRecord(path, parse(repo.readFile(path, "main")))),
    head: repo.readFile("evidence/chain-head.json", "main"),
  });
  const commits = repo.log("main").length - 1;
  await Promise.all(locks.map((l) => l.close()));
  await gh.close();
  const ok = files.length === count && report.ok && report.chained === count;
  const row = {
    name,
    perSecond,
    requests: sent.length / count,
    creating: creating / count,
    commits,
    conflicts,
    ok,
  };
  console.log(
    `  ${name.padEnd(44)} ${perSecond.toFixed(1).padStart(7)} records/s  ${row.requests.toFixed(2).padStart(6)} requests/record  ${row.creating.toFixed(2).padStart(5)} content-creating/record  ${String(commits).padStart(4)} commits  ${String(conflicts).padStart(3)} refused ref updates  ${ok ? "all stored once, chain verifies" : "LOST OR BROKEN"}`,
  );
  return row;
}

async function gitStore(name, options) {
  const dir = await mkdtemp(join(tmpdir(), "soc2-bench-git-"));
  try {
    const store = new GitEvidenceStore({
      dir,
      author: { name: "bench", email: "bench@localhost" },
      ...options,
    });
    const perSecond = await drive([store]);
    console.log(`  ${name.padEnd(44)} ${perSecond.toFixed(1).padStart(7)} records/s`);
    return perSecond;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ratio = (a, b) => `${(a / b).toFixed(1)}x`;
console.log(
  `Evidence stores, ${count} records, ${workers} workers per replica, loopback stand-in${latencyMs ? ` + ${latencyMs} ms per request` : ""}${databaseUrl ? ", PostgreSQL writer lock" : ", no PostgreSQL (set SOC2_BENCH_DATABASE_URL for the writer lock)"}`,
);
const rows = {};
if (values["before-lib"]) {
  rows.oldOne = await apiStore("API, 1 replica, before (--before-lib)", {
    replicas: 1,
    lib: values["before-lib"],
  });
  rows.oldFour = await apiStore("API, 4 replicas, before (--before-lib)", {
    replicas: 4,
    lib: values["before-lib"],
  });
}
rows.singleOne = await apiStore("API, 1 replica, one record per commit", {
  replicas: 1,
  options: { maxBatchRecords: 1 },
});
rows.groupOne = await apiStore("API, 1 replica, group commit", { replicas: 1 });
rows.singleFour = await apiStore("API, 4 replicas, one record per commit", {
  replicas: 4,
  options: { maxBatchRecords: 1 },
});
rows.groupFour = await apiStore("API, 4 replicas, group commit", { replicas: 4 });
const gitSingle = await gitStore("git, one record per commit", { maxBatchRecords: 1 });
const gitGroup = await gitStore("git, group commit", {});
console.log("Ratios (group commit / one record per commit):");
console.log(
  `  API, 1 replica   ${ratio(rows.groupOne.perSecond, rows.singleOne.perSecond)} records/s, ${ratio(rows.singleOne.creating, rows.groupOne.creating)} fewer content-creating requests`,
);
console.log(
  `  API, 4 replicas  ${ratio(rows.groupFour.perSecond, rows.singleFour.perSecond)} records/s, ${ratio(rows.singleFour.creating, rows.groupFour.creating)} fewer content-creating requests`,
);
if (rows.oldOne)
  console.log(
    `  vs before: 1 replica ${ratio(rows.groupOne.perSecond, rows.oldOne.perSecond)}, 4 replicas ${ratio(rows.groupFour.perSecond, rows.oldFour.perSecond)} records/s; requests/record ${rows.oldOne.requests.toFixed(1)} → ${rows.groupOne.requests.toFixed(1)}`,
  );
console.log(`  git              ${ratio(gitGroup, gitSingle)} records/s`);
if (Object.values(rows).some((r) => !r.ok)) process.exitCode = 1;
