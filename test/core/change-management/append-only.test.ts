import { describe, expect, it } from "vitest";
import { appendOnlyViolations } from "../../../src/core/change-management/append-only.js";
import type { ChangedFile } from "../../../src/core/change-management/facts.js";

const check = (files: ChangedFile[]) =>
  appendOnlyViolations(files, "evidence").map((v) => [v.path, v.status]);

describe("evidence is append-only", () => {
  it("allows new records and changes outside the evidence folder", () => {
    expect(
      check([
        { path: "evidence/a/new.yml", status: "added" },
        { path: "controls/x.yml", status: "modified" },
        { path: "evidenced.yml", status: "removed" },
      ]),
    ).toEqual([]);
  });

  it("refuses edits, deletions and moves of records, the chain head and attachments", () => {
    expect(
      check([
        { path: "evidence/a/old.yml", status: "modified" },
        { path: "evidence/b.yml", status: "removed" },
        { path: "archive/c.yml", status: "renamed", previous_path: "evidence/c.yml" },
        { path: "evidence/chain-head.json", status: "modified" },
        { path: "evidence/attachments/q3.csv", status: "changed" },
      ]),
    ).toEqual([
      ["archive/c.yml", "renamed"],
      ["evidence/a/old.yml", "modified"],
      ["evidence/attachments/q3.csv", "changed"],
      ["evidence/b.yml", "removed"],
      ["evidence/chain-head.json", "modified"],
    ]);
  });

  it("lets the generated indexes change as records are added", () => {
    expect(
      check([
        { path: "evidence/README.md", status: "modified" },
        { path: "evidence/index/by-control/CHG-01.md", status: "modified" },
        { path: "evidence/index/by-period/2026-11.md", status: "removed" },
      ]),
    ).toEqual([]);
    // …but only the generated ones.
    expect(
      check([
        { path: "evidence/index/notes.yml", status: "modified" },
        { path: "evidence/a/README.md", status: "modified" },
      ]),
    ).toEqual([
      ["evidence/a/README.md", "modified"],
      ["evidence/index/notes.yml", "modified"],
    ]);
  });
});
