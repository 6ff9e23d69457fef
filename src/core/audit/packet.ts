import { escapeHtml, markdownLine } from "../render/escape.js";
import { checkFacts, evaluate, type ChangePolicy } from "../change-management/index.js";
import { contentDigest } from "../digest.js";
import { recordDigest } from "../evidence/chain.js";
import { asObject, asString } from "../model.js";
import type { ChangeItem } from "./population.js";
import { asList as arr } from "../json-read.js";

/**
 * Evidence packets for a sample: per sampled change, one page with the change record's key facts,
 * its reviews, commits, checks, verdict and exception, its integrity (digests, chain link), links
 * and how to re-run the verdict; plus an index of the sample. Each page is written once as a small
 * document model and rendered to Markdown (for GitHub and working papers) and to self-contained
 * HTML (no scripts, no external assets). Record text comes from pull requests, which anyone can
 * open: it is always escaped, and only http(s) URLs become links.
 */

export interface PacketItem {
  rank: number;
  /** The selection key (hex). */
  key: string;
  change: ChangeItem;
  /** The whole record as parsed: envelope, digest, chain and content. */
  record: unknown;
  /** The packet's file name without extension, e.g. 01-pr-1. */
  name: string;
  /**
   * Links relative to the packet folder, all inside it: the copied record, its facts, and the
   * policy the verdict applied when the packet holds it (config).
   */
  links: { record: string; facts?: string; config?: string };
  /**
   * Where the verdict's policy comes from: the digest it recorded and the base commit the
   * pull request was checked against, for when the packet cannot hold the policy itself.
   */
  policy?: { digest: string; baseSha?: string; baseRef?: string };
  /** The verdict re-computed from the embedded facts under today's soc2.yml (see reperformVerdict). */
  recomputed?: Reperformed;
}

export interface SampleSummary {
  seed: string;
  method: string;
  /** Why this many, e.g. "--size 2" or "per-occurrence: 25 (convention 25–60)". */
  sizeBasis: string;
  requested: number;
  populationSize: number;
  allTaken: boolean;
  period: { from: string; to: string };
  repository?: string;
  /** The evidence repository, as the auditor named it. */
  evidence: string;
  /** The head of the evidence hash chain when the sample was drawn: pins the population. */
  chainHead?: { sequence: number; digest: string };
  /** The command that reproduces the sample. */
  command: string;
}

export interface Reperformed {
  result: "pass" | "fail" | "pending";
  /** The embedded facts hash to the digest the recorded verdict names. */
  factsDigestMatches: boolean;
  /** The digest of today's policy, and whether it is the one the recorded verdict applied. */
  policyDigest: string;
  samePolicy: boolean;
}

/**
 * Re-performs a change's verdict from the facts snapshot the record embeds, with the given policy
 * and the snapshot's own collected_at as "now" (as `soc2 evaluate` does). Undefined when the
 * record has no valid snapshot (a direct push has none).
 */
export function reperformVerdict(content: unknown, policy: ChangePolicy): Reperformed | undefined {
  const c = asObject(content);
  if (c.facts === undefined) return undefined;
  const checked = checkFacts(c.facts);
  if (!checked.ok) return undefined;
  const verdict = evaluate(checked.facts, policy, { now: new Date(checked.facts.collected_at) });
  const recorded = asObject(c.verdict);
  return {
    result: verdict.result,
    factsDigestMatches: asString(recorded.facts_digest) === contentDigest(c.facts),
    policyDigest: verdict.policy_digest,
    samePolicy: asString(recorded.policy_digest) === verdict.policy_digest,
  };
}

// ---------------------------------------------------------------------------------------------
// A small document model, rendered twice.

type Inline =
  string | { code: string } | { strong: string } | { link: string; href: string | undefined };
type Cell = Inline[];
type Block =
  | { h: 1 | 2; text: string }
  | { p: Inline[] }
  | { note: "exception" | "ok" | "warning"; content: Inline[] }
  | { table: string[]; rows: Cell[][]; flagged?: boolean[] }
  | { pre: string[] };

const short = (sha: string | undefined) => (sha ? sha.slice(0, 7) : "");
const when = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

function title(change: ChangeItem): string {
  return change.type === "direct-push"
    ? `direct push ${short(change.mergedSha)} to ${change.baseRef} of ${change.repository}`
    : `${change.repository} #${change.number ?? "?"}: ${change.title}`;
}

function packetBlocks(item: PacketItem, summary: SampleSummary): Block[] {
  const { change } = item;
  const record = asObject(item.record);
  const content = asObject(record.content);
  const changeFacts = asObject(content.change);
  const verdict = asObject(content.verdict);
  const source = asObject(record.source);
  const chain = asObject(record.chain);
  const reviews = arr(content.reviews).map(asObject);
  const commits = arr(content.commits).map(asObject);
  const checks = arr(content.checks).map(asObject);
  const rules = arr(verdict.rules).map(asObject);
  const mergedAt = when(change.mergedAt);
  const blocks: Block[] = [];

  blocks.push({ h: 1, text: `Sample item ${item.rank}: ${title(change)}` });
  blocks.push({
    p: [
      `Item ${item.rank} of ${Math.min(summary.requested, summary.populationSize)} drawn with seed `,
      { code: summary.seed },
      ` from a population of ${summary.populationSize} change(s) merged ${summary.period.from} to ${summary.period.to}; selection key `,
      { code: item.key },
      ". ",
      { link: "The sample's index", href: "index" },
      ".",
    ],
  });
  if (change.exception)
    blocks.push({
      note: "exception",
      content: [
        { strong: `Exception (${change.exception.type}):` },
        ` ${change.exception.reason}`,
        ...(change.exception.retrospectiveReviewDue
          ? [` Retrospective review due ${change.exception.retrospectiveReviewDue}.`]
          : []),
      ],
    });
  else if (change.verdict === "pass")
    blocks.push({
      note: "ok",
      content: [
        "No exception: the change met the change-management rules when it was merged (verdict pass).",
      ],
    });
  else
    blocks.push({
      note: "warning",
      content: [
        `Verdict ${change.verdict}, and no exception was recorded: ask how the change was handled.`,
      ],
    });

  const author = asObject(changeFacts.author);
  blocks.push({ h: 2, text: "The change" });
  blocks.push({
    table: ["fact", "value"],
    rows: [
      [["record"], [{ link: change.id, href: item.links.record }]],
      [["repository"], [change.repository]],
      [
        ["type"],
        [change.type === "direct-push" ? "direct push (no pull request)" : "pull request"],
      ],
      ...(change.number !== undefined
        ? [[["pull request"], [{ link: `#${change.number}`, href: change.url }]] as Cell[]]
        : []),
      ...(change.title ? [[["title"], [change.title]] as Cell[]] : []),
      ...(change.author
        ? [
            [
              ["author"],
              [
                `${change.author}${author.id !== undefined ? ` (account ${String(author.id)})` : ""}`,
              ],
            ] as Cell[],
          ]
        : []),
      [["branch"], [change.baseRef]],
      ...(change.headSha
        ? [[["head commit (last of the pull request)"], [{ code: change.headSha }]] as Cell[]]
        : []),
      [["merged commit (on the branch)"], [{ code: change.mergedSha }]],
      [["merge method"], [change.mergeMethod ?? "unknown"]],
      [["merged at"], [change.mergedAt]],
      [["merged by"], [change.mergedBy ?? "unknown"]],
      [
        ["approved commit = merged head"],
        [
          change.approvedHead
            ? `yes: ${change.approvers.join(", ")} approved ${short(change.headSha)}`
            : "no: no approval of the head commit that was merged",
        ],
      ],
      [["tickets"], [change.tickets.join(", ") || "none recorded"]],
      [["checks passed"], [change.checksPassed ? "yes" : "no"]],
      [["verdict"], [{ strong: change.verdict }]],
      [["controls"], [change.controls.join(", ")]],
      [
        ["recorded"],
        [
          `${asString(record.recorded_at) ?? "?"} by ${asString(source.name) ?? asString(source.type) ?? "?"}` +
            (asString(source.event) ? `, on ${asString(source.event)}` : "") +
            (asString(source.recovered_by) === "reconciliation"
              ? " (recovered by reconciliation: no webhook delivered it)"
              : asString(source.delivery_id)
                ? ` (webhook delivery ${asString(source.delivery_id)})`
                : ""),
        ],
      ],
    ],
  });

  blocks.push({ h: 2, text: "Reviews" });
  if (reviews.length === 0) blocks.push({ p: ["No review was recorded."] });
  else
    blocks.push({
      table: [
        "reviewer",
        "state",
        "commit reviewed",
        "the merged head?",
        "submitted at",
        "before the merge?",
      ],
      rows: reviews.map((r) => {
        const reviewer = asObject(r.reviewer);
        const commit = asString(r.commit_id);
        const at = asString(r.submitted_at);
        return [
          [
            `${asString(reviewer.login) ?? "?"}${reviewer.id !== undefined ? ` (${String(reviewer.id)})` : ""}`,
          ],
          [`${asString(r.state) ?? "?"}${r.dismissed === true ? " (dismissed)" : ""}`],
          [{ code: short(commit) }],
          [commit && change.headSha ? (commit === change.headSha ? "yes" : "no (stale)") : "?"],
          [at ?? "?"],
          [
            Number.isNaN(when(at)) || Number.isNaN(mergedAt)
              ? "?"
              : when(at) <= mergedAt
                ? "yes"
                : "no",
          ],
        ];
      }),
    });

  blocks.push({ h: 2, text: "Commits" });
  blocks.push({
    table: ["commit", "author", "committer", "message"],
    rows: commits.map((c) => [
      [{ code: short(asString(c.sha)) }],
      [person(c.author)],
      [person(c.committer)],
      [(asString(c.message) ?? "").split(/\r?\n/, 1)[0] ?? ""],
    ]),
  });

  blocks.push({ h: 2, text: "Checks" });
  if (checks.length === 0) blocks.push({ p: ["No check was recorded."] });
  else
    blocks.push({
      table: ["check", "conclusion", "commit", "on the head?"],
      rows: checks.map((c) => {
        const sha = asString(c.sha);
        return [
          [asString(c.name) ?? "?"],
          [asString(c.conclusion) ?? "?"],
          [{ code: short(sha) }],
          [sha && change.headSha ? (sha === change.headSha ? "yes" : "no") : "?"],
        ];
      }),
    });

  blocks.push({ h: 2, text: "Verdict" });
  blocks.push({
    p: [
      { strong: `${asString(verdict.result) ?? "unknown"}` },
      `, evaluated at ${asString(verdict.evaluated_at) ?? "?"}`,
      ...(asString(verdict.policy_digest)
        ? [", policy ", { code: asString(verdict.policy_digest)! }]
        : []),
      ...(asString(verdict.facts_digest)
        ? [", facts ", { code: asString(verdict.facts_digest)! }]
        : []),
      ".",
    ],
  });
  blocks.push({
    table: ["rule", "result", "reason"],
    rows: rules.map((r) => [
      [asString(r.rule) ?? "?"],
      [asString(r.result) ?? "?"],
      [asString(r.reason) ?? ""],
    ]),
    flagged: rules.map((r) => r.result === "fail"),
  });
  if (item.recomputed) {
    const r = item.recomputed;
    blocks.push({
      p: [
        item.links.config
          ? `Re-performed now from the embedded facts under the policy in this packet (${item.links.config}): `
          : `Re-performed now from the embedded facts under the evidence repository's soc2.yml of today: `,
        { strong: r.result },
        r.result === asString(verdict.result)
          ? " (the same as recorded)"
          : " (different from the recorded verdict)",
        `. The facts ${r.factsDigestMatches ? "hash to" : "do not hash to"} the recorded facts digest; today's policy (`,
        { code: r.policyDigest },
        `) is ${
          r.samePolicy
            ? "the one the verdict applied."
            : "not the one the verdict applied: the rules changed since, or the verdict applied another soc2.yml (a product repository's own, or a central one named by policy_source). Re-run with that file to reproduce the recorded verdict rule by rule."
        }`,
      ],
    });
  }

  if (change.exception) {
    blocks.push({ h: 2, text: "Exception" });
    blocks.push({
      table: ["fact", "value"],
      rows: [
        [["type"], [change.exception.type]],
        [["reason"], [change.exception.reason]],
        ...(change.exception.retrospectiveReviewDue
          ? [[["retrospective review due"], [change.exception.retrospectiveReviewDue]] as Cell[]]
          : []),
      ],
      flagged: [true, true, true],
    });
  }

  const recordedDigest = asString(record.digest);
  const recomputedDigest = contentDigest(content);
  blocks.push({ h: 2, text: "Integrity" });
  blocks.push({
    table: ["check", "value"],
    rows: [
      [["content digest (recorded)"], [{ code: recordedDigest ?? "none" }]],
      [
        ["content digest (re-computed now)"],
        [
          { code: recomputedDigest },
          recordedDigest === recomputedDigest ? " matches" : " DOES NOT MATCH",
        ],
      ],
      [
        ["record digest (what the next record's chain.previous names)"],
        [{ code: recordDigest(item.record) }],
      ],
      [
        ["chain link"],
        chain.sequence === undefined
          ? ["no chain link (a record filed by people)"]
          : [
              `sequence ${String(chain.sequence)}, previous `,
              { code: asString(chain.previous) ?? "none (the first record)" },
            ],
      ],
      ...(summary.chainHead
        ? [
            [
              ["chain head when sampled"],
              [`sequence ${summary.chainHead.sequence}, `, { code: summary.chainHead.digest }],
            ] as Cell[],
          ]
        : []),
    ],
    flagged: [false, recordedDigest !== recomputedDigest, false, false, false],
  });

  blocks.push({ h: 2, text: "Links" });
  blocks.push({
    table: ["what", "where"],
    rows: [
      ...(change.url
        ? [[["the pull request"], [{ link: change.url, href: change.url }]] as Cell[]]
        : []),
      [["the change record (YAML)"], [{ link: item.links.record, href: item.links.record }]],
      [
        ["the facts snapshot (JSON, also embedded in the record under content.facts)"],
        item.links.facts
          ? [{ link: item.links.facts, href: item.links.facts }]
          : [
              change.type === "direct-push"
                ? "none: a direct push has no pull request, so no facts to evaluate"
                : "none: the record embeds no facts snapshot",
            ],
      ],
      ...(item.links.config
        ? [
            [
              ["the policy the verdict applied (soc2.yml)"],
              [{ link: item.links.config, href: item.links.config }],
            ] as Cell[],
          ]
        : item.policy
          ? [[["the policy the verdict applied"], policyWhereabouts(item, change)] as Cell[]]
          : []),
    ],
  });

  blocks.push({ h: 2, text: "Re-run it" });
  blocks.push({ p: ["From this folder:"] });
  blocks.push({
    pre: [
      ...(item.links.facts && !item.links.config && item.policy
        ? [
            `# this packet does not hold the policy the verdict applied (${item.policy.digest}):`,
            `# fetch soc2.yml as it was at the base commit first, e.g. from a clone of ${change.repository}`,
            `git -C <clone> show ${item.policy.baseSha ?? "<base commit>"}:soc2.yml > soc2.yml`,
          ]
        : []),
      ...(item.links.facts
        ? [
            `# the verdict, from the facts and the policy (exit 0 pass, 1 fail, 3 pending);`,
            `# with --format json its policy_digest must be ${item.policy?.digest ?? "the recorded one"}`,
            `soc2 evaluate ${shellQuote(item.links.facts)} --config ${shellQuote(item.links.config ?? "soc2.yml")}`,
          ]
        : [
            change.type === "direct-push"
              ? "# a direct push has no facts snapshot: its verdict is the direct-push rule, which always fails"
              : "# the record embeds no facts snapshot, so its verdict cannot be re-computed",
          ]),
      `# the record's content digest`,
      `soc2 digest ${shellQuote(item.links.record)}`,
    ],
  });
  return blocks;
}

/** Where to get a policy the packet does not hold: its digest and the base commit. */
function policyWhereabouts(item: PacketItem, change: ChangeItem): Inline[] {
  const policy = item.policy!;
  return [
    "not in this packet: the evidence repository's soc2.yml today does not hash to the digest the verdict applied, ",
    { code: policy.digest },
    `. Take soc2.yml as it was at the base commit `,
    { code: policy.baseSha ?? "(not recorded)" },
    ` of ${change.repository}${policy.baseRef ? ` (branch ${policy.baseRef})` : ""}, or of the central compliance repository its change_management.policy_source names, and check that soc2 evaluate reports that policy_digest.`,
  ];
}

function indexBlocks(items: readonly PacketItem[], summary: SampleSummary): Block[] {
  const blocks: Block[] = [{ h: 1, text: "Sample of changes (SOC 2 CC8.1)" }];
  blocks.push({
    table: ["", ""],
    rows: [
      [["seed"], [{ code: summary.seed }]],
      [["period (merge date, UTC)"], [`${summary.period.from} to ${summary.period.to}`]],
      [["repository"], [summary.repository ?? "all"]],
      [["population"], [`${summary.populationSize} change(s)`]],
      [["sample size"], [`${items.length} (${summary.sizeBasis})`]],
      [["selection method"], [summary.method]],
      [["evidence repository"], [summary.evidence]],
      ...(summary.chainHead
        ? [
            [
              ["evidence chain head"],
              [`sequence ${summary.chainHead.sequence}, `, { code: summary.chainHead.digest }],
            ] as Cell[],
          ]
        : []),
      [["reproduce with"], [{ code: summary.command }]],
    ],
  });
  if (summary.allTaken)
    blocks.push({
      note: "warning",
      content: [
        `The population (${summary.populationSize}) is no larger than the size asked for (${summary.requested}): every item is taken.`,
      ],
    });
  blocks.push({ h: 2, text: "Sampled changes" });
  blocks.push({
    table: [
      "#",
      "change",
      "merged at",
      "author",
      "approvers",
      "verdict",
      "exception",
      "selection key",
    ],
    rows: items.map((i) => [
      [String(i.rank)],
      [{ link: title(i.change), href: i.name }],
      [i.change.mergedAt],
      [i.change.author ?? i.change.mergedBy ?? ""],
      [i.change.approvers.join(", ") || "none"],
      [i.change.verdict],
      [i.change.exception ? `yes (${i.change.exception.type})` : "no"],
      [{ code: i.key.slice(0, 16) }],
    ]),
    flagged: items.map((i) => i.change.exception !== undefined),
  });
  return blocks;
}

function person(value: unknown): string {
  const p = asObject(value);
  const login = asString(asObject(p.account).login);
  const name = asString(p.name) ?? "?";
  // A login without an account is what a push payload named: shown, but not as an identity.
  const label = asString(p.login);
  return login
    ? `${name} (${login})`
    : label
      ? `${name} (GitHub login ${label}, account id not recorded)`
      : `${name} (no GitHub account)`;
}

function shellQuote(text: string): string {
  return /^[\w./@:=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function renderPacketMarkdown(item: PacketItem, summary: SampleSummary): string {
  return toMarkdown(packetBlocks(item, summary), "md");
}

export function renderIndexMarkdown(items: readonly PacketItem[], summary: SampleSummary): string {
  return toMarkdown(indexBlocks(items, summary), "md");
}

/** Backslash-escapes what Markdown (and the HTML GitHub allows in it) would read as syntax. */
const mdText = markdownLine;

function mdCode(text: string): string {
  const clean = text.replace(/\r?\n|\r/g, " ");
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function mdInline(inline: Inline, ext: string): string {
  if (typeof inline === "string") return mdText(inline);
  if ("code" in inline) return mdCode(inline.code);
  if ("strong" in inline) return `**${mdText(inline.strong)}**`;
  const href = safeHref(inline.href, ext);
  return href ? `[${mdText(inline.link)}](<${href}>)` : mdText(inline.link);
}

function toMarkdown(blocks: readonly Block[], ext: string): string {
  const out: string[] = [];
  for (const block of blocks) {
    if ("h" in block) out.push(`${"#".repeat(block.h)} ${mdText(block.text)}`);
    else if ("p" in block) out.push(block.p.map((i) => mdInline(i, ext)).join(""));
    else if ("note" in block)
      out.push(
        `> ${block.note === "ok" ? "✓" : "⚠"} ${block.content.map((i) => mdInline(i, ext)).join("")}`,
      );
    else if ("pre" in block) out.push(["```sh", ...block.pre, "```"].join("\n"));
    else {
      const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
      out.push(
        [
          row(block.table.map((h) => mdText(h) || " ")),
          row(block.table.map(() => "---")),
          ...block.rows.map((cells, i) =>
            row(
              cells.map((cell, j) => {
                const text = cell.map((x) => mdInline(x, ext)).join("") || " ";
                return block.flagged?.[i] && j === 0 ? `**⚠** ${text}` : text;
              }),
            ),
          ),
        ].join("\n"),
      );
    }
  }
  return out.join("\n\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// HTML

export function renderPacketHtml(item: PacketItem, summary: SampleSummary): string {
  return toHtml(`Sample item ${item.rank}: ${title(item.change)}`, packetBlocks(item, summary));
}

export function renderIndexHtml(items: readonly PacketItem[], summary: SampleSummary): string {
  return toHtml("Sample of changes (SOC 2 CC8.1)", indexBlocks(items, summary));
}

export { escapeHtml };

/**
 * Where a link may point: http(s) URLs, and the packet's own relative paths (no scheme, so no
 * javascript: or data:). "index" and packet names get the renderer's extension.
 */
function safeHref(href: string | undefined, ext: string): string | undefined {
  if (href === undefined || href === "") return undefined;
  if (/^https?:\/\/[^\s<>"'`]+$/i.test(href))
    return href.replace(/[()]/g, (c) => encodeURIComponent(c));
  // eslint-disable-next-line no-control-regex
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /[<>"'`\\\u0000-\u001f]/.test(href)) return undefined;
  const withExt = /\.[a-z]+$/i.test(href) ? href : `${href}.${ext}`;
  return withExt.split("/").map(encodeURIComponent).join("/");
}

function htmlInline(inline: Inline): string {
  if (typeof inline === "string") return escapeHtml(inline);
  if ("code" in inline) return `<code>${escapeHtml(inline.code)}</code>`;
  if ("strong" in inline) return `<strong>${escapeHtml(inline.strong)}</strong>`;
  const href = safeHref(inline.href, "html");
  return href
    ? `<a href="${escapeHtml(href)}"${/^https?:/i.test(href) ? ' rel="noopener noreferrer"' : ""}>${escapeHtml(inline.link)}</a>`
    : escapeHtml(inline.link);
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.flag td{background:#ffc7ce;color:#9c0006}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
pre{background:#f6f8fa;padding:.75rem;overflow:auto}
.note{padding:.6rem .9rem;border-left:4px solid;margin:1rem 0}.exception{background:#ffebe9;border-color:#cf222e}
.ok{background:#dafbe1;border-color:#1a7f37}.warning{background:#fff8c5;border-color:#9a6700}
@media print{body{margin:0;max-width:none}}
`.trim();

function toHtml(pageTitle: string, blocks: readonly Block[]): string {
  const body = blocks.map((block) => {
    if ("h" in block) return `<h${block.h}>${escapeHtml(block.text)}</h${block.h}>`;
    if ("p" in block) return `<p>${block.p.map(htmlInline).join("")}</p>`;
    if ("note" in block)
      return `<p class="note ${block.note}">${block.content.map(htmlInline).join("")}</p>`;
    if ("pre" in block) return `<pre><code>${escapeHtml(block.pre.join("\n"))}</code></pre>`;
    const head = block.table.every((h) => h === "")
      ? ""
      : `<thead><tr>${block.table.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`;
    const rows = block.rows
      .map(
        (cells, i) =>
          `<tr${block.flagged?.[i] ? ' class="flag"' : ""}>${cells.map((c) => `<td>${c.map(htmlInline).join("")}</td>`).join("")}</tr>`,
      )
      .join("\n");
    return `<table>${head}<tbody>\n${rows}\n</tbody></table>`;
  });
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    // Nothing may load or run: the page is a self-contained document, opened from disk or a mail.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(pageTitle)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
