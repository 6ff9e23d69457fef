import { changeRecord, reviewFile } from "./exception-fixtures.js";
import { minimalRepo } from "./minimal-repo.js";
import { tempDir, writeTree } from "./temp-dir.js";

export const attestation = (id: string, recordedAt: string) => `version: 1
kind: attestation
id: ${id}
controls: [GOV-01, NOPE-01]
recorded_at: "${recordedAt}"
source: { type: manual, name: Sam Okafor }
content:
  statement: Signed off.
  signed_on: "${recordedAt.slice(0, 10)}"
`;

/** A repository whose findings need more than one file: duplicates, references, reviews. */
export async function troubledRepository(more: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, {
    ...more,
    ...minimalRepo(),
    // Two files, one id: a duplicate found across records.
    "evidence/attestations/x.yml": attestation("attestations/x", "2026-02-01T00:00:00Z"),
    "evidence/attestations/x.yaml": attestation("attestations/x", "2026-02-02T00:00:00Z"),
    // A date in the future, found while the record streams by.
    "evidence/attestations/late.yml": attestation("attestations/late", "2026-09-01T00:00:00Z"),
    ...changeRecord("changes/a", {
      number: 1,
      mergedAt: "2026-03-01T10:00:00Z",
      exception: "emergency-change",
    }),
    // Reviewed before the change it reviews was merged; and a review of no record at all.
    ...reviewFile("changes/a", "2026-02-01"),
    ...reviewFile("changes/missing", "2026-03-02"),
    // Answers naming records: one changed since it was frozen, one that is not there.
    "audit/2026/requests/PBC-01.yaml": `id: PBC-01
description: Evidence of sign-off
status: answered
answer:
  controls: [GOV-01]
  evidence:
    - path: evidence/attestations/late.yml
      digest: sha256:${"1".repeat(64)}
    - path: evidence/attestations/gone.yml
      digest: sha256:${"2".repeat(64)}
  answered_on: "2026-05-01"
`,
  });
  return dir;
}
