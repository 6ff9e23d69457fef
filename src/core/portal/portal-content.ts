import { readinessContent } from "../audit/readiness-content.js";
import { asList, asObject } from "../json-read.js";
import { POLICIES_DIR } from "../layout.js";
import type { EvidenceRecord } from "../model.js";

/**
 * The content fields the portal's context reads of a record beyond its summary and the facts
 * taken as it streamed by (portalRecordFacts, its population row): those of the readiness
 * assessment, and the policy files a change touched (policyChanges). A record's own page is
 * made from its text, read again then.
 */
export function portalContent(record: EvidenceRecord): unknown {
  const kept = readinessContent(record);
  if (record.kind !== "change-record") return kept;
  const facts = asObject(asObject(record.content).facts);
  const inPolicies = (p: unknown) => typeof p === "string" && p.startsWith(`${POLICIES_DIR}/`);
  const changed = asList(facts.changed_files)
    .map(asObject)
    .filter((f) => inPolicies(f.path) || inPolicies(f.previous_path))
    .map((f) => ({ path: f.path, previous_path: f.previous_path, status: f.status }));
  // Most changes touch no policy: nothing more is kept of them.
  return changed.length === 0 ? kept : { ...asObject(kept), facts: { changed_files: changed } };
}
