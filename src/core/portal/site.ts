import { draftBanner, draftState } from "../audit/draft.js";
import { PORTAL_CSS, PORTAL_JS } from "./assets.js";
import { buildContext, type PortalInput, type SiteFile } from "./context.js";
import { formatTimestamp } from "./dates.js";
import { CSS_PATH, JS_PATH, renderPage, type PageSpec, type SiteInfo } from "./layout.js";
import { changesPage } from "./pages/changes.js";
import { controlPage, controlsPage } from "./pages/controls.js";
import { criteriaPage } from "./pages/criteria.js";
import { evidencePage, recordPage } from "./pages/evidence.js";
import { exceptionsPage } from "./pages/exceptions.js";
import { freshnessPage } from "./pages/freshness.js";
import { integrityPage } from "./pages/integrity.js";
import { overviewPage } from "./pages/overview.js";
import { policiesPage, policyPage } from "./pages/policies.js";
import { readinessPage } from "./pages/readiness.js";

/**
 * The auditor's portal: a static, read-only site built from the repository alone. Deterministic:
 * the same input gives the same files, byte for byte, in the same order (no clock, no randomness).
 */
export function buildSite(input: PortalInput): SiteFile[] {
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
  const pages: PageSpec[] = [
    overviewPage(ctx),
    readinessPage(ctx),
    freshnessPage(ctx),
    criteriaPage(ctx),
    controlsPage(ctx),
    ...ctx.controls.map((c) => controlPage(ctx, c)),
    evidencePage(ctx),
    ...ctx.records.map((r) => recordPage(ctx, r)),
    changesPage(ctx),
    exceptionsPage(ctx),
    policiesPage(ctx),
    ...ctx.policies.map((p) => policyPage(ctx, p)),
    integrityPage(ctx),
  ];
  return [
    ...pages.map((page) => ({ path: page.path, content: renderPage(site, page) })),
    { path: CSS_PATH, content: PORTAL_CSS },
    { path: JS_PATH, content: PORTAL_JS },
    // GitHub Pages: publish the files as they are, without Jekyll.
    { path: ".nojekyll", content: "" },
  ];
}
