import { join, resolve } from "node:path";
import { LIMITS } from "../../core/limits.js";
import { readTextIfRegular } from "../../adapters/read-regular-file.js";
import { writeAtomically } from "../../adapters/spreadsheet.js";
import { isEmptyDir } from "../../adapters/write-files.js";
import {
  renderIndexHtml,
  renderIndexMarkdown,
  renderPacketHtml,
  renderPacketMarkdown,
  reperformVerdict,
  type PacketItem,
  type SampleSummary,
} from "../../core/audit/packet.js";
import {
  changeItemOf,
  inMergeOrder,
  inPopulation,
  type ChangeItem,
} from "../../core/audit/population.js";
import { detach } from "../../core/detach.js";
import { readEvidenceRecord } from "../../adapters/read-repository.js";
import {
  drawSample,
  parseFrequency,
  SAMPLE_SIZES,
  SELECTION_METHOD,
  type Sample,
} from "../../core/audit/sample.js";
import {
  controlOwnersOf,
  needsControlOwners,
  readChangePolicy,
  type ChangePolicy,
} from "../../core/change-management/index.js";
import { countBySeverity } from "../../core/diagnostics.js";
import { parseChainHead } from "../../core/evidence/chain-head.js";
import { asObject, asString, type EvidenceRecord, type Repository } from "../../core/model.js";
import { EXIT, parseFormat, UsageError, type Output, clockOf } from "../output.js";
import { parseDay, parsePeriod, parseRepositoryName } from "./population.js";
import { loadAndValidate } from "./validate.js";

export interface SampleOptions {
  seed: string;
  size?: string;
  frequency?: string;
  from?: string;
  to?: string;
  repo?: string;
  out?: string;
  format: string;
}

const MAX_SIZE = 100_000;

/**
 * `soc2 sample`: a reproducible sample of the change population (same seed and population, same
 * items), sized explicitly or by the control's frequency, and with --out an evidence packet per
 * sampled change in Markdown and HTML. Exit 0, or 2 on a usage error.
 */
export async function sampleCommand(
  dirArg: string | undefined,
  options: SampleOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const seed = options.seed;
  if (seed.trim() === "")
    throw new UsageError(
      "--seed is empty: pass any text or number, and note it in your working papers",
    );
  const { size, basis, frequency } = parseSize(options);
  const only = options.repo === undefined ? undefined : parseRepositoryName(options.repo, "--repo");
  const out = options.out === undefined ? undefined : resolve(options.out);
  if (out && !(await isEmptyDir(out)))
    throw new UsageError(
      `--out ${options.out} is not empty: pass a new or empty folder for the packets`,
    );

  const dir = resolve(dirArg ?? ".");
  // Each record streams by and leaves its population row; the sampled records are read again
  // whole for their packets.
  const rows: ChangeItem[] = [];
  const { repository, diagnostics } = await loadAndValidate(dir, clockOf(io), {
    retain: "summary",
    onRecord: (record) => {
      const row = changeItemOf(record);
      if (row) rows.push(detach(row));
    },
  });
  const changes = inMergeOrder(rows);
  const { errors } = countBySeverity(diagnostics);
  if (errors > 0)
    io.err(
      `warning: soc2 validate finds ${errors} error(s) in ${dir}: records it cannot read are left out; run soc2 validate ${dir}\n`,
    );
  const period = samplePeriod(repository, changes, options);
  const population = period
    ? changes.filter((c) => inPopulation(c, { ...period, ...(only ? { repository: only } : {}) }))
    : [];
  const sample = drawSample(population, seed, size);
  const chainHead = await readChainHead(dir, repository);
  const shown = period ?? { from: "n/a", to: "n/a" };
  const summary: SampleSummary = {
    seed,
    method: SELECTION_METHOD,
    sizeBasis: basis,
    requested: size,
    populationSize: population.length,
    allTaken: sample.allTaken,
    period: shown,
    ...(only ? { repository: only } : {}),
    evidence: dirArg ?? ".",
    ...(chainHead ? { chainHead } : {}),
    command: [
      "soc2 sample",
      shellQuote(dirArg ?? "."),
      `--seed ${shellQuote(seed)}`,
      frequency ? `--frequency ${frequency}` : `--size ${size}`,
      ...(period ? [`--from ${period.from} --to ${period.to}`] : []),
      ...(only ? [`--repo ${only}`] : []),
    ].join(" "),
  };

  let written: string[] = [];
  if (out) written = await writePackets(out, dir, repository, sample, summary);

  if (format === "json")
    io.out(
      JSON.stringify(
        {
          seed,
          method: SELECTION_METHOD,
          size: {
            requested: size,
            basis,
            ...(frequency ? { frequency } : {}),
            taken: sample.items.length,
          },
          population: {
            size: population.length,
            period: period ?? null,
            ...(only ? { repository: only } : {}),
          },
          allTaken: sample.allTaken,
          ...(chainHead ? { chainHead } : {}),
          command: summary.command,
          items: sample.items.map((s) => ({ rank: s.rank, key: s.key, ...s.item })),
          ...(out ? { packets: { folder: out, files: written } } : {}),
        },
        null,
        2,
      ) + "\n",
    );
  else io.out(renderText(sample, summary));

  if (sample.allTaken && population.length > 0)
    io.err(
      `note: the population has ${population.length} change(s), no more than the ${size} asked for: every one is taken\n`,
    );
  if (population.length === 0)
    io.err("note: the population is empty: there is nothing to sample\n");
  if (out)
    io.err(`wrote ${written.length} file(s) to ${options.out}: open index.html or index.md\n`);
  return EXIT.ok;
}

function parseSize(options: SampleOptions): { size: number; basis: string; frequency?: string } {
  if (options.size !== undefined && options.frequency !== undefined)
    throw new UsageError(
      "pass --size or --frequency, not both: --size overrides the frequency's convention",
    );
  if (options.size !== undefined) {
    const n = /^\d+$/.test(options.size.trim()) ? Number(options.size.trim()) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE)
      throw new UsageError(`--size "${options.size}" is not a whole number from 1 to ${MAX_SIZE}`);
    return { size: n, basis: `--size ${n}` };
  }
  if (options.frequency !== undefined) {
    const frequency = parseFrequency(options.frequency);
    if (!frequency)
      throw new UsageError(
        `--frequency "${options.frequency}" is not a control frequency: use one of ${Object.keys(SAMPLE_SIZES).join(", ")}`,
      );
    const { size, convention } = SAMPLE_SIZES[frequency];
    return {
      size,
      frequency,
      basis: `${frequency} control: ${size}, the low end of the usual ${convention}; --size overrides it`,
    };
  }
  throw new UsageError(
    `pass --size <n> or --frequency <f> (${Object.entries(SAMPLE_SIZES)
      .map(([f, s]) => `${f} ${s.size}`)
      .join(", ")})`,
  );
}

/**
 * The period: --from and --to; else the audit period of soc2.yml (a Type 2); else every change
 * recorded, from the first merge day to the last. Undefined when there is no change at all.
 */
function samplePeriod(
  repository: Repository,
  changes: readonly ChangeItem[],
  options: SampleOptions,
): { from: string; to: string } | undefined {
  if (options.from !== undefined && options.to !== undefined)
    return parsePeriod(options.from, options.to);
  const audit = repository.program?.audit.period;
  const days = changes.map((c) => c.mergedAt.slice(0, 10)).sort();
  const from =
    options.from !== undefined ? parseDay(options.from, "--from") : (audit?.start ?? days[0]);
  const to = options.to !== undefined ? parseDay(options.to, "--to") : (audit?.end ?? days.at(-1));
  if (from === undefined || to === undefined) return undefined;
  if (from > to) throw new UsageError(`the period ${from} to ${to} is empty: pass --from and --to`);
  return { from, to };
}

/** A file of the repository copied into a packet: a regular file only, never through a link. */
async function readCopy(dir: string, path: string): Promise<string> {
  const text = await readTextIfRegular(join(dir, path), LIMITS.maxEvidenceFileBytes);
  if (text === undefined)
    throw new UsageError(
      `${path} cannot be copied into the packet: it is not a readable regular file`,
    );
  return text;
}

async function readChainHead(
  dir: string,
  repository: Repository,
): Promise<{ sequence: number; digest: string } | undefined> {
  const evidencePath = repository.program?.evidencePath ?? "evidence";
  const text = await readTextIfRegular(
    join(dir, evidencePath, "chain-head.json"),
    LIMITS.maxProgramFileBytes,
  );
  if (text === undefined) return undefined;
  const head = parseChainHead(text);
  return head.ok ? { sequence: head.head.sequence, digest: head.head.digest } : undefined;
}

function packetName(rank: number, change: ChangeItem): string {
  const last = change.id.split("/").at(-1) ?? "change";
  const slug = `${change.repository.replace("/", "-")}-${last}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .slice(0, 80);
  return `${String(rank).padStart(2, "0")}-${slug}`;
}

/** Where a packet folder holds the policy, laid out as soc2 evaluate --config reads it. */
const POLICY_COPY = "policy/soc2.yml";

/**
 * soc2.yml as it is, and the control files next to it when the policy lets control owners approve
 * (soc2 evaluate reads them from beside --config), under policy/ in the packet folder.
 */
async function policyFiles(
  dir: string,
  repository: Repository,
  policy: ChangePolicy,
): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [[POLICY_COPY, await readCopy(dir, "soc2.yml")]];
  if (needsControlOwners(policy))
    for (const control of repository.controls)
      out.push([`policy/${control.file.path}`, await readCopy(dir, control.file.path)]);
  return out;
}

function policyOf(repository: Repository): ChangePolicy | undefined {
  const raw = repository.program?.raw;
  if (!raw) return undefined;
  const policy = readChangePolicy(raw);
  return needsControlOwners(policy)
    ? readChangePolicy(raw, controlOwnersOf(repository.controls))
    : policy;
}

async function writePackets(
  out: string,
  dir: string,
  repository: Repository,
  sample: Sample<ChangeItem>,
  summary: SampleSummary,
): Promise<string[]> {
  const records = new Map<string, EvidenceRecord>();
  for (const s of sample.items) {
    const record = await readEvidenceRecord(dir, s.item.path);
    if (record) records.set(s.item.id, record);
  }
  const policy = policyOf(repository);
  // Every file a packet links to is copied into the folder, so that the folder alone (zipped,
  // moved to working papers) is enough to re-perform each verdict.
  const files: Array<[string, string]> = [];
  let policyCopied = false;
  const items: PacketItem[] = [];
  for (const s of sample.items) {
    const record = records.get(s.item.id);
    const name = packetName(s.rank, s.item);
    const content = asObject(record?.content);
    const facts = content.facts === undefined ? undefined : `${name}.facts.json`;
    if (facts) files.push([facts, JSON.stringify(content.facts, null, 2) + "\n"]);
    const recordCopy = `${name}.record.yml`;
    files.push([recordCopy, await readCopy(dir, s.item.path)]);
    const recomputed = policy ? reperformVerdict(content, policy) : undefined;
    // Today's soc2.yml goes in only when it is the policy the verdict applied (same digest).
    if (recomputed?.samePolicy && !policyCopied) {
      files.push(...(await policyFiles(dir, repository, policy!)));
      policyCopied = true;
    }
    const digest = asString(asObject(content.verdict).policy_digest);
    const base = asObject(asObject(content.facts).base);
    items.push({
      rank: s.rank,
      key: s.key,
      change: s.item,
      record: record?.file.parsed.value,
      name,
      links: {
        record: recordCopy,
        ...(facts ? { facts } : {}),
        ...(recomputed?.samePolicy ? { config: POLICY_COPY } : {}),
      },
      ...(digest
        ? {
            policy: {
              digest,
              ...(asString(base.sha) ? { baseSha: asString(base.sha)! } : {}),
              ...(asString(base.ref) ? { baseRef: asString(base.ref)! } : {}),
            },
          }
        : {}),
      ...(recomputed ? { recomputed } : {}),
    });
  }
  for (const item of items) {
    files.push([`${item.name}.md`, renderPacketMarkdown(item, summary)]);
    files.push([`${item.name}.html`, renderPacketHtml(item, summary)]);
  }
  files.push(["index.md", renderIndexMarkdown(items, summary)]);
  files.push(["index.html", renderIndexHtml(items, summary)]);
  for (const [name, text] of files) await writeAtomically(join(out, name), text);
  return files.map(([name]) => name).sort();
}

function renderText(sample: Sample<ChangeItem>, summary: SampleSummary): string {
  const lines = [
    `Sample of ${sample.items.length} from a population of ${summary.populationSize} change(s) merged ${summary.period.from} to ${summary.period.to}${summary.repository ? ` in ${summary.repository}` : ""}` +
      (sample.allTaken && summary.populationSize > 0
        ? " (every change: the population is no larger than the size)"
        : ""),
    `seed: ${summary.seed}; size: ${summary.sizeBasis}`,
    `method: ${summary.method}`,
    ...(summary.chainHead
      ? [`evidence chain head: sequence ${summary.chainHead.sequence}, ${summary.chainHead.digest}`]
      : []),
    `reproduce: ${summary.command}`,
    "",
  ];
  for (const { rank, key, item } of sample.items) {
    const what =
      item.type === "direct-push"
        ? `direct push ${item.mergedSha.slice(0, 7)} to ${item.baseRef}`
        : `#${item.number ?? "?"} ${JSON.stringify(item.title)}`;
    lines.push(
      `${String(rank).padStart(3)}. ${item.id}`,
      `     ${item.repository} ${what}; merged ${item.mergedAt}${item.mergedBy ? ` by ${item.mergedBy}` : ""}; ` +
        `approvers: ${item.approvers.join(", ") || "none"}; verdict ${item.verdict}` +
        (item.exception ? `; EXCEPTION (${item.exception.type})` : ""),
      `     key ${key}`,
    );
  }
  return lines.join("\n") + "\n";
}

function shellQuote(text: string): string {
  return /^[\w./@:=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
