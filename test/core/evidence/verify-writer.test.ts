import { describe, expect, it } from "vitest";
import {
  checkWriters,
  parseIdentity,
  writerOfProgram,
} from "../../../src/core/evidence/verify-writer.js";
import {
  summarizeChainRecord,
  type ChainRecordInput,
} from "../../../src/core/evidence/verify-chain.js";

const BOT = "soc2-as-code[bot] <123456+soc2-as-code[bot]@users.noreply.github.com>";

const record = (
  path: string,
  sequence: number | undefined,
  by: { name: string; email: string; signed: boolean },
): ChainRecordInput => ({
  ...summarizeChainRecord(
    path,
    sequence === undefined ? { id: path } : { id: path, chain: { sequence, previous: null } },
  ),
  addedIn: "c".repeat(40),
  addedAt: "2026-11-26T10:00:00Z",
  addedBy: by,
});

describe("parseIdentity", () => {
  it("reads Name <email> and a bare email, and nothing else", () => {
    expect(parseIdentity(BOT)).toEqual({
      name: "soc2-as-code[bot]",
      email: "123456+soc2-as-code[bot]@users.noreply.github.com",
    });
    expect(parseIdentity(" app@localhost ")).toEqual({ email: "app@localhost" });
    for (const bad of ["the App", "<app@localhost>", "App <not an email>", ""])
      expect(parseIdentity(bad)).toBeUndefined();
  });
});

describe("writerOfProgram", () => {
  it("reads evidence.writer of soc2.yml, and nothing when it names none", () => {
    expect(
      writerOfProgram({ evidence: { writer: { committers: [BOT, "nonsense"], signed: true } } }),
    ).toEqual({
      identities: [parseIdentity(BOT)],
      signed: true,
      from: "soc2.yml",
    });
    expect(writerOfProgram({ evidence: { path: "evidence" } })).toBeUndefined();
    expect(writerOfProgram(undefined)).toBeUndefined();
  });
});

describe("checkWriters", () => {
  const app = { name: "soc2-as-code[bot]", email: parseIdentity(BOT)!.email, signed: true };
  const records = [
    record("evidence/a.yml", 1, app),
    record("evidence/b.yml", 2, { name: "Mallory", email: "mallory@acme.example", signed: false }),
    // A record outside the chain, filed by a person through a pull request: not the App's.
    record("evidence/c.yml", undefined, { name: "Sam", email: "sam@acme.example", signed: false }),
  ];

  it("names the chained records committed by someone else, or unsigned, and only those", () => {
    const { findings, writers } = checkWriters(records, {
      identities: [parseIdentity(BOT)!],
      signed: true,
      from: "option",
    });
    expect(findings.map((f) => [f.path, f.problem, f.sequence])).toEqual([
      ["evidence/b.yml", "committer-unexpected", 2],
      ["evidence/b.yml", "commit-unsigned", 2],
    ]);
    // Most records first, then by identity.
    expect(writers).toEqual([
      { committer: "Mallory <mallory@acme.example>", records: 1, signed: 0 },
      { committer: BOT, records: 1, signed: 1 },
    ]);
  });

  it("reports nothing, but still lists the committers, when nothing is expected", () => {
    const { findings, writers } = checkWriters(records, undefined);
    expect(findings).toEqual([]);
    expect(writers).toHaveLength(2);
  });

  it("matches the email case-insensitively, and the name exactly when one is given", () => {
    const upper = [record("evidence/a.yml", 1, { ...app, email: app.email.toUpperCase() })];
    const byEmail = { identities: [{ email: app.email }], signed: false, from: "option" as const };
    expect(checkWriters(upper, byEmail).findings).toEqual([]);
    const byName = {
      identities: [{ name: "Another", email: app.email }],
      signed: false,
      from: "option" as const,
    };
    expect(checkWriters(upper, byName).findings.map((f) => f.problem)).toEqual([
      "committer-unexpected",
    ]);
  });
});
