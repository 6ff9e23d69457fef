// Generated compliance repositories for the benchmarks: this repository's soc2.yml, controls and
// policies, and `records` change records of about 4 KB. With `chained`, the records form a hash
// chain (with chain-head.json) as the App writes it, each carrying the facts snapshot its verdict
// was computed from, one every two and a half minutes from 2025-01-01: 200k records end on
// 2025-12-13, in the past whenever the benchmarks run (the validator flags records from the future,
// and the commands run on the real clock; a record "from the future" would add findings).
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { nextLink } from "../lib/src/core/evidence/chain.js";
import { chainHeadFor, serializeChainHead } from "../lib/src/core/evidence/chain-head.js";
import { buildEnvelope } from "../lib/src/core/evidence/envelope.js";
import { chainHeadPath, recordPath } from "../lib/src/core/evidence/record-path.js";
import { serializeRecord } from "../lib/src/core/evidence/serialize.js";

const root = new URL("..", import.meta.url).pathname;
const sha = (n) => (n.toString(16).padStart(8, "0") + "a".repeat(32)).slice(0, 40);
const user = (i) => ({ id: 10 + (i % 7), login: `dev${i % 7}`, type: "User" });

/** The content of the i-th change record (the App's shape, trimmed): approved by someone else. */
function changeRecordContent(i, mergedAt, mergedSha = sha(i + 2)) {
  return {
    repository: { id: 1000, full_name: "acme-cloud/platform" },
    change: {
      type: "pull-request",
      number: i + 1,
      title: `PAY-${i}: change ${i}`,
      author: user(i),
      base_ref: "main",
      base_sha: sha(i),
      head_ref: `feature-${i}`,
      head_sha: sha(i + 1),
      merged_sha: mergedSha,
      merge_method: "squash",
      merged_at: mergedAt,
      merged_by: user(i),
    },
    commits: [
      {
        sha: sha(i + 1),
        message: "Change",
        author: { name: "Dev", account: user(i) },
        committer: { name: "GitHub" },
      },
    ],
    reviews: [
      {
        id: 5000 + i,
        reviewer: { id: 99, login: "praman", type: "User" },
        state: "APPROVED",
        commit_id: sha(i + 1),
        submitted_at: mergedAt,
      },
    ],
    checks: [{ name: "test", conclusion: "success", sha: sha(i + 1) }],
    tickets: [`PAY-${i}`],
    labels: [],
    verdict: {
      result: "pass",
      evaluated_at: mergedAt,
      rules: [
        {
          rule: "required-approvals",
          result: "pass",
          reason: "1 of 1 approval on the head commit.",
        },
      ],
    },
  };
}

const START = Date.parse("2025-01-01T00:00:00Z");
/** When the k-th generated change was merged: one every two and a half minutes from 2025. */
export const changeTime = (k) => new Date(START + k * 150_000).toISOString().replace(".000Z", "Z");

/** Copies this repository's program, controls and policies into `dir`. */
async function copyProgram(dir) {
  await cp(join(root, "soc2.yml"), join(dir, "soc2.yml"));
  await cp(join(root, "controls"), join(dir, "controls"), { recursive: true });
  await cp(join(root, "policies"), join(dir, "policies"), { recursive: true });
}

/**
 * A repository of `records` chained change records, each with its facts snapshot; `mergedShas`
 * gives the k-th change's merge commit (a generated product repository's, for --history).
 */
export async function writeChainedRepository(dir, records, { mergedShas } = {}) {
  await copyProgram(dir);
  const facts = JSON.parse(
    await readFile(join(root, "test/core/change-management/fixtures/approved.json"), "utf8"),
  );
  let head;
  const folders = new Set();
  for (let i = 0; i < records; i += 500) {
    const batch = [];
    for (let k = i; k < Math.min(records, i + 500); k++) {
      const at = changeTime(k);
      const content = {
        ...changeRecordContent(k, at, mergedShas?.[k]),
        facts: { ...facts, number: k + 1, title: `PAY-${k}: change ${k}`, collected_at: at },
      };
      const id = `changes/acme-cloud/platform/${at.slice(0, 4)}/${at.slice(5, 7)}/pr-${k + 1}`;
      const record = buildEnvelope(
        {
          id,
          kind: "change-record",
          controls: ["CHG-01"],
          recorded_at: at,
          source: {
            type: "github-app",
            name: "soc2-as-code App 0.1.0",
            event: "pull_request.closed",
          },
          content,
        },
        nextLink(head),
      );
      const path = recordPath("evidence", id);
      head = chainHeadFor(record, path);
      batch.push([path, serializeRecord(record)]);
    }
    for (const [path] of batch) folders.add(dirname(join(dir, path)));
    await Promise.all([...folders].map((f) => mkdir(f, { recursive: true })));
    folders.clear();
    await Promise.all(batch.map(([path, text]) => writeFile(join(dir, path), text)));
  }
  if (head) await writeFile(join(dir, chainHeadPath("evidence")), serializeChainHead(head));
}
