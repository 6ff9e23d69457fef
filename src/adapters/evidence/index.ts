/** The evidence stores (GitHub API, git), reading a checkout for verification, and their errors. */
export { GitHubEvidenceStore, type GitHubEvidenceStoreOptions } from "./github-store.js";
export { GitEvidenceStore, type GitEvidenceStoreOptions } from "./git-store.js";
export { readEvidenceChain, type ReadChainOptions } from "./read-chain.js";
export { EvidenceRecordError, EvidenceStoreError } from "./errors.js";
export { classifyGitHubFailure } from "./github-retry.js";
export type { RetryEvent, RetryOptions, RetryReason } from "./retry.js";
