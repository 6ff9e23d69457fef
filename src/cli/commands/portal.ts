import { LIMITS } from "../../core/limits.js";
import { join, relative, resolve } from "node:path";
import { readTextIfRegular } from "../../adapters/read-regular-file.js";
import { verifyCheckout } from "../../adapters/evidence/verify-checkout.js";
import { readProgramValue } from "../../adapters/read-repository.js";
import { SiteFolderError, writeSite } from "../../adapters/write-site.js";
import { countBySeverity } from "../../core/diagnostics.js";
import { writerOfProgram } from "../../core/evidence/verify-writer.js";
import { DEFAULT_EVIDENCE_PATH } from "../../core/model.js";
import {
  isDate,
  planSite,
  portalRecordFacts,
  type PortalRecordFacts,
} from "../../core/portal/index.js";
import { portalContent } from "../../core/portal/portal-content.js";
import { changeItemOf, inMergeOrder, type ChangeItem } from "../../core/audit/population.js";
import { detach } from "../../core/detach.js";
import { EXIT, UsageError, type Output, clockOf } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface PortalOptions {
  out: string;
  /** The date statuses and readiness are assessed at (YYYY-MM-DD); default: the clock's today, as soc2 readiness. */
  asOf?: string;
}

/**
 * `soc2 portal [dir] --out <site>`: reads the repository, verifies the evidence chain, and writes
 * the static site. The site depends on the repository and the as-of date alone, so two builds of
 * the same repository as of the same day are identical.
 */
export async function portalCommand(
  dirArg: string | undefined,
  options: PortalOptions,
  io: Output,
): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  if (!options.out) throw new UsageError("pass --out <folder>: where to write the site");
  const out = resolve(options.out);
  if (options.asOf !== undefined && !isDate(options.asOf))
    throw new UsageError(`--as-of "${options.asOf}" is not a date: write it as YYYY-MM-DD`);
  const inside = relative(out, dir);
  if (inside === "" || !inside.startsWith(".."))
    throw new UsageError(
      `--out ${options.out} would contain the repository itself: choose a folder of its own`,
    );

  const now = clockOf(io);
  // Each record streams by and leaves what the site's lists need: its population row, its facts
  // (when, a summary line, its digests) and the few content fields the assessments read. Its own
  // page is made from its text, read again just before the page.
  const changes: ChangeItem[] = [];
  const records = new Map<string, PortalRecordFacts>();
  const { repository, diagnostics } = await loadAndValidate(dir, now, {
    retain: { content: portalContent },
    onRecord: (record) => {
      const change = changeItemOf(record);
      if (change) changes.push(detach(change));
      records.set(record.file.path, detach(portalRecordFacts(record, change)));
    },
  });
  const evidencePath = repository.program?.evidencePath ?? DEFAULT_EVIDENCE_PATH;
  // Only the report and whether the history was read are kept: the chain's facts of every
  // record (about a kilobyte each) are let go before the site is made.
  const { report, historyChecked } = await integrityOf(dir, evidencePath);
  // The text of the one record whose page is being made: read just before the page, never all
  // of them at once.
  const recordTexts = new Map<string, string>();
  // The same default as soc2 readiness, so the portal and the CLI judge the same day.
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  // Each page is made as it is written: the whole site is never in memory.
  const planned = planSite({
    repository,
    recordTexts,
    integrity: { report, historyChecked },
    asOf,
    streamed: { changes: inMergeOrder(changes), records },
  });
  const files = planned.map((file) => ({
    path: file.path,
    content: async () => {
      recordTexts.clear();
      if (file.recordFile !== undefined) {
        const text = await readTextIfRegular(
          join(dir, file.recordFile),
          LIMITS.maxEvidenceFileBytes,
        );
        if (text !== undefined) recordTexts.set(file.recordFile, text);
      }
      return file.content();
    },
  }));

  let written: { written: number; removed: number };
  try {
    written = await writeSite(out, files);
  } catch (error) {
    if (error instanceof SiteFolderError) throw new UsageError(error.message);
    throw error;
  }

  const { errors } = countBySeverity(diagnostics);
  if (errors > 0)
    io.err(
      `warning: soc2 validate finds ${errors} error(s) in ${dir}; the site shows the repository as it is\n`,
    );
  if (!report.ok)
    io.err(
      `warning: the evidence integrity check found ${report.findings.length} problem(s); the site's integrity page lists them\n`,
    );
  io.out(
    `✓ wrote ${written.written} file(s) to ${out}${written.removed > 0 ? ` (removed ${written.removed} left from the previous build)` : ""}: ` +
      `${repository.controls.length} controls, ${repository.evidence.length} evidence records, ` +
      `integrity ${report.ok ? "intact" : `${report.findings.length} finding(s)`}, statuses as of ${asOf}\n` +
      `  open ${join(out, "index.html")}\n`,
  );
  return EXIT.ok;
}

/** The same checks as soc2 verify, with soc2.yml's evidence.writer, as the site shows them. */
async function integrityOf(dir: string, evidencePath: string) {
  const checked = await verifyCheckout(dir, {
    evidencePath,
    expected: writerOfProgram(await readProgramValue(dir)),
  });
  return {
    report: { ...checked.report, ok: checked.findings.length === 0, findings: checked.findings },
    historyChecked: checked.input.history !== undefined,
  };
}
