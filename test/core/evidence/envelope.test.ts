import { load as loadJsYaml } from "js-yaml";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { contentDigest } from "../../../src/core/digest.js";
import {
  buildEnvelope,
  chainHeadPath,
  EVIDENCE_SCHEMA_COMMENT,
  nextLink,
  parseChainHead,
  planAppend,
  recordDigest,
  recordIdProblem,
  recordPath,
  serializeChainHead,
  serializeRecord,
  type ChainHead,
} from "../../../src/core/evidence/index.js";
import { parseYaml } from "../../../src/core/yaml-source.js";
import { changeRecord, pullRequestEvent, reviewEvent } from "./samples.js";

const plan = (record = reviewEvent(1), head?: ChainHead, recordedAt?: string) => {
  const result = planAppend({
    record,
    head,
    evidencePath: "evidence",
    ...(recordedAt ? { recordedAt } : {}),
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.plan;
};

describe("record paths", () => {
  it("puts a record at <evidencePath>/<id>.yml and the head next to the records", () => {
    expect(recordPath("evidence", "changes/acme/web/2026/10/pr-1")).toBe(
      "evidence/changes/acme/web/2026/10/pr-1.yml",
    );
    expect(recordPath("/audit/evidence/", "a")).toBe("audit/evidence/a.yml");
    expect(recordPath("", "a")).toBe("a.yml");
    expect(chainHeadPath("evidence")).toBe("evidence/chain-head.json");
  });

  it.each([
    ["", /empty/],
    ["../outside", /letters, digits/],
    ["a/../../b", /starting with "."/],
    ["a/.hidden/b", /starting with "."/],
    ["a//b", /empty path segment/],
    ["a/", /empty path segment/],
    ["a b", /letters, digits/],
    ["record.yml", /must not end in .yml/],
    ["x".repeat(201), /over the 200/],
  ])("refuses the id %j", (id, problem) => {
    expect(recordIdProblem(id)).toMatch(problem);
  });

  it("accepts the ids the App builds", () => {
    expect(recordIdProblem("changes/acme-cloud/platform/2026/05/pr-42")).toBeUndefined();
    expect(recordIdProblem("reviews/_.github/x/2026/05/pr-1-review-9.v2")).toBeUndefined();
  });
});

describe("the stored envelope", () => {
  it("adds the digest and the chain link, in the schema's key order", () => {
    const record = reviewEvent(1);
    const envelope = buildEnvelope(record, { sequence: 3, previous: `sha256:${"a".repeat(64)}` });
    expect(Object.keys(envelope)).toEqual([
      "version",
      "kind",
      "id",
      "controls",
      "recorded_at",
      "source",
      "digest",
      "chain",
      "content",
    ]);
    expect(envelope.digest).toBe(contentDigest(record.content));
    expect(envelope.chain).toEqual({ sequence: 3, previous: `sha256:${"a".repeat(64)}` });
  });

  it("writes the source's fields in the schema's order and leaves out missing ones", () => {
    const record = reviewEvent(1);
    record.source = { event: "e", type: "github-app", delivery_id: "d" };
    expect(Object.keys(buildEnvelope(record, nextLink(undefined)).source)).toEqual([
      "type",
      "delivery_id",
      "event",
    ]);
  });

  it("links the first record to nothing and the next to the head", () => {
    expect(nextLink(undefined)).toEqual({ sequence: 1, previous: null });
    expect(nextLink({ sequence: 7, digest: "sha256:x" })).toEqual({
      sequence: 8,
      previous: "sha256:x",
    });
  });
});

describe("the record's YAML", () => {
  it("is readable: schema comment first, block style, quoted timestamps", () => {
    const { text } = plan(reviewEvent(1), undefined, "2026-05-01T10:15:03Z");
    expect(text).toBe(
      `${EVIDENCE_SCHEMA_COMMENT}
version: 1
kind: review-event
id: reviews/acme-cloud/platform/2026/05/pr-42-review-1
controls:
  - CHG-01
recorded_at: "2026-05-01T10:15:03Z"
source:
  type: github-app
  name: soc2-as-code App 0.1.0
  delivery_id: delivery-1
  event: pull_request_review.submitted
digest: sha256:f0ed4ad323ece81ed2a3c5e3105ca43b6dda3ca8db676e62d496813a373df219
chain:
  sequence: 1
  previous: null
content:
  repository:
    id: 1000
    full_name: acme-cloud/platform
  pull_request:
    number: 42
    head_sha: 1a954628a960aaef81d7b2d4521929579f3541e6
  action: submitted
  review:
    id: 2001
    reviewer:
      id: 2
      login: bob
      type: User
    state: APPROVED
    commit_id: 1a954628a960aaef81d7b2d4521929579f3541e6
    submitted_at: "2026-05-01T10:15:00Z"
  actor:
    id: 2
    login: bob
    type: User
  occurred_at: "2026-05-01T10:15:00Z"
`,
    );
    expect(EVIDENCE_SCHEMA_COMMENT).toBe(
      "# yaml-language-server: $schema=https://raw.githubusercontent.com/soc2-as-code/soc2-as-code/main/schemas/evidence.schema.json",
    );
  });

  it("keeps long lines whole, writes multi-line text as a literal block and repeats shared objects", () => {
    const record = pullRequestEvent();
    const long = `${"A very long pull request title that goes on ".repeat(5)}and on`;
    const body = "First line.\n\n- a list item\n- another: with a colon\n";
    Object.assign(record.content.pull_request as object, { title: long });
    record.content.body_for_test = body;
    const text = serializeRecord(buildEnvelope(record, nextLink(undefined)));
    expect(text).toContain(`    title: ${long}\n`);
    expect(text).toContain(
      "  body_for_test: |\n    First line.\n\n    - a list item\n    - another: with a colon\n",
    );
    // The same account object appears as author and actor: written twice, no anchors or aliases.
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text.match(/login: alice/g)).toHaveLength(2);
  });

  // Strings a YAML 1.1 reader, or a careless one, would turn into something else.
  const TRICKY = [
    "2026-10-14T09:12:44Z",
    "2026-10-02",
    "yes",
    "No",
    "on",
    "off",
    "y",
    "~",
    "null",
    "true",
    "0755",
    "0x1F",
    "1_000",
    "1:30",
    "1e3",
    ".inf",
    "- dash",
    ": colon",
    "#hash",
    "a: b",
    "a #b",
    "<<",
    "  leading spaces",
    "trailing spaces  ",
    "tab\there",
    "line\r\nwindows",
    "\u0000 control",
    "é ü 中 😀",
    "'single' and \"double\"",
    "{flow}",
    "[list]",
    "!tag",
    "&anchor",
    "*alias",
    "%directive",
    "@at",
    "`backtick",
    "",
    "multi\nline\n",
    "multi\nline no end",
    "\n\nleading newlines",
    "trailing newlines\n\n\n",
    "   \n   ",
    "line with trailing space \nnext",
    "---",
    "...",
    "| pipe",
    "> angle",
    "?question",
  ];

  it.each(TRICKY.map((s) => [s]))("reads back %j exactly, with every YAML reader", (s) => {
    const record = pullRequestEvent();
    Object.assign(record.content.pull_request as object, { title: s, head_ref: s });
    const envelope = buildEnvelope(record, nextLink(undefined));
    const text = serializeRecord(envelope);
    const expected = recordDigest(envelope);
    expect(recordDigest(parse(text))).toBe(expected);
    expect(recordDigest(parseYaml("x.yml", text).value)).toBe(expected);
    // js-yaml's default schema is YAML 1.1-like: dates, yes/no and sexagesimal numbers.
    expect(recordDigest(loadJsYaml(text))).toBe(expected);
  });
});

describe("planAppend", () => {
  it("plans the record and the head that names it, both from the same digest", () => {
    const p = plan(changeRecord());
    expect(p.path).toBe("evidence/changes/acme-cloud/platform/2026/05/pr-42.yml");
    expect(p.headPath).toBe("evidence/chain-head.json");
    expect(p.head).toEqual({
      sequence: 1,
      record: "changes/acme-cloud/platform/2026/05/pr-42",
      path: p.path,
      digest: recordDigest(parse(p.text)),
    });
    expect(p.headText).toBe(`{
  "sequence": 1,
  "record": "changes/acme-cloud/platform/2026/05/pr-42",
  "path": "evidence/changes/acme-cloud/platform/2026/05/pr-42.yml",
  "digest": "${p.head.digest}"
}
`);
    expect(parseChainHead(p.headText)).toEqual({ ok: true, head: p.head });
  });

  it("links to the head it is given and stamps the write time", () => {
    const first = plan(reviewEvent(1));
    const second = plan(reviewEvent(2), first.head, "2026-05-01T10:20:00Z");
    expect(second.record.chain).toEqual({ sequence: 2, previous: first.head.digest });
    expect(second.record.recorded_at).toBe("2026-05-01T10:20:00Z");
    expect(second.head.sequence).toBe(2);
  });

  it("redacts secrets the caller left in, in content and source", () => {
    const record = pullRequestEvent();
    Object.assign(record.content.pull_request as object, {
      title: `Rotate ghp_${"a1B2".repeat(9)} now`,
    });
    record.source.name = "App with token=abcdef0123456789";
    const p = plan(record);
    expect(p.text).toContain("title: Rotate [REDACTED] now");
    expect(p.text).toContain("name: App with token=[REDACTED]");
    expect(p.text).not.toContain("a1B2a1B2");
    expect(p.record.digest).toBe(contentDigest(parse(p.text).content));
  });

  it("drops undefined values, so that what is hashed is what a reader gets back", () => {
    const record = reviewEvent(1);
    record.content.note = undefined;
    const p = plan(record);
    expect(p.text).not.toContain("note");
    expect(recordDigest(parse(p.text))).toBe(p.head.digest);
  });

  it("refuses a record that would not pass soc2 validate, saying why", () => {
    const record = reviewEvent(1);
    record.content.action = "approved";
    const result = planAppend({ record, head: undefined, evidencePath: "evidence" });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.join("\n")).toMatch(
        /evidence\/reviews\/.*\.yml:\d+:\d+: error: .*action.*\[schema-enum\]/,
      );
  });

  it("refuses an id that cannot be a path", () => {
    const record = reviewEvent(1);
    record.id = "../escape";
    expect(planAppend({ record, head: undefined, evidencePath: "evidence" })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/letters, digits/)],
    });
  });
});

describe("chain-head.json", () => {
  const head: ChainHead = {
    sequence: 2,
    record: "a/b",
    path: "evidence/a/b.yml",
    digest: `sha256:${"0".repeat(64)}`,
  };

  it("round-trips", () => {
    expect(parseChainHead(serializeChainHead(head))).toEqual({ ok: true, head });
  });

  it.each([
    ["not json", /not valid JSON/],
    ["[]", /not a JSON object/],
    [JSON.stringify({ ...head, sequence: 0 }), /sequence/],
    [JSON.stringify({ ...head, digest: "sha256:x" }), /digest/],
    [JSON.stringify({ ...head, extra: 1 }), /unknown field extra/],
  ])("reports a broken head %#", (text, problem) => {
    const read = parseChainHead(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(problem);
  });
});
