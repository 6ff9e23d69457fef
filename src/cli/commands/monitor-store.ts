import { readConfig, ConfigError, type EvidenceTarget } from "../../../app/config.js";
import { UsageError } from "../output.js";

/**
 * The evidence target the App's settings name (EVIDENCE_REPO, else EVIDENCE_GIT_DIR and
 * EVIDENCE_GIT_REMOTE; EVIDENCE_BRANCH, EVIDENCE_PATH), so `soc2 monitor` writes where the App
 * writes. Only the EVIDENCE_* settings are read: the monitor has no webhooks to secure.
 */
export function evidenceTargetOf(env: NodeJS.ProcessEnv): EvidenceTarget {
  const evidenceOnly = Object.fromEntries(
    Object.entries(env).filter(([k]) => k.startsWith("EVIDENCE_")),
  );
  try {
    return readConfig(evidenceOnly).evidence;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.problems.join("; "));
    throw error;
  }
}
