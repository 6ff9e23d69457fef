import examples from "@octokit/webhooks-examples";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { client, seedScenario } from "./github-scenario.js";

// Real payloads recorded from GitHub: the stand-in's objects must carry the same fields.
type Payload = { [key: string]: Payload };
const events = examples as unknown as { name: string; examples: Payload[] }[];

function example(event: string, action?: string): Payload {
  const found = events
    .find((e) => e.name === event)
    ?.examples.find((x) => action === undefined || String(x.action) === action);
  if (!found) throw new Error(`no ${event} example`);
  return found;
}

const missing = (real: object, ours: object) => Object.keys(real).filter((k) => !(k in ours));

let gh: GitHubStandIn;
let request: ReturnType<typeof client>;
beforeAll(async () => {
  gh = await startGitHubStandIn();
  seedScenario(gh.state);
  request = client(gh);
});
afterAll(() => gh.close());

test("pull requests, their users and repositories have every field of GitHub's payloads", async () => {
  const real = example("pull_request", "closed").pull_request as Payload;
  const ours = (await request("/repos/acme/web/pulls/2")).data;
  expect(missing(real, ours)).toEqual([]);
  expect(missing(ours, real)).toEqual([]);
  expect(missing(real.user as Payload, ours.user)).toEqual([]);
  expect(missing((real.base as Payload).repo as Payload, ours.base.repo)).toEqual([]);
  expect(missing(real.head as Payload, ours.head)).toEqual([]);
});

test("reviews have every field of GitHub's payloads", async () => {
  const real = example("pull_request_review").review as Payload;
  const [ours] = (await request("/repos/acme/web/pulls/1/reviews")).data;
  expect(missing(real, ours)).toEqual([]);
  expect(missing(ours, real)).toEqual([]);
});
