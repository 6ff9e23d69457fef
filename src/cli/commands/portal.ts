import { join, relative, resolve } from "node:path";
import { readTextIfRegular } from "../../adapters/read-regular-file.js";
import { SpilledPopulation } from "../../adapters/spilled-population.js";
import { SpilledRows } from "../../adapters/spilled-rows.js";
import { verifyCheckout } from "../../adapters/evidence/verify-checkout.js";
import { readProgramValue } from "../../adapters/read-repository.js";
import { SiteFolderError, writeSite } from "../../adapters/write-site.js";
import { changeItemOf } from "../../core/audit/population.js";
import { countBySeverity, type Diagnostic } from "../../core/diagnostics.js";
import type { IntegrityReport } from "../../core/evidence/verify-records.js";
import { writerOfProgram } from "../../core/evidence/verify-writer.js";
import { LIMITS } from "../../core/limits.js";
import { evidencePathOf, type Repository } from "../../core/model.js";
import {
  isDate,
  planSite,
  portalRecordFacts,
  type PortalRecordFacts,
} from "../../core/portal/index.js";
import { portalContent } from "../../core/portal/portal-content.js";
import { mapIterable } from "../../core/rows.js";
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
  // The integrity check first, keeping only its report and whether the history was read: the
  // chain's facts of every record (about a kilobyte each) are let go before the records are read
  // for the site.
  const { report, historyChecked } = await integrityOf(dir);
  // Each record streams by and leaves what the site needs in two temporary files: its population
  // row and its facts (when, a summary line, its digests). In memory stay its summary and the
  // few content fields the assessments read. Its own page is made from its text, read again just
  // before the page.
  const changes = new SpilledPopulation();
  const facts = new SpilledRows<PortalRecordFacts, string>();
  try {
    const { repository, diagnostics } = await loadAndValidate(dir, now, {
      retain: { content: portalContent },
      onRecord: (record) => {
        const change = changeItemOf(record);
        if (change) changes.add(change);
        facts.add(record.file.path, portalRecordFacts(record, change));
      },
    });
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
      streamed: { changes: changes.pages(), records: facts.lookup() },
    });
    const files = mapIterable(planned, (file) => ({
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
    reportBuild(io, { dir, out, asOf, repository, diagnostics, report, written });
    return EXIT.ok;
  } finally {
    changes.close();
    facts.close();
  }
}

function reportBuild(
  io: Output,
  build: {
    dir: string;
    out: string;
    asOf: string;
    repository: Repository;
    diagnostics: Diagnostic[];
    report: IntegrityReport;
    written: { written: number; removed: number };
  },
): void {
  const { dir, out, asOf, repository, diagnostics, report, written } = build;
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
}

/** The same checks as soc2 verify, with soc2.yml's evidence.writer, as the site shows them. */
async function integrityOf(dir: string) {
  const program = await readProgramValue(dir);
  const checked = await verifyCheckout(dir, {
    evidencePath: evidencePathOf(program),
    expected: writerOfProgram(program),
  });
  return {
    report: { ...checked.report, ok: checked.findings.length === 0, findings: checked.findings },
    historyChecked: checked.input.history !== undefined,
  };
}
