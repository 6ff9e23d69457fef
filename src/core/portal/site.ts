import { draftBanner, draftState } from "../audit/draft.js";
import { PORTAL_CSS, PORTAL_JS } from "./assets.js";
import { buildContext, type PortalInput, type SiteFile } from "./context.js";
import { formatTimestamp } from "./dates.js";
import { CSS_PATH, JS_PATH, renderPage, type PageSpec, type SiteInfo } from "./layout.js";
import type { LazyPage } from "./paginate.js";
import { changesPages } from "./pages/changes.js";
import { controlPages, controlsPage } from "./pages/controls.js";
import { criteriaPage } from "./pages/criteria.js";
import { evidencePages, recordPage } from "./pages/evidence.js";
import { exceptionsPage } from "./pages/exceptions.js";
import { freshnessPage } from "./pages/freshness.js";
import { integrityPage } from "./pages/integrity.js";
import { overviewPage } from "./pages/overview.js";
import { policiesPage, policyPage } from "./pages/policies.js";
import { readinessPage } from "./pages/readiness.js";
import { requestsPage } from "./pages/requests.js";

/** One file of the site, made when `content()` is called: the writer makes and writes one at a time. */
export interface PlannedSiteFile {
  path: string;
  content(): string;
  /**
   * The record file (from the repository root) whose text this page shows: `input.recordTexts`
   * is read for it only when the page is made, so an adapter can load one text at a time.
   */
  recordFile?: string;
}

/**
 * The auditor's portal, as files ready to be made one by one: every page's path, with the work of
 * rendering it deferred, so the writer never holds the whole site (record pages, pages of the
 * population) in memory. The plan may be walked more than once (a writer lists the paths first,
 * then writes), and each walk makes its entries as it goes, so not even the plan of every record
 * page is held. `buildSite` makes every file at once.
 */
export function planSite(input: PortalInput): Iterable<PlannedSiteFile> {
  const ctx = buildContext(input);
  const draft = draftState(input.repository);
  const site: SiteInfo = {
    ...(draft ? { draftBanner: draftBanner(draft) } : {}),
    organization: ctx.program?.organization ?? "",
    dataNote: [
      ctx.latestRecord
        ? `Latest evidence recorded ${formatTimestamp(ctx.latestRecord)}.`
        : "No evidence recorded.",
      input.asOf ? `Statuses as of ${input.asOf}.` : "",
    ]
      .filter(Boolean)
      .join(" "),
  };
  const planned = (page: PageSpec | LazyPage): PlannedSiteFile => ({
    path: page.path,
    content: () => renderPage(site, "spec" in page ? page.spec() : page),
  });
  const fixed = (path: string, text: string) => ({ path, content: () => text });
  // The pages that are not a record's are planned once: they are few, and some (the overview,
  // readiness) are made as they are planned. Only the record pages are planned on each walk.
  const before = [
    overviewPage(ctx),
    readinessPage(ctx),
    freshnessPage(ctx),
    criteriaPage(ctx),
    controlsPage(ctx),
    ...ctx.controls.flatMap((c) => controlPages(ctx, c)),
    ...evidencePages(ctx),
  ].map(planned);
  const after = [
    ...[
      ...changesPages(ctx),
      exceptionsPage(ctx),
      policiesPage(ctx),
      ...ctx.policies.map((p) => policyPage(ctx, p)),
      requestsPage(ctx),
      integrityPage(ctx),
    ].map(planned),
    fixed(CSS_PATH, PORTAL_CSS),
    fixed(JS_PATH, PORTAL_JS),
    // GitHub Pages: publish the files as they are, without Jekyll.
    fixed(".nojekyll", ""),
  ];
  function* files(): Generator<PlannedSiteFile> {
    yield* before;
    for (const r of ctx.recordPages())
      yield {
        path: r.page,
        content: () => renderPage(site, recordPage(ctx, r.info())),
        recordFile: r.file,
      };
    yield* after;
  }
  return { [Symbol.iterator]: files };
}

/**
 * The auditor's portal: a static, read-only site built from the repository alone. Deterministic:
 * the same input gives the same files, byte for byte, in the same order (no clock, no randomness).
 */
export function buildSite(input: PortalInput): SiteFile[] {
  return [...planSite(input)].map((file) => ({ path: file.path, content: file.content() }));
}
