import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { planAppend, type AppendPlan } from "../../../src/core/evidence/append-plan.js";
import type { ChainHead } from "../../../src/core/evidence/chain-head.js";
import {
  appendEntry,
  buildIndexes,
  DEFAULT_README_INTRO,
  INDEX_END,
  INDEX_START,
  indexEntry,
  indexFilesFor,
  indexSet,
  isIndexFile,
  updateIndexes,
  type IndexEntry,
  type IndexFile,
} from "../../../src/core/evidence/indexes.js";
import type { PendingRecord } from "../../../src/core/evidence/pending-record.js";
import { changeRecord, pullRequestEvent, reviewEvent } from "./samples.js";

/** Every file after appending the entries one by one, as a store does, from `initial`. */
function incrementally(
  evidencePath: string,
  entries: readonly IndexEntry[],
  initial: Record<string, string> = {},
): Map<string, string> {
  const files = new Map(Object.entries(initial));
  for (const entry of entries) {
    const existing = new Map(indexFilesFor(entry, evidencePath).map((p) => [p, files.get(p)]));
    for (const file of updateIndexes({ evidencePath, entry, existing }))
      files.set(file.path, file.text);
  }
  return files;
}

const asMap = (files: IndexFile[]) => new Map(files.map((f) => [f.path, f.text]));

function entry(overrides: Partial<IndexEntry> & { id: string }): IndexEntry {
  return {
    file: `${overrides.id}.yml`,
    kind: "review-event",
    controls: ["CHG-01"],
    recordedAt: "2026-05-01T10:00:00Z",
    repository: "acme-cloud/platform",
    summary: "#42 review APPROVED by bob (submitted)",
    ...overrides,
  };
}

/** Entries of several kinds, months, controls and repositories, in the order a chain writes them. */
function story(): IndexEntry[] {
  return [
    entry({ id: "reviews/a/1", sequence: 1, recordedAt: "2026-04-30T23:59:59Z" }),
    entry({
      id: "changes/a/1",
      sequence: 2,
      kind: "change-record",
      controls: ["CHG-01", "CHG-03"],
    }),
    // Same second as the one before: in chain order, whatever the ids.
    entry({ id: "changes/a/0", sequence: 3, kind: "change-record" }),
    // A writer whose clock is a few seconds behind: recorded before its predecessor.
    entry({ id: "reviews/a/2", sequence: 4, recordedAt: "2026-05-01T09:59:58Z" }),
    // Filed by a person in that second: after the chained records, by id.
    entry({ id: "attestations/a", controls: ["CHG-03"], repository: undefined }),
    entry({
      id: "changes/b/1",
      sequence: 5,
      repository: "acme-cloud/infrastructure",
      recordedAt: "2026-05-02T08:00:00Z",
    }),
    entry({
      id: "attestations/2026/q2-access-review",
      kind: "attestation",
      controls: ["ACC-04"],
      repository: undefined,
      recordedAt: "2026-07-03T12:00:00Z",
      summary: "Q2 access review: no-exceptions",
    }),
    entry({ id: "reviews/a/3", sequence: 6, recordedAt: "2027-01-05T00:00:00Z" }),
  ];
}

describe("index entries", () => {
  it("reads what the indexes show from a stored record", () => {
    const plan = planned([reviewEvent(1)])[0]!;
    expect(appendEntry(plan)).toEqual({
      ok: true,
      entry: {
        file: "reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
        id: "reviews/acme-cloud/platform/2026/05/pr-42-review-1",
        kind: "review-event",
        controls: ["CHG-01"],
        recordedAt: "2026-05-01T10:15:00Z",
        repository: "acme-cloud/platform",
        summary: "#42 review APPROVED by bob (submitted)",
        sequence: 1,
      },
    });
  });

  it("says what each kind of record shows in one line", () => {
    const summary = (record: PendingRecord) => {
      const read = appendEntry(planned([record])[0]!);
      return read.ok ? read.entry.summary : read.problem;
    };
    expect(summary(pullRequestEvent())).toBe(
      "#42 synchronize by alice (forced): Rate-limit the export endpoint",
    );
    expect(summary(changeRecord())).toMatch(/^#42 .+: verdict (pass|fail|pending)$/);
    const attestation = indexEntry("attestations/x.yml", {
      kind: "attestation",
      id: "attestations/x",
      controls: ["ACC-04"],
      recorded_at: "2026-10-03T16:20:00Z",
      content: { title: "Q3 access review", result: "exceptions-noted" },
    });
    expect(attestation).toMatchObject({
      ok: true,
      entry: { summary: "Q3 access review: exceptions-noted" },
    });
    expect(attestation.ok && "repository" in attestation.entry).toBe(false);
    expect(attestation.ok && "sequence" in attestation.entry).toBe(false);
  });

  it("places a record by its recorded time in UTC, and refuses one without a time", () => {
    const read = indexEntry("x.yml", { recorded_at: "2026-05-31T23:30:00.250-05:00" });
    expect(read).toMatchObject({ ok: true, entry: { recordedAt: "2026-06-01T04:30:00Z", id: "x" } });
    expect(indexEntry("x.yml", { recorded_at: "yesterday" })).toEqual({
      ok: false,
      problem: "recorded_at is missing or not a timestamp",
    });
    expect(indexEntry("x.yml", {})).toMatchObject({ ok: false });
  });
});

describe("buildIndexes", () => {
  it("writes the README and one index per period, control and month, and repository and month", () => {
    const files = buildIndexes({ evidencePath: "evidence", entries: story() });
    expect(files.map((f) => f.path)).toEqual([
      "evidence/README.md",
      "evidence/index/by-control/ACC-04.md",
      "evidence/index/by-control/ACC-04/2026-07.md",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-04.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-control/CHG-01/2027-01.md",
      "evidence/index/by-control/CHG-03.md",
      "evidence/index/by-control/CHG-03/2026-05.md",
      "evidence/index/by-period/2026-04.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-period/2026-07.md",
      "evidence/index/by-period/2027-01.md",
      "evidence/index/by-repository/acme-cloud/infrastructure.md",
      "evidence/index/by-repository/acme-cloud/infrastructure/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-04.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform/2027-01.md",
    ]);
    const may = asMap(files).get("evidence/index/by-period/2026-05.md")!;
    expect(may).toBe(
      [
        "# Evidence recorded in 2026-05",
        "",
        "Generated by soc2-as-code: one row per evidence record, oldest first, each linking the record.",
        "The App adds a row in the commit that adds each record; `soc2 index` rebuilds every index from",
        "the records. Back to the [evidence index](../../README.md).",
        "",
        "| Recorded (UTC) | Chain | Record | Kind | Controls | Repository | Summary |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| 2026-05-01T09:59:58Z | 4 | [`reviews/a/2`](../../reviews/a/2.yml) | review-event | [CHG-01](../by-control/CHG-01.md) | [acme-cloud/platform](../by-repository/acme-cloud/platform.md) | #42 review APPROVED by bob (submitted) |",
        "| 2026-05-01T10:00:00Z | 2 | [`changes/a/1`](../../changes/a/1.yml) | change-record | [CHG-01](../by-control/CHG-01.md), [CHG-03](../by-control/CHG-03.md) | [acme-cloud/platform](../by-repository/acme-cloud/platform.md) | #42 review APPROVED by bob (submitted) |",
        "| 2026-05-01T10:00:00Z | 3 | [`changes/a/0`](../../changes/a/0.yml) | change-record | [CHG-01](../by-control/CHG-01.md) | [acme-cloud/platform](../by-repository/acme-cloud/platform.md) | #42 review APPROVED by bob (submitted) |",
        "| 2026-05-01T10:00:00Z | - | [`attestations/a`](../../attestations/a.yml) | review-event | [CHG-03](../by-control/CHG-03.md) |  | #42 review APPROVED by bob (submitted) |",
        "| 2026-05-02T08:00:00Z | 5 | [`changes/b/1`](../../changes/b/1.yml) | review-event | [CHG-01](../by-control/CHG-01.md) | [acme-cloud/infrastructure](../by-repository/acme-cloud/infrastructure.md) | #42 review APPROVED by bob (submitted) |",
        "",
      ].join("\n"),
    );
    // Links from an index four folders down.
    expect(
      asMap(files).get("evidence/index/by-repository/acme-cloud/platform/2026-04.md"),
    ).toContain(
      "| [`reviews/a/1`](../../../../reviews/a/1.yml) | review-event | [CHG-01](../../../by-control/CHG-01.md) | [acme-cloud/platform](../platform.md) |",
    );
    // A control's page lists its months and their counts; each month file, its records.
    expect(asMap(files).get("evidence/index/by-control/CHG-01.md")).toBe(
      [
        "# Evidence of control CHG-01",
        "",
        "Generated by soc2-as-code: the evidence records of CHG-01, by the month they were recorded",
        "(UTC), 6 in all. Each month links a table of its records, one row per record, oldest first.",
        "The App adds a row in the commit that adds each record; `soc2 index` rebuilds every index from",
        "the records. Back to the [evidence index](../../README.md).",
        "",
        "| Month | Records |",
        "| --- | --- |",
        "| [2026-04](CHG-01/2026-04.md) | 1 |",
        "| [2026-05](CHG-01/2026-05.md) | 4 |",
        "| [2027-01](CHG-01/2027-01.md) | 1 |",
        "",
      ].join("\n"),
    );
    const month = asMap(files).get("evidence/index/by-control/CHG-01/2026-04.md")!;
    expect(month).toContain("# Evidence of control CHG-01 recorded in 2026-04\n");
    expect(month).toContain(
      "the records. Back to all the months of [CHG-01](../CHG-01.md) and to the [evidence index](../../../README.md).",
    );
    expect(month).toContain(
      "| [`reviews/a/1`](../../../reviews/a/1.yml) | review-event | [CHG-01](../CHG-01.md) | [acme-cloud/platform](../../by-repository/acme-cloud/platform.md) |",
    );
    // A repository's page, the same way.
    expect(asMap(files).get("evidence/index/by-repository/acme-cloud/platform.md")).toBe(
      [
        "# Evidence about acme-cloud/platform",
        "",
        "Generated by soc2-as-code: the evidence records about acme-cloud/platform, by the month they were recorded",
        "(UTC), 5 in all. Each month links a table of its records, one row per record, oldest first.",
        "The App adds a row in the commit that adds each record; `soc2 index` rebuilds every index from",
        "the records. Back to the [evidence index](../../../README.md).",
        "",
        "| Month | Records |",
        "| --- | --- |",
        "| [2026-04](platform/2026-04.md) | 1 |",
        "| [2026-05](platform/2026-05.md) | 3 |",
        "| [2027-01](platform/2027-01.md) | 1 |",
        "",
      ].join("\n"),
    );
    const repositoryMonth = asMap(files).get(
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
    )!;
    expect(repositoryMonth).toContain("# Evidence about acme-cloud/platform recorded in 2026-05\n");
    expect(repositoryMonth).toContain(
      "the records. Back to all the months of [acme-cloud/platform](../platform.md) and to the [evidence index](../../../../README.md).",
    );
  });

  it("lists periods by year, controls and repositories in the README, after its own introduction", () => {
    const readme = asMap(buildIndexes({ evidencePath: "evidence", entries: story() })).get(
      "evidence/README.md",
    )!;
    expect(readme.startsWith(`${DEFAULT_README_INTRO}\n${INDEX_START}\n`)).toBe(true);
    expect(readme.endsWith(`${INDEX_END}\n`)).toBe(true);
    expect(readme).toContain(
      "- 2026: [04](index/by-period/2026-04.md) · [05](index/by-period/2026-05.md) · [07](index/by-period/2026-07.md)\n- 2027: [01](index/by-period/2027-01.md)\n",
    );
    expect(readme).toContain(
      "- [ACC-04](index/by-control/ACC-04.md)\n- [CHG-01](index/by-control/CHG-01.md)\n- [CHG-03](index/by-control/CHG-03.md)\n",
    );
    expect(readme).toContain(
      "- [acme-cloud/infrastructure](index/by-repository/acme-cloud/infrastructure.md)\n- [acme-cloud/platform](index/by-repository/acme-cloud/platform.md)\n",
    );
    expect(readme).toContain("- [chain-head.json](chain-head.json): the last record");
    // Manual records only: no chain head to link.
    const manual = buildIndexes({
      evidencePath: "evidence",
      entries: story().filter((e) => e.sequence === undefined),
    });
    expect(asMap(manual).get("evidence/README.md")).not.toContain("](chain-head.json)");
    // Nothing at all yet.
    expect(buildIndexes({ evidencePath: "evidence", entries: [] })).toEqual([
      { path: "evidence/README.md", text: expect.stringContaining("- none yet") },
    ]);
  });

  it("keeps the README's own text around the generated section", () => {
    const own = "# Evidence of Acme\n\nOur words.\n";
    const first = asMap(buildIndexes({ evidencePath: "evidence", entries: [], readme: own })).get(
      "evidence/README.md",
    )!;
    expect(first.startsWith(`${own}\n${INDEX_START}`)).toBe(true);
    const edited = `${first}\n## Contacts\n\nsecurity@acme.example\n`;
    const again = asMap(
      buildIndexes({ evidencePath: "evidence", entries: story(), readme: edited }),
    ).get("evidence/README.md")!;
    expect(again.startsWith(`${own}\n${INDEX_START}`)).toBe(true);
    expect(again.endsWith(`${INDEX_END}\n\n## Contacts\n\nsecurity@acme.example\n`)).toBe(true);
    expect(again).toContain("[CHG-01](index/by-control/CHG-01.md)");
  });

  it("lists a record given twice once, keeping the first, as appending it twice does", () => {
    const entries = story();
    const again = { ...entries[1]!, summary: "a later copy of the same record" };
    const full = asMap(buildIndexes({ evidencePath: "evidence", entries: [...entries, again] }));
    expect(full).toEqual(asMap(buildIndexes({ evidencePath: "evidence", entries })));
    expect(incrementally("evidence", [...entries, again])).toEqual(full);
  });

  it("gives the same bytes whatever the order of the records", () => {
    const entries = story();
    const reversed = [...entries].reverse();
    expect(buildIndexes({ evidencePath: "evidence", entries: reversed })).toEqual(
      buildIndexes({ evidencePath: "evidence", entries }),
    );
  });

  it("makes the files one at a time, in path order, the same on every iteration", () => {
    const set = indexSet({ evidencePath: "evidence", entries: story() });
    const first = [...set];
    expect(first.map((f) => f.path)).toEqual(set.paths);
    expect([...set].map((f) => f.path)).toEqual([...set.paths].sort());
    expect([...set]).toEqual(first);
    expect(first).toEqual(buildIndexes({ evidencePath: "evidence", entries: story() }));
  });

  it("keeps hostile text inert: one line per row, no markup, no raw HTML, no path outside the index", () => {
    const hostile = entry({
      id: "changes/x/1",
      summary:
        "| fake | cell |\n# heading <script>alert(1)</script> [click](javascript:alert(1)) `code` *bold* &amp; ~~x~~",
      controls: ["../../../etc/passwd", "CHG-01"],
      kind: "change-record|x",
    });
    const files = asMap(buildIndexes({ evidencePath: "evidence", entries: [hostile] }));
    expect([...files.keys()].some((p) => p.includes(".."))).toBe(false);
    const index = files.get("evidence/index/by-control/CHG-01/2026-05.md")!;
    const row = index.split("\n").find((l) => l.includes("changes/x/1"))!;
    // Seven cells: every "|" in the text is escaped.
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(9);
    expect(row).not.toMatch(/(^|[^\\])(<script>|\]\(javascript:|`code)/);
    expect(row).toContain("\\<script\\>");
    expect(row).toContain("| ../../../etc/passwd, [CHG-01](../CHG-01.md) |");
    expect(index.split("\n").filter((l) => l.startsWith("| 2026"))).toHaveLength(1);
  });

  it("links a file whose name needs encoding", () => {
    const odd = entry({ id: "attestations/q1 review (final)", file: "attestations/q1 review (final).yml" });
    const index = asMap(buildIndexes({ evidencePath: "evidence", entries: [odd] })).get(
      "evidence/index/by-control/CHG-01/2026-05.md",
    )!;
    expect(index).toContain(
      "[`attestations/q1 review (final)`](../../../attestations/q1%20review%20%28final%29.yml)",
    );
  });

  it("puts the indexes under any evidence folder, and recognizes its own files", () => {
    const files = buildIndexes({ evidencePath: "audit/evidence/", entries: [story()[0]!] });
    expect(files.map((f) => f.path)).toEqual([
      "audit/evidence/README.md",
      "audit/evidence/index/by-control/CHG-01.md",
      "audit/evidence/index/by-control/CHG-01/2026-04.md",
      "audit/evidence/index/by-period/2026-04.md",
      "audit/evidence/index/by-repository/acme-cloud/platform.md",
      "audit/evidence/index/by-repository/acme-cloud/platform/2026-04.md",
    ]);
    expect(isIndexFile("audit/evidence/index/by-period/2026-04.md", "audit/evidence")).toBe(true);
    expect(isIndexFile("audit/evidence/index/by-control/CHG-01/2026-04.md", "audit/evidence")).toBe(
      true,
    );
    expect(
      isIndexFile("audit/evidence/index/by-repository/acme-cloud/platform/2026-04.md", "audit/evidence"),
    ).toBe(true);
    expect(isIndexFile("audit/evidence/index/notes.md", "audit/evidence")).toBe(false);
    expect(isIndexFile("audit/evidence/README.md", "audit/evidence")).toBe(false);
    expect(buildIndexes({ evidencePath: "", entries: [] })[0]!.path).toBe("README.md");
  });
});

describe("updateIndexes", () => {
  it("appended one by one, gives the very files the full rebuild gives", () => {
    const entries = story();
    const full = asMap(buildIndexes({ evidencePath: "evidence", entries }));
    expect(incrementally("evidence", entries)).toEqual(full);
  });

  it("touches only the month's files and the control's and repository's pages, whatever their age", () => {
    // A change record every day for two years, then one more: the append reads and writes the
    // current month's rows (at most a month of them) and one line per month on the control's and
    // the repository's page.
    const days = Array.from({ length: 730 }, (_, i) =>
      entry({
        id: `changes/d/${i}`,
        sequence: i + 1,
        recordedAt: new Date(Date.UTC(2026, 0, 1 + i, 12)).toISOString().replace(".000Z", "Z"),
      }),
    );
    const before = incrementally("evidence", days);
    const next = entry({ id: "changes/d/730", sequence: 731, recordedAt: "2027-12-31T13:00:00Z" });
    const existing = new Map(indexFilesFor(next, "evidence").map((p) => [p, before.get(p)]));
    expect(existing.size).toBe(6);
    const changed = updateIndexes({ evidencePath: "evidence", entry: next, existing });
    expect(changed.map((f) => f.path)).toEqual([
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2027-12.md",
      "evidence/index/by-period/2027-12.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2027-12.md",
    ]);
    for (const [page, month] of [
      [changed[0]!, changed[1]!] as const,
      [changed[3]!, changed[4]!] as const,
    ]) {
      expect(month.text.split("\n").filter((l) => l.startsWith("| 2027-12"))).toHaveLength(32);
      expect(page.text.split("\n").filter((l) => l.startsWith("| [20"))).toHaveLength(24);
    }
    expect(incrementally("evidence", [...days, next])).toEqual(
      asMap(buildIndexes({ evidencePath: "evidence", entries: [...days, next] })),
    );
  });

  /**
   * The last record of the story appended to the files of all the others, in which the indexes of
   * `names` (under `folder`) are as they were written before months: every row in
   * `<folder>/<name>.md`, linking from one folder up. With the files of the full rebuild.
   */
  function appendedToOldLayout(folder: string, names: string[]) {
    const entries = story();
    const earlier = entries.slice(0, -1);
    const old = new Map(
      [...incrementally("evidence", earlier)].filter(([p]) => !p.startsWith(`evidence/index/${folder}/`)),
    );
    const before = asMap(buildIndexes({ evidencePath: "evidence", entries: earlier }));
    for (const name of names) {
      const rows = [...before]
        .filter(([p]) => p.startsWith(`evidence/index/${folder}/${name}/`))
        .flatMap(([, text]) => text.split("\n").filter((l) => l.startsWith("| 20")))
        .map((l) => l.replace(/\]\(\.\.\//g, "]("));
      old.set(`evidence/index/${folder}/${name}.md`, `# ${name}\n\n| header |\n| --- |\n${rows.join("\n")}\n`);
    }
    const last = entries.at(-1)!;
    const after = incrementally("evidence", [last], Object.fromEntries(old));
    return { old, last, after, full: asMap(buildIndexes({ evidencePath: "evidence", entries })) };
  }

  it("splits a control index written before months into month files at the first append", () => {
    const { old, last, after, full } = appendedToOldLayout("by-control", ["CHG-01", "CHG-03"]);
    expect(old.get("evidence/index/by-control/CHG-01.md")).toContain(
      "| [`reviews/a/1`](../../reviews/a/1.yml) |",
    );
    expect(last.controls).toContain("CHG-01");
    for (const [path, text] of full)
      if (path.includes("/CHG-01")) expect(after.get(path), path).toBe(text);
  });

  it("splits a repository index written before months into month files at the first append", () => {
    const repositories = ["acme-cloud/platform", "acme-cloud/infrastructure"];
    const { old, last, after, full } = appendedToOldLayout("by-repository", repositories);
    expect(old.get("evidence/index/by-repository/acme-cloud/platform.md")).toContain(
      "| [`reviews/a/1`](../../../reviews/a/1.yml) | review-event | [CHG-01](../../by-control/CHG-01.md) | [acme-cloud/platform](platform.md) |",
    );
    expect(last.repository).toBe("acme-cloud/platform");
    // Every month of the repository is written, and its page lists them: nothing of the old
    // layout is left for that repository.
    const platform = (files: Map<string, string>) =>
      [...files].filter(([p]) => p.includes("by-repository/acme-cloud/platform"));
    expect(platform(after)).toEqual(platform(full));
    // A repository with no new record keeps its old file until it has one, or until soc2 index.
    expect(after.get("evidence/index/by-repository/acme-cloud/infrastructure.md")).toBe(
      old.get("evidence/index/by-repository/acme-cloud/infrastructure.md"),
    );
    expect(after.get("evidence/index/by-repository/acme-cloud/infrastructure.md")).not.toBe(
      full.get("evidence/index/by-repository/acme-cloud/infrastructure.md"),
    );
  });

  it("does the same from a README written by soc2 init, keeping its text", () => {
    const readme = "# Evidence\n\nEvidence records of Acme Cloud, Inc.'s SOC 2 program.\n";
    const entries = story();
    const incremental = incrementally("evidence", entries, { "evidence/README.md": readme });
    expect(incremental).toEqual(asMap(buildIndexes({ evidencePath: "evidence", entries, readme })));
    expect(incremental.get("evidence/README.md")!.startsWith(`${readme}\n${INDEX_START}`)).toBe(
      true,
    );
  });

  it("adds one line to each affected index, and touches the README only for something new", () => {
    const [first, second] = [
      entry({ id: "reviews/a/1" }),
      entry({ id: "reviews/a/2", recordedAt: "2026-05-01T11:00:00Z" }),
    ];
    const before = incrementally("evidence", [first!]);
    const existing = new Map(indexFilesFor(second!, "evidence").map((p) => [p, before.get(p)]));
    const changed = updateIndexes({ evidencePath: "evidence", entry: second!, existing });
    expect(changed.map((f) => f.path)).toEqual([
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
    ]);
    // The control's and the repository's pages: only the month's count changes.
    expect(changed[0]!.text).toBe(
      before
        .get("evidence/index/by-control/CHG-01.md")!
        .replace("(UTC), 1 in all", "(UTC), 2 in all")
        .replace("| [2026-05](CHG-01/2026-05.md) | 1 |", "| [2026-05](CHG-01/2026-05.md) | 2 |"),
    );
    expect(changed[3]!.text).toBe(
      before
        .get("evidence/index/by-repository/acme-cloud/platform.md")!
        .replace("(UTC), 1 in all", "(UTC), 2 in all")
        .replace("| [2026-05](platform/2026-05.md) | 1 |", "| [2026-05](platform/2026-05.md) | 2 |"),
    );
    for (const file of [changed[1]!, changed[2]!, changed[4]!]) {
      const old = before.get(file.path)!;
      expect(file.text.startsWith(old)).toBe(true); // appended, nothing else changed
      expect(file.text.slice(old.length).split("\n")).toHaveLength(2); // one line
    }
    // The same record again (a retry that read the new tip): nothing to write.
    const after = incrementally("evidence", [first!, second!]);
    const again = new Map(indexFilesFor(second!, "evidence").map((p) => [p, after.get(p)]));
    expect(updateIndexes({ evidencePath: "evidence", entry: second!, existing: again })).toEqual([]);
  });

  it("indexes a chain of records planned by planAppend exactly as a rebuild from their files", () => {
    const plans = planned([
      pullRequestEvent(),
      reviewEvent(1),
      reviewEvent(2, "2026-05-01T10:20:00Z"),
      changeRecord(),
      reviewEvent(3, "2026-06-02T08:00:00Z"),
    ]);
    const entries = plans.map((p) => {
      const read = appendEntry(p);
      if (!read.ok) throw new Error(read.problem);
      return read.entry;
    });
    const rebuilt = plans.map((p) => {
      const read = indexEntry(p.path.slice("evidence/".length), parse(p.text));
      if (!read.ok) throw new Error(read.problem);
      return read.entry;
    });
    expect(rebuilt).toEqual(entries);
    expect(incrementally("evidence", entries)).toEqual(
      asMap(buildIndexes({ evidencePath: "evidence", entries: rebuilt })),
    );
  });
});

/** Plans appends of records one after another, each linked to the one before, as a store would. */
function planned(records: PendingRecord[]): AppendPlan[] {
  let head: ChainHead | undefined;
  return records.map((record) => {
    const result = planAppend({ record, head, evidencePath: "evidence" });
    if (!result.ok) throw new Error(result.problems.join("; "));
    head = result.plan.head;
    return result.plan;
  });
}
