/**
 * Evidence records as stores write them: the envelope, its YAML, the hash chain and its head, the
 * offline chain check, and redaction of secrets. Pure; the stores are in src/adapters/evidence.
 */
export type { AppendResult, EvidenceStore, PendingRecord } from "./pending-record.js";
export { buildEnvelope, type ChainLink, type StoredRecord } from "./envelope.js";
export { EVIDENCE_SCHEMA_COMMENT, serializeRecord } from "./serialize.js";
export { nextLink, recordDigest } from "./chain.js";
export {
  chainHeadFor,
  parseChainHead,
  serializeChainHead,
  type ChainHead,
  type ChainHeadRead,
} from "./chain-head.js";
export {
  CHAIN_HEAD_FILE,
  chainHeadPath,
  normalizeEvidencePath,
  recordIdProblem,
  recordPath,
} from "./record-path.js";
export { planAppend, type AppendInput, type AppendPlan, type AppendPlanResult } from "./append-plan.js";
export {
  formatChainFinding,
  summarizeChainRecord,
  verifyChain,
  type ChainAnchor,
  type ChainFinding,
  type ChainProblem,
  type ChainRecordInput,
  type ChainReport,
  type HistoryChange,
  type VerifyChainInput,
} from "./verify-chain.js";
export { REDACTED, redact, redactDeep } from "./redact.js";
