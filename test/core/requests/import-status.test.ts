import { describe, expect, it } from "vitest";
import { bytesDigest } from "../../../src/core/digest.js";
import { answerRequest } from "../../../src/core/requests/answer.js";
import { planImport } from "../../../src/core/requests/import-plan.js";
import type { ImportedRequest } from "../../../src/core/requests/parse-list.js";
import { requestStatus } from "../../../src/core/requests/status.js";
import type { SourceFile } from "../../../src/core/source-file.js";
import { validateRepository } from "../../../src/core/validate.js";
import { TEST_NOW } from "../../helpers/clock.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";

const encoder = new TextEncoder();
const sources = (files: Record<string, string>): SourceFile[] =>
  Object.entries(files).map(([path, text]) => {
    const bytes = encoder.encode(text);
    return { path, size: bytes.length, bytes };
  });
const validate = (files: Record<string, string>) =>
  validateRepository(sources(files), { now: TEST_NOW });

const request = (id: string, over: Partial<ImportedRequest> = {}): ImportedRequest => ({
  id,
  description: `Request ${id}`,
  criteria: ["CC6.2"],
  due: "2026-08-01",
  controls: [],
  line: 2,
  ...over,
});

describe("planImport", () => {
  const repo = validate(minimalRepo()).repository;
  const options = { period: "2026", sourceName: "pbc.csv" };

  it("writes one file per request with a suggestion, then nothing on the same list again", () => {
    const first = planImport([request("R-1"), request("R-2")], [], repo, options);
    expect(first.created).toEqual(["audit/2026/requests/R-1.yaml", "audit/2026/requests/R-2.yaml"]);
    expect(first.files[0]!.content).toContain(
      [
        "id: R-1",
        "description: Request R-1",
        "criteria: [CC6.2]",
        'due: "2026-08-01"',
        "source: {file: pbc.csv, line: 2}",
        "status: open",
        "suggested:",
        "  controls: [GOV-01]",
      ].join("\n"),
    );
    const files = {
      ...minimalRepo(),
      ...Object.fromEntries(first.files.map((f) => [f.path, f.content])),
    };
    expect(validate(files).diagnostics).toEqual([]);
    const again = planImport(
      [request("R-1"), request("R-2")],
      first.files.map((f) => ({ path: f.path, text: f.content })),
      repo,
      options,
    );
    expect(again).toMatchObject({ files: [], unchanged: first.created, created: [], updated: [] });
    const broken = planImport(
      [request("R-1")],
      [{ path: first.created[0]!, text: "- a list\n" }],
      repo,
      options,
    );
    expect(broken).toMatchObject({
      files: [],
      unreadable: [{ path: first.created[0], problem: { line: 1, rule: "request-not-mapping" } }],
    });
    const syntax = planImport(
      [request("R-1"), request("R-2")],
      [
        { path: first.created[0]!, text: "id: R-1\nstatus: answered\nfoo: [\n" },
        {
          path: first.created[1]!,
          problem: {
            path: first.created[1]!,
            line: 1,
            column: 1,
            severity: "error",
            rule: "file-too-large",
            message: "file is 2 MiB",
          },
        },
      ],
      repo,
      options,
    );
    // Neither file is replaced by a new one: each is reported with where it is broken.
    expect(syntax).toMatchObject({
      files: [],
      created: [],
      unreadable: [
        { path: first.created[0], problem: { line: 3, rule: "yaml-syntax" } },
        { path: first.created[1], problem: { rule: "file-too-large" } },
      ],
    });
  });

  it("updates what the list says and keeps a person's status, answer and comments", () => {
    const [file] = planImport([request("R-1")], [], repo, options).files;
    const answered = answerRequest(
      file!.content.replace("status: open", "status: open # ask Sam"),
      {
        controls: ["GOV-01"],
        evidence: [],
        note: "See the access review.",
        answeredOn: "2026-07-20",
        digestOf: () => undefined,
      },
    );
    if (!answered.ok) throw new Error(answered.problem);
    const plan = planImport(
      [request("R-1", { description: "Access review for Q3, with tickets", due: "2026-08-15" })],
      [
        { path: file!.path, text: answered.text },
        { path: "audit/2026/requests/OLD.yaml", text: "id: OLD\n" },
      ],
      repo,
      options,
    );
    expect(plan.updated).toEqual([file!.path]);
    expect(plan.notInList).toEqual(["audit/2026/requests/OLD.yaml"]);
    const text = plan.files[0]!.content;
    expect(text).toContain("description: Access review for Q3, with tickets\n");
    expect(text).toContain('due: "2026-08-15"\n');
    expect(text).toContain("status: answered # ask Sam\n");
    expect(text).toContain(
      'answer:\n  controls: [GOV-01]\n  note: See the access review.\n  answered_on: "2026-07-20"\n',
    );
  });
});

describe("answers frozen by digest, and the status of a request list", () => {
  const base = {
    ...minimalRepo(),
    "evidence/backups/restore-2026-07.yml": "restored: true\n",
  };
  const open = (id: string, due: string) =>
    `id: ${id}\ndescription: Request ${id}\ndue: ${due}\nstatus: open\n`;
  const answer = (digest: string) =>
    `id: R-3\ndescription: Backups restored\ndue: 2026-07-01\nstatus: answered\nanswer:\n  controls: [GOV-01]\n  evidence:\n    - path: evidence/backups/restore-2026-07.yml\n      digest: ${digest}\n  answered_on: 2026-07-10\n`;
  const frozen = bytesDigest(encoder.encode("restored: true\n"));

  it("counts open, overdue and answered as of a date", () => {
    const { repository, diagnostics } = validate({
      ...base,
      "audit/2026/requests/R-1.yaml": open("R-1", "2026-08-01"),
      "audit/2026/requests/R-2.yaml": open("R-2", "2026-09-01"),
      "audit/2026/requests/R-3.yaml": answer(frozen),
    });
    expect(diagnostics.filter((d) => d.path.startsWith("audit/"))).toEqual([]);
    const status = requestStatus(repository.requests ?? [], "2026-08-15");
    expect(status.counts).toEqual({ total: 3, open: 1, overdue: 1, answered: 1, stale: 0 });
    expect(status.items.map((i) => [i.id, i.state])).toEqual([
      ["R-1", "overdue"],
      ["R-2", "open"],
      ["R-3", "answered"],
    ]);
    expect(requestStatus(repository.requests ?? [], "2026-07-31").counts.overdue).toBe(0);
  });

  it("reports a stale answer when an evidence file changed since it was frozen, and a missing one", () => {
    const { repository, diagnostics } = validate({
      ...base,
      "evidence/backups/restore-2026-07.yml": "restored: false\n",
      "audit/2026/requests/R-3.yaml": answer(frozen),
      "audit/2026/requests/R-4.yaml":
        "id: R-4\ndescription: x\nstatus: answered\nanswer:\n  evidence:\n    - path: evidence/nope.pdf\n      digest: " +
        frozen +
        "\n",
    });
    expect(diagnostics.filter((d) => d.path.startsWith("audit/"))).toEqual([
      expect.objectContaining({
        path: "audit/2026/requests/R-3.yaml",
        line: 9,
        severity: "warning",
        rule: "request-answer-stale",
        message:
          "answer stale: evidence/backups/restore-2026-07.yml changed since it was frozen on 2026-07-10: check the answer still holds, then run `soc2 requests answer R-3 --period 2026` to freeze it again",
      }),
      expect.objectContaining({
        path: "audit/2026/requests/R-4.yaml",
        line: 6,
        rule: "request-evidence-missing",
      }),
    ]);
    const status = requestStatus(repository.requests ?? [], "2026-08-15");
    expect(status.items.map((i) => [i.id, i.state, i.stale])).toEqual([
      ["R-3", "stale", ["evidence/backups/restore-2026-07.yml"]],
      ["R-4", "stale", ["evidence/nope.pdf"]],
    ]);
  });

  it("checks request files against the schema and the repository", () => {
    const { diagnostics } = validate({
      ...minimalRepo(),
      "audit/2026/requests/R-5.yaml":
        "id: R-6\ndescription: x\ncriteria: [CC6.2, CC9.9]\nstatus: answered\nsuggested: {controls: [NOPE-01]}\nanswer: {evidence: [{path: controls/all.yml}]}\n",
      "audit/2026/requests/R-7.yaml": "id: R-7\ndescription: x\nstatus: done\ndue: 2026-13-01\n",
    });
    expect(diagnostics.map((d) => `${d.path}:${d.line}:${d.column} ${d.rule}`)).toEqual([
      "audit/2026/requests/R-5.yaml:1:5 request-file-name",
      "audit/2026/requests/R-5.yaml:3:19 unknown-criterion",
      "audit/2026/requests/R-5.yaml:5:24 unknown-control",
      "audit/2026/requests/R-5.yaml:6:28 request-evidence-not-frozen",
      "audit/2026/requests/R-7.yaml:3:9 schema-enum",
      "audit/2026/requests/R-7.yaml:4:6 schema-format",
    ]);
  });
});
