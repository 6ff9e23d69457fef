/**
 * Kinds of record only the GitHub App writes (from webhooks), always through a store, which links
 * every record into the hash chain. People file attestations and settings snapshots through pull
 * requests, outside the chain; nobody files these by hand.
 */
export const APP_RECORD_KINDS: readonly string[] = [
  "change-record",
  "review-event",
  "pull-request-event",
];

/** Why a record must carry a chain link: it claims the App wrote it, or it is of a kind only the App writes. */
export type ChainRequirement = "source" | "kind";

/**
 * Whether a record must be in the hash chain, and why. A record that claims `source.type:
 * github-app`, or is of a kind only the App writes, yet has no chain link did not come from the
 * App's store: it was filed by hand (fabricated) or its chain removed. The chain is what proves a
 * record's place and that nothing was inserted, so such a record proves nothing.
 */
export function chainRequirement(record: {
  kind?: string | undefined;
  sourceType?: string | undefined;
}): ChainRequirement | undefined {
  if (record.sourceType === "github-app") return "source";
  if (record.kind !== undefined && APP_RECORD_KINDS.includes(record.kind)) return "kind";
  return undefined;
}

/** The reason, in words, for messages. */
export function chainRequirementText(
  record: { kind?: string | undefined },
  why: ChainRequirement,
): string {
  return why === "source"
    ? "it claims the GitHub App wrote it (source.type: github-app)"
    : `only the GitHub App writes ${record.kind} records`;
}
