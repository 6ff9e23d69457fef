/**
 * The bad-file corpus: a valid base repository (test/corpus/base) and, one at a time, a bad file
 * added to it or replacing one of its files (test/corpus/cases), plus files built here that cannot
 * live on disk as text (invalid UTF-8, NUL bytes, UTF-16, files over the size limit, BOMs, CRLF).
 * For each case the validator must report the stated rule at the stated line (and column), and
 * must neither throw, hang, leak a stack trace nor point outside the file.
 *
 * Where a case file lands:
 *   cases/controls/**  → controls/**        cases/policies/** → policies/**
 *   cases/evidence/**  → evidence/**        cases/program/*.yml → replaces soc2.yml
 *   cases/multi/<case>/** → overlaid on the base at the same paths (several files at once)
 * test/corpus/valid has the same layout, for files that must pass with no error and no warning.
 *
 * Expectations are comment lines in the case files (for policies, inside the front matter):
 *   # expect: <rule> <line>[:<column>] [error|warning] [in <path>] [~ <text in the message>]
 *   # expect-none: <rule> [<line>[:<column>]] [~ <text>]       no such diagnostic may appear
 *   # known-bug: <what the validator gets wrong>
 *   # bug-expect: …  /  # bug-expect-none: …                   what it should do once fixed
 * src/core/yaml-source.ts reads files with none of the characters & * ! with js-yaml and the others
 * with the yaml library: keep those characters out of comments unless the case is about them.
 * The path defaults to the file holding the comment. `any` in place of the line is allowed only in
 * a case with a known bug, whose bug-expect states the line; bug expectations run as `it.fails`,
 * so the suite stays green while a bug is open and flags the case once the bug is fixed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/core/diagnostics.js";
import { contentDigest } from "../../src/core/digest.js";
import { LIMITS } from "../../src/core/limits.js";
import type { SourceFile } from "../../src/core/source-file.js";
import { evidencePathOf } from "../../src/core/model.js";
import { validateRepository } from "../../src/core/validate.js";
import { parse } from "yaml";

const CORPUS = fileURLToPath(new URL("../corpus/", import.meta.url));
const NOW = new Date("2026-11-26T12:00:00Z");
/** A single validation of a handful of small files takes milliseconds; anything near this is a hang. */
const MAX_MS = 5_000;

const KNOWN_RULES = new Set([
  "encoding",
  "file-too-large",
  "yaml-syntax",
  "yaml-duplicate-key",
  "yaml-multiple-documents",
  "yaml-too-deep",
  "yaml-unknown-tag",
  "yaml-alias-limit",
  "yaml-alias",
  "too-many-diagnostics",
  "file-type",
  "policy-front-matter",
  "policy-empty",
  "schema-type",
  "schema-required",
  "schema-unknown-property",
  "schema-enum",
  "schema-pattern",
  "schema-format",
  "schema-value",
  "schema-duplicate-item",
  "duplicate-id",
  "unknown-criterion",
  "unknown-owner",
  "unknown-policy",
  "unknown-control",
  "not-applicable-duplicate",
  "not-applicable-security",
  "not-applicable-out-of-scope",
  "not-applicable-covered",
  "coverage-gap",
  "date-in-future",
  "audit-period",
  "digest-mismatch",
  "evidence-kind-unexpected",
  "evidence-id-path",
  "evidence-unchained",
  "missing-program",
  "non-finite-number",
  "evidence-path",
  "file-unreadable",
  "placeholder-todo",
  "owner-without-person",
]);

// ---------------------------------------------------------------------------------------------
// Expectations

interface Expectation {
  /** The comment it came from, for messages. */
  source: string;
  rule: string;
  path: string;
  /** Undefined: any line (only for `any` or expect-none without a position). */
  line?: number;
  column?: number;
  severity?: Diagnostic["severity"];
  text?: string;
}

interface Case {
  /** Test name: the case file (or directory) relative to test/corpus. */
  name: string;
  /** Files added to the base or replacing a base file at the same path. */
  files: SourceFile[];
  /** Base paths to leave out. */
  remove?: string[];
  expect: Expectation[];
  expectNone: Expectation[];
  knownBug?: string;
  bugExpect: Expectation[];
  bugExpectNone: Expectation[];
  /** For large inputs: the time the validation must take at most. */
  budgetMs?: number;
}

const SPEC =
  /^(?<rule>[a-z0-9-]+)(?:\s+(?<pos>any|\d+(?::\d+)?))?(?:\s+(?<severity>error|warning))?(?:\s+in\s+(?<path>\S+))?(?:\s+~\s+(?<text>.+))?$/;

function parseSpec(spec: string, defaultPath: string): Expectation {
  const m = SPEC.exec(spec.trim());
  if (!m?.groups) throw new Error(`bad expectation "${spec}" for ${defaultPath}`);
  const { rule, pos, severity, path, text } = m.groups;
  const [line, column] = pos && pos !== "any" ? pos.split(":").map(Number) : [];
  return {
    source: spec.trim(),
    rule: rule!,
    path: path ?? defaultPath,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    ...(severity ? { severity: severity as Diagnostic["severity"] } : {}),
    ...(text ? { text: text.trim() } : {}),
  };
}

const COMMENT = /^# (expect|expect-none|known-bug|bug-expect|bug-expect-none):\s*(.*)$/;

/** Reads the expectation comments of one file into a case. */
function collectExpectations(target: Case, text: string, targetPath: string): void {
  for (const raw of text.split(/\r?\n/)) {
    const m = COMMENT.exec(raw);
    if (!m) continue;
    const [, kind, body] = m as unknown as [string, string, string];
    if (kind === "known-bug")
      target.knownBug = target.knownBug ? `${target.knownBug}; ${body}` : body;
    else if (kind === "expect") target.expect.push(parseSpec(body, targetPath));
    else if (kind === "expect-none") target.expectNone.push(parseSpec(body, targetPath));
    else if (kind === "bug-expect") target.bugExpect.push(parseSpec(body, targetPath));
    else target.bugExpectNone.push(parseSpec(body, targetPath));
  }
}

function emptyCase(name: string, files: SourceFile[] = []): Case {
  return { name, files, expect: [], expectNone: [], bugExpect: [], bugExpectNone: [] };
}

// ---------------------------------------------------------------------------------------------
// Files

function source(path: string, bytes: Uint8Array): SourceFile {
  return { path, size: bytes.length, bytes };
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const crlf = (text: string): string => text.replace(/\r?\n/g, "\r\n");
/** Replaces a text that must be there: a case must not silently stop being what it says. */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`"${String(from)}" not found`);
  return out;
}

/** Files under a directory, as paths relative to it with forward slashes, sorted. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

function readCorpus(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, relative)));
}
const readCorpusText = (relative: string): string => new TextDecoder().decode(readCorpus(relative));

const BASE: SourceFile[] = walk(join(CORPUS, "base")).map((p) =>
  source(p, readCorpus(`base/${p}`)),
);

/** Where a file under cases/ or valid/ lands in the repository. */
function targetOf(kind: string, relative: string): string {
  if (kind === "program") return "soc2.yml";
  return `${kind}/${relative}`;
}

/** The cases stored on disk under test/corpus/<root> (cases or valid). */
function loadCases(root: "cases" | "valid"): Case[] {
  const out: Case[] = [];
  for (const kind of ["controls", "policies", "evidence", "program"]) {
    for (const relative of walk(join(CORPUS, root, kind))) {
      const corpusPath = `${root}/${kind}/${relative}`;
      const file = source(targetOf(kind, relative), readCorpus(corpusPath));
      const c = emptyCase(corpusPath, [file]);
      collectExpectations(c, readCorpusText(corpusPath), file.path);
      out.push(c);
    }
  }
  for (const dir of readdirSync(join(CORPUS, root, "multi")).sort()) {
    const c = emptyCase(`${root}/multi/${dir}/`);
    for (const relative of walk(join(CORPUS, root, "multi", dir))) {
      const corpusPath = `${root}/multi/${dir}/${relative}`;
      c.files.push(source(relative, readCorpus(corpusPath)));
      collectExpectations(c, readCorpusText(corpusPath), relative);
    }
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated cases: bytes that cannot be written as a readable text file, and size limits.

/** A valid control whose line 4 holds a non-ASCII character, so columns count characters. */
const GENERATED_CONTROL = `id: GEN-01
title: Encryption keys are rotated every year
description: >-
  Keys — the ones that encrypt customer data at rest — are rotated every year by the platform
  team, and the old keys are kept only to decrypt backups until they expire.
criteria: [CC6.1, CC6.7]
owner: engineering-lead
frequency: annually
automation: automated
evidence:
  - kind: settings-snapshot
    description: Key rotation dates captured from the key management service.
testing:
  procedure: >-
    Inspect the key rotation dates for each customer data key and confirm none is older than a year.
`;

/** Bytes of GENERATED_CONTROL with `insert` placed on `line` after `after` characters. */
function controlWith(insert: Uint8Array, line: number, after: number): Uint8Array {
  const lines = GENERATED_CONTROL.split("\n");
  const target = lines[line - 1]!;
  const chars = [...target];
  if (chars.length < after) throw new Error(`line ${line} of the generated control is too short`);
  const before =
    lines
      .slice(0, line - 1)
      .map((l) => `${l}\n`)
      .join("") + chars.slice(0, after).join("");
  const rest = chars.slice(after).join("") + "\n" + lines.slice(line).join("\n");
  return concat(utf8(before), insert, utf8(rest));
}

/** A file of exactly `size` bytes: `text` followed by comment lines (which change no value). */
function paddedTo(text: string, size: number): Uint8Array {
  const head = utf8(text);
  const line = `#${" pad".repeat(24)}\n`; // 98 bytes
  let padding = line.repeat(Math.floor((size - head.length) / line.length));
  const rest = size - head.length - padding.length;
  if (rest > 0) padding += rest === 1 ? "\n" : `#${"x".repeat(rest - 2)}\n`;
  const bytes = concat(head, utf8(padding));
  if (bytes.length !== size) throw new Error(`padding produced ${bytes.length} bytes, not ${size}`);
  return bytes;
}

function generated(
  name: string,
  files: SourceFile[],
  expect: string[],
  extra: Partial<Case> = {},
): Case {
  const c = emptyCase(`generated/${name}`, files);
  const defaultPath = files[0]?.path ?? "soc2.yml";
  c.expect = expect.map((e) => parseSpec(e, defaultPath));
  return { ...c, ...extra };
}

function generatedBadCases(): Case[] {
  const unknownOwnerControl = readCorpusText("cases/controls/unknown-owner.yml");
  const unknownOwnerPolicy = readCorpusText("cases/policies/unknown-owner.md");
  const versionNumberPolicy = readCorpusText("cases/policies/version-as-number.md");
  const lowerCaseId = replaceOnce(
    readCorpusText("cases/controls/id-lower-case.yml"),
    /^# expect:.*\n/,
    "",
  );
  const baseEvidence = readCorpusText("base/evidence/sample.yml");
  const trimmedLines = GENERATED_CONTROL.trimEnd().split("\n");
  const lastLine = { line: trimmedLines.length, column: [...trimmedLines.at(-1)!].length + 1 };
  return [
    generated(
      "invalid-utf8-mid-line-4.yml",
      [source("controls/invalid-utf8.yml", controlWith(new Uint8Array([0xc3, 0x28]), 4, 9))],
      ["encoding 4:10 error ~ byte 0xc3 is not valid UTF-8"],
    ),
    generated(
      "latin1-e-acute.yml",
      [source("controls/latin1.yml", controlWith(new Uint8Array([0x63, 0x6c, 0xe9]), 5, 7))],
      ["encoding 5:10 error ~ byte 0xe9 is not valid UTF-8"],
    ),
    generated(
      "overlong-slash.yml",
      [source("controls/overlong.yml", controlWith(new Uint8Array([0xc0, 0xaf]), 2, 7))],
      ["encoding 2:8 error ~ byte 0xc0"],
    ),
    generated(
      "utf8-encoded-surrogate.yml",
      [source("controls/surrogate.yml", controlWith(new Uint8Array([0xed, 0xa0, 0x80]), 3, 13))],
      ["encoding 3:14 error ~ byte 0xed"],
    ),
    generated(
      "truncated-multibyte-at-end.yml",
      [
        source(
          "controls/truncated.yml",
          concat(utf8(GENERATED_CONTROL.trimEnd()), new Uint8Array([0xe2, 0x80])),
        ),
      ],
      [`encoding ${lastLine.line}:${lastLine.column} error ~ byte 0xe2`],
    ),
    generated(
      "nul-byte.yml",
      [source("controls/nul.yml", controlWith(new Uint8Array([0]), 5, 6))],
      ["encoding 5:7 error ~ NUL byte"],
    ),
    generated(
      "nul-byte-in-policy.md",
      [
        source(
          "policies/nul.md",
          utf8(
            replaceOnce(
              readCorpusText("base/policies/sample.md"),
              "title: Information",
              "title: Info\0rmation",
            ),
          ),
        ),
      ],
      ["encoding 3:12 error ~ NUL byte"],
    ),
    generated(
      "nul-byte-in-policy-body.md",
      [
        source(
          "policies/nul-body.md",
          utf8(
            replaceOnce(
              readCorpusText("base/policies/sample.md"),
              "Everyone at Corpus",
              "Everyone\0at Corpus",
            ),
          ),
        ),
      ],
      ["encoding 13:9 error ~ NUL byte: it looks binary, not Markdown"],
    ),
    generated(
      "unreadable-control.yml",
      [{ path: "controls/locked.yml", size: 0, unreadable: "permission denied" }],
      ["file-unreadable 1:1 error ~ could not be read (permission denied): make it readable"],
    ),
    generated(
      "fifo-evidence.yml",
      [{ path: "evidence/pipe.yml", size: 0, notRegular: "a FIFO (named pipe)" }],
      ["file-type 1:1 error ~ is a FIFO (named pipe): compliance files must be regular files"],
    ),
    generated(
      "utf16le-with-bom.yml",
      [
        source(
          "controls/utf16le.yml",
          concat(
            new Uint8Array([0xff, 0xfe]),
            new Uint8Array(Buffer.from(GENERATED_CONTROL, "utf16le")),
          ),
        ),
      ],
      ["encoding 1:1 error ~ byte 0xff"],
    ),
    generated(
      "utf16be-without-bom.yml",
      [
        source(
          "controls/utf16be.yml",
          new Uint8Array(Buffer.from(GENERATED_CONTROL, "utf16le").swap16()),
        ),
      ],
      ["encoding 1:1 error ~ NUL byte"],
    ),
    generated(
      "utf16le-soc2.yml",
      [
        source(
          "soc2.yml",
          concat(
            new Uint8Array([0xff, 0xfe]),
            new Uint8Array(Buffer.from(readCorpusText("base/soc2.yml"), "utf16le")),
          ),
        ),
      ],
      ["encoding 1:1 error ~ save the file as UTF-8"],
    ),
    generated(
      "program-over-size-limit-unread.yml",
      [{ path: "soc2.yml", size: LIMITS.maxProgramFileBytes + 1 }],
      [
        "file-too-large 1:1 error ~ file is 1,048,577 bytes, over the 1 MiB limit for program files",
      ],
    ),
    generated(
      "evidence-over-size-limit-unread.yml",
      [{ path: "evidence/huge.yml", size: LIMITS.maxEvidenceFileBytes + 1 }],
      [
        "file-too-large 1:1 error ~ file is 8,388,609 bytes, over the 8 MiB limit for evidence files",
      ],
    ),
    generated(
      "control-over-size-limit-read.yml",
      [source("controls/huge.yml", paddedTo(GENERATED_CONTROL, LIMITS.maxProgramFileBytes + 1))],
      [
        "file-too-large 1:1 error ~ file is 1,048,577 bytes, over the 1 MiB limit for control files",
      ],
    ),
    generated(
      "policy-over-size-limit-read.md",
      [
        source(
          "policies/huge.md",
          concat(
            readCorpus("base/policies/sample.md"),
            utf8("Lorem ipsum dolor sit amet.\n".repeat(40_000)),
          ),
        ),
      ],
      ["file-too-large 1:1 error ~ limit for policy files"],
    ),
    generated(
      "whitespace-only-control.yml",
      [source("controls/blank.yml", utf8("\n   \n\n"))],
      ["schema-type 1:1 error ~ it is empty"],
    ),
    // An empty document is null: reported as empty, never dropped.
    generated(
      "empty-control.yml",
      [source("controls/empty.yml", new Uint8Array())],
      ["schema-type 1:1 error ~ it is empty"],
    ),
    generated(
      "newline-only-evidence.yml",
      [source("evidence/empty.yml", utf8("\n"))],
      ["schema-type 1:1 error ~ it is empty"],
    ),
    generated(
      "empty-soc2.yml",
      [source("soc2.yml", new Uint8Array())],
      ["schema-type 1:1 error ~ soc2.yml must be a YAML mapping"],
    ),
    generated(
      "policy-empty-front-matter.md",
      [source("policies/empty-front-matter.md", utf8("---\n---\n\n# Change Management Policy\n"))],
      ["schema-type 2:1 error ~ it is empty"],
    ),
    generated(
      "empty-policy.md",
      [source("policies/empty.md", new Uint8Array())],
      ["policy-front-matter 1:1 error ~ must start with a --- line"],
    ),
    generated(
      "missing-soc2.yml",
      [],
      ["missing-program 1:1 error in soc2.yml ~ no soc2.yml at the repository root"],
      { remove: ["soc2.yml"] },
    ),
    generated(
      "crlf-control-unknown-owner.yml",
      [source("controls/crlf.yml", utf8(crlf(unknownOwnerControl)))],
      ['unknown-owner 8:8 error ~ owner "release-manager"'],
    ),
    generated(
      "crlf-policy-version-number.md",
      [source("policies/crlf.md", utf8(crlf(versionNumberPolicy)))],
      ["schema-type 6:10 error ~ version must be text"],
    ),
    generated(
      "bom-control-unknown-owner.yml",
      [source("controls/bom.yml", concat(BOM, utf8(unknownOwnerControl)))],
      ['unknown-owner 8:8 error ~ owner "release-manager"'],
    ),
    generated(
      "bom-control-error-on-line-1.yml",
      [source("controls/bom-line-1.yml", concat(BOM, utf8(lowerCaseId)))],
      ['schema-pattern 1:5 error ~ id "chg-01"'],
    ),
    generated(
      "bom-policy-unknown-owner.md",
      [source("policies/bom.md", concat(BOM, utf8(unknownOwnerPolicy)))],
      ['unknown-owner 5:8 error ~ owner "release-manager"'],
    ),
    generated(
      "bom-crlf-evidence-future.yml",
      [
        source(
          "evidence/bom-crlf.yml",
          concat(
            BOM,
            utf8(
              crlf(
                replaceOnce(
                  replaceOnce(baseEvidence, "id: sample", "id: bom-crlf"),
                  'recorded_at: "2026-10-01T09:00:00Z"',
                  'recorded_at: "2027-10-01T09:00:00Z"',
                ),
              ),
            ),
          ),
        ),
      ],
      ["date-in-future 5:14 error ~ recorded_at 2027-10-01T09:00:00Z"],
    ),
  ];
}

function generatedValidCases(): Case[] {
  const planned = readCorpus("valid/controls/status-planned.yaml");
  const policy = readCorpusText("valid/policies/closed-with-dots.md");
  const program = readCorpusText("base/soc2.yml");
  const evidence = replaceOnce(
    readCorpusText("base/evidence/sample.yml"),
    "id: sample",
    "id: large",
  );
  return [
    generated("bom-control.yml", [source("controls/bom.yml", concat(BOM, planned))], []),
    generated("bom-policy.md", [source("policies/bom.md", concat(BOM, utf8(policy)))], []),
    generated("bom-soc2.yml", [source("soc2.yml", concat(BOM, utf8(program)))], []),
    generated("crlf-soc2.yml", [source("soc2.yml", utf8(crlf(program)))], []),
    generated("crlf-policy.md", [source("policies/crlf.md", utf8(crlf(policy)))], []),
    generated(
      "control-exactly-at-size-limit.yml",
      [source("controls/at-limit.yml", paddedTo(GENERATED_CONTROL, LIMITS.maxProgramFileBytes))],
      [],
    ),
    generated(
      "evidence-2-mib-under-its-limit.yml",
      [source("evidence/large.yml", paddedTo(evidence, 2 * 1024 * 1024))],
      [],
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Large inputs under the size limits: each must validate within a time budget, a guard against
// quadratic work (which takes minutes on these inputs), not a speed target (benchmarks measure
// those). The budget leaves room for a loaded machine running two test files at once: the largest
// case, a digest mismatch located in a 16,000-setting snapshot by the careful parser, takes about
// 0.9 s alone and was seen at 2.8 s under load.

const LARGE_BUDGET_MS = MAX_MS;

/** A settings snapshot of `count` settings, with a correct digest: a valid record. */
function settingsSnapshot(count: number): string {
  const settings: Record<string, boolean> = {};
  for (let i = 0; i < count; i++) settings[`rule_${i}_enforced`] = i % 3 !== 0;
  const content = {
    system: "github",
    target: "corpus/platform branch protection of main",
    captured_at: "2026-10-01T00:05:00Z",
    settings,
  };
  return [
    "version: 1",
    "kind: settings-snapshot",
    "id: settings/github/large",
    "controls: [OPS-01]",
    'recorded_at: "2026-10-01T00:05:03Z"',
    "source:",
    // A workflow's capture, filed through a pull request: outside the chain, which only the App's
    // records must be in (evidence-unchained).
    "  type: github-action",
    `digest: ${contentDigest(content)}`,
    "content:",
    `  system: ${content.system}`,
    `  target: ${content.target}`,
    `  captured_at: "${content.captured_at}"`,
    "  settings:",
    ...Object.entries(settings).map(([k, v]) => `    ${k}: ${v}`),
    "",
  ].join("\n");
}

function largeCases(): Case[] {
  const snapshot = settingsSnapshot(16_000);
  const unknownKeys = ["id: CHG-01", ...Array.from({ length: 8_000 }, (_, i) => `k${i}: v`), ""];
  return [
    generated(
      "settings-snapshot-16000-settings.yml",
      [source("evidence/settings/github/large.yml", utf8(snapshot))],
      [],
      { budgetMs: LARGE_BUDGET_MS },
    ),
    generated(
      "settings-snapshot-16000-settings-digest-mismatch.yml",
      [
        source(
          "evidence/settings/github/large.yml",
          utf8(replaceOnce(snapshot, "rule_15998_enforced: true", "rule_15998_enforced: false")),
        ),
      ],
      ["digest-mismatch 8:9 error ~ content does not match its digest"],
      { budgetMs: LARGE_BUDGET_MS },
    ),
    generated(
      "control-8000-unknown-keys.yml",
      [source("controls/many-keys.yml", utf8(unknownKeys.join("\n")))],
      [
        'schema-unknown-property 2:1 error ~ unknown property "k0"',
        "too-many-diagnostics 43:1 error ~ 7958 more problem(s) in this file are not shown",
      ],
      { budgetMs: LARGE_BUDGET_MS },
    ),
    generated(
      "control-900-kb-line.yml",
      [
        source(
          "controls/long-line.yml",
          utf8(
            replaceOnce(
              GENERATED_CONTROL,
              /description: >-\n.*\n.*\n/,
              `description: ${"Keys are rotated. ".repeat(50_000)}\n`,
            ),
          ),
        ),
      ],
      [],
      { budgetMs: LARGE_BUDGET_MS },
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Running and checking

interface Run {
  files: SourceFile[];
  diagnostics: Diagnostic[];
  ms: number;
}

const runs = new WeakMap<Case, Run>();

/** Validates the base with the case applied (once per case: the bug tests reuse the result). */
function run(c: Case): Run {
  const cached = runs.get(c);
  if (cached) return cached;
  const byPath = new Map(BASE.map((f) => [f.path, f]));
  for (const path of c.remove ?? []) byPath.delete(path);
  for (const f of c.files) byPath.set(f.path, f);
  const files = [...byPath.values()];
  const started = performance.now();
  // As the CLI does: whether the evidence folder soc2.yml names holds anything.
  const program = files.find((f) => f.path === "soc2.yml");
  let named: unknown;
  try {
    named = program?.bytes ? parse(new TextDecoder().decode(program.bytes)) : undefined;
  } catch {
    named = undefined;
  }
  const folder = `${evidencePathOf(named)}/`;
  const evidenceFolderExists = files.some((f) => f.path.startsWith(folder));
  const { diagnostics } = validateRepository(files, { now: NOW, evidenceFolderExists });
  const result = { files, diagnostics, ms: performance.now() - started };
  runs.set(c, result);
  return result;
}

const show = (d: Diagnostic): string =>
  `${d.path}:${d.line}:${d.column} ${d.severity} [${d.rule}] ${d.message}`;
const listing = (ds: readonly Diagnostic[]): string =>
  ds.length === 0 ? "(no diagnostics)" : ds.map(show).join("\n");

function matches(d: Diagnostic, e: Expectation): boolean {
  return (
    d.rule === e.rule &&
    d.path === e.path &&
    (e.line === undefined || d.line === e.line) &&
    (e.column === undefined || d.column === e.column) &&
    (e.severity === undefined || d.severity === e.severity) &&
    (e.text === undefined || d.message.includes(e.text))
  );
}

function assertExpected(
  diagnostics: readonly Diagnostic[],
  expected: readonly Expectation[],
  unexpected: readonly Expectation[],
): void {
  for (const e of expected) {
    expect(
      diagnostics.some((d) => matches(d, e)),
      `expected "${e.source}" on ${e.path}; got:\n${listing(diagnostics)}`,
    ).toBe(true);
  }
  for (const e of unexpected) {
    const found = diagnostics.filter((d) => matches(d, e));
    expect(found.map(show), `expected no "${e.source}" on ${e.path}`).toEqual([]);
  }
}

/** Invariants of every run, good or bad input: well-formed diagnostics and no leaked internals. */
function assertWellFormed(r: Run, maxMs = MAX_MS): void {
  expect(r.ms, "validation took too long").toBeLessThan(maxMs);
  const lineCounts = new Map(
    r.files.flatMap((f) =>
      f.bytes ? [[f.path, new TextDecoder().decode(f.bytes).split("\n").length] as const] : [],
    ),
  );
  for (const d of r.diagnostics) {
    const where = show(d);
    expect(KNOWN_RULES.has(d.rule), `unknown rule: ${where}`).toBe(true);
    expect(["error", "warning"], where).toContain(d.severity);
    expect(
      r.files.some((f) => f.path === d.path) || d.rule === "missing-program",
      `path not in the repository: ${where}`,
    ).toBe(true);
    expect(Number.isInteger(d.line) && d.line >= 1, `line: ${where}`).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1, `column: ${where}`).toBe(true);
    // A text of n newlines has n + 1 "lines"; the last is where an error at the very end points.
    const lines = lineCounts.get(d.path);
    if (lines !== undefined)
      expect(d.line, `line past the end of the file: ${where}`).toBeLessThanOrEqual(lines);
    expect(d.message.trim().length, `empty message: ${where}`).toBeGreaterThan(0);
    expect(d.message, `stack trace in the message: ${where}`).not.toContain("    at ");
    expect(d.message, `internal error in the message: ${where}`).not.toContain("Error:");
  }
  // No input may pollute shared prototypes (see cases/controls/proto-key.yml).
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------

const BAD: Case[] = [...loadCases("cases"), ...generatedBadCases()];
const VALID: Case[] = [...loadCases("valid"), ...generatedValidCases()];
const BUGS = BAD.filter((c) => c.knownBug !== undefined);
const LARGE: Case[] = largeCases();

describe("bad-file corpus", () => {
  it("has a valid base: no errors and no warnings", () => {
    const r = run(emptyCase("base"));
    assertWellFormed(r);
    expect(listing(r.diagnostics)).toBe("(no diagnostics)");
  });

  it("holds at least 60 bad cases, each stating a rule and a line", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(60);
    for (const c of BAD) {
      // A case states where its diagnostic is; a known bug may state it only in bug-expect (when
      // the validator reports nothing at all, there is nothing right to expect yet).
      const stated = [...c.expect, ...(c.knownBug ? c.bugExpect : [])].filter(
        (e) => e.line !== undefined,
      );
      expect(stated.length, `${c.name} states no rule and line`).toBeGreaterThan(0);
      for (const e of c.expect) {
        if (e.line === undefined) {
          // `any`: the line the validator reports is wrong; the bug expectation states the right one.
          expect(c.knownBug, `${c.name}: "${e.source}" has no line and no known bug`).toBeDefined();
          expect(
            c.bugExpect.length + c.bugExpectNone.length,
            `${c.name}: known bug without bug-expect`,
          ).toBeGreaterThan(0);
        }
      }
      for (const e of [...c.expect, ...c.bugExpect])
        expect(KNOWN_RULES.has(e.rule), `${c.name}: unknown rule ${e.rule}`).toBe(true);
    }
  });

  describe("reports each bad file at its line", () => {
    it.each(BAD.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const r = run(c);
      assertWellFormed(r);
      assertExpected(r.diagnostics, c.expect, c.expectNone);
    });
  });

  describe("accepts files that must pass", () => {
    it.each(VALID.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const r = run(c);
      assertWellFormed(r);
      expect(listing(r.diagnostics)).toBe("(no diagnostics)");
    });
  });

  describe("validates large files within the limits in time", () => {
    it.each(LARGE.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const r = run(c);
      // A known slowness is asserted below, as a known bug; here only the results.
      assertWellFormed(r, c.knownBug ? Number.POSITIVE_INFINITY : c.budgetMs);
      if (c.expect.length === 0) expect(listing(r.diagnostics)).toBe("(no diagnostics)");
      assertExpected(r.diagnostics, c.expect, c.expectNone);
    });
  });

  // Each of these fails today because of the validator bug its case names; when the bug is fixed,
  // `it.fails` fails: turn the bug-expect lines into expect lines and drop the known-bug line.
  // SOC2_SHOW_BUGS=1 runs them as plain tests, to see how each one fails.
  const bugTest = process.env.SOC2_SHOW_BUGS ? it : it.fails;
  const knownBugs = BUGS.length + LARGE.filter((c) => c.knownBug).length;
  describe.skipIf(knownBugs === 0)("known validator bugs (expected to fail until fixed)", () => {
    bugTest.each(BUGS.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const r = run(c);
      assertExpected(r.diagnostics, c.bugExpect, c.bugExpectNone);
    });
    bugTest.each(LARGE.filter((c) => c.knownBug).map((c) => [c.name, c] as const))(
      "%s takes under its time budget",
      (_name, c) => {
        expect(run(c).ms).toBeLessThan(c.budgetMs!);
      },
    );
  });
});
