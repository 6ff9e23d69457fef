import type { ChainProblem, ChainRecordInput, ChainReport } from "./verify-chain.js";
import { chainRequirement, chainRequirementText } from "./chain-required.js";

/** What `soc2 verify` finds besides the chain: unsealed records, attachments, uncommitted edits. */
export type VerifyProblem =
  | ChainProblem
  | "digest-missing"
  | "unchained-record"
  | "committer-unexpected"
  | "commit-unsigned"
  | "attachment-invalid"
  | "attachment-missing"
  | "attachment-unreadable"
  | "attachment-mismatch"
  | "uncommitted-change";

export interface VerifyFinding {
  problem: VerifyProblem;
  path: string;
  sequence?: number;
  message: string;
}

/** The chain's report with every finding `soc2 verify` makes, not only the chain's own. */
export type IntegrityReport = Omit<ChainReport, "findings"> & { findings: VerifyFinding[] };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Records outside the chain are sealed by their digest alone: one without a digest is unchecked. */
export function unsealedRecords(records: readonly ChainRecordInput[]): VerifyFinding[] {
  return records.flatMap((r) => {
    if (!r.facts || r.facts.chained || r.facts.sealed) return [];
    return [
      {
        problem: "digest-missing" as const,
        path: r.path,
        message:
          "has no valid digest and no chain link, so nothing shows whether it was changed: a record is sealed with `soc2 digest --write` before it is committed",
      },
    ];
  });
}

/**
 * Records that only the App could have written (they claim source github-app, or are of a kind
 * only the App writes) but that carry no chain link: filed by hand, or unlinked. The chain cannot
 * show whether they were inserted, so they prove nothing.
 */
export function unchainedAppRecords(records: readonly ChainRecordInput[]): VerifyFinding[] {
  return records.flatMap((r) => {
    if (!r.facts || r.facts.chained) return [];
    const { kind, sourceType } = r.facts;
    const why = chainRequirement({ kind, sourceType });
    if (!why) return [];
    return [
      {
        problem: "unchained-record" as const,
        path: r.path,
        message: `has no chain link, but ${chainRequirementText({ kind }, why)} and the App links every record it writes into the hash chain: it was filed by hand or its link removed, and nothing shows it was not inserted`,
      },
    ];
  });
}

/** An attachment a record names, with the digest it holds for the file. */
export interface Attachment {
  record: string;
  path: string;
  digest: string;
}

/**
 * The attachments records name: those that can be checked (a path inside the repository and a
 * valid digest), and findings for those that cannot.
 */
export function attachmentsOf(records: readonly ChainRecordInput[]): {
  checkable: Attachment[];
  findings: VerifyFinding[];
} {
  const checkable: Attachment[] = [];
  const findings: VerifyFinding[] = [];
  for (const r of records) {
    for (const { path, digest } of r.facts?.attachments ?? []) {
      const segments = path.replace(/\\/g, "/").split("/");
      if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path) || segments.includes("..")) {
        findings.push({
          problem: "attachment-invalid",
          path: r.path,
          message: `names attachment ${JSON.stringify(path)}, which is not a path inside the repository`,
        });
      } else if (typeof digest !== "string" || !DIGEST.test(digest)) {
        findings.push({
          problem: "attachment-invalid",
          path: r.path,
          message: `holds no valid digest for attachment ${path}: it cannot be checked`,
        });
      } else checkable.push({ record: r.path, path, digest });
    }
  }
  return { checkable, findings };
}

/** What is at an attachment's path: a file with its digest, a symbolic link, or nothing. */
export type AttachmentFound =
  | { digest: string }
  | "link"
  | "missing"
  /** A FIFO, socket, device or folder: not read. */
  | { notRegular: string }
  /** Could not be read (permissions): why. */
  | { unreadable: string };

/** The finding for an attachment, given what the adapter found at its path; none when it matches. */
export function attachmentFinding(a: Attachment, found: AttachmentFound): VerifyFinding | undefined {
  const where = `attached to ${a.record}`;
  if (found === "link" || found === "missing") {
    return {
      problem: "attachment-missing",
      path: a.path,
      message: `${where}, ${found === "link" ? "is a symbolic link, not a file" : "is missing"}: it was deleted or moved`,
    };
  }
  if ("notRegular" in found)
    return {
      problem: "attachment-missing",
      path: a.path,
      message: `${where}, is ${found.notRegular}, not a file: it was not read; put the file itself back`,
    };
  if ("unreadable" in found)
    return {
      problem: "attachment-unreadable",
      path: a.path,
      message: `${where}, could not be read (${found.unreadable}), so its digest was not checked: make it readable and verify again`,
    };
  if (found.digest === a.digest) return undefined;
  return {
    problem: "attachment-mismatch",
    path: a.path,
    message: `${where}, hashes to ${found.digest}, not to ${a.digest} as the record says: the file was replaced or edited`,
  };
}
