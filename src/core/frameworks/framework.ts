/**
 * A control framework other than the Trust Services Criteria (ISO/IEC 27001:2022 Annex A, NIST SP
 * 800-53 rev. 5), with a crosswalk from the 61 criteria to its controls. The tables are data: they
 * say which relationship the project asserts, of what kind, and on whose authority.
 */

/** The frameworks a control may cite and coverage can be seen through. */
export const FRAMEWORK_IDS = ["iso27001", "nist-800-53"] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/**
 * How a Trust Services criterion relates to a framework control, read "criterion <kind> control",
 * in the set-theory vocabulary of NIST's OLIR programme (NISTIR 8278A) that OSCAL mappings reuse.
 */
export type RelationshipKind = "equivalent-to" | "subset-of" | "superset-of" | "intersects-with";
export const RELATIONSHIP_KINDS: readonly RelationshipKind[] = [
  "equivalent-to",
  "subset-of",
  "superset-of",
  "intersects-with",
];

/** A document a relationship rests on, named by publisher, title and date. */
export interface CrosswalkSource {
  id: string;
  title: string;
  publisher: string;
  /** Publication date, YYYY-MM or YYYY-MM-DD. */
  date: string;
  url?: string;
  /** How the source was used, and whether a relationship is the team's own judgement. */
  note: string;
}

export interface FrameworkControl {
  id: string;
  title: string;
  /** The group it belongs to: an ISO theme (A.5 … A.8) or a NIST family (AC, AU, …). */
  group: string;
}

export interface Relationship {
  criterion: string;
  control: string;
  kind: RelationshipKind;
  /** The id of a CrosswalkSource. */
  source: string;
}

export interface Framework {
  id: FrameworkId;
  name: string;
  version: string;
  /** What an ID looks like, to reject a malformed one before looking it up. */
  idPattern: RegExp;
  groups: ReadonlyArray<{ id: string; title: string }>;
  /** The framework's controls this project lists (all of them, or as the framework module says). */
  controls: readonly FrameworkControl[];
  /** Whether `controls` is the framework's whole control list; if not, other well-formed IDs in a listed group are accepted. */
  complete: boolean;
  sources: readonly CrosswalkSource[];
  relationships: readonly Relationship[];
}

/** Rows of a crosswalk table: a criterion, its targets, and the targets whose kind is not intersects-with. */
export type CrosswalkRow = readonly [
  criterion: string,
  targets: readonly string[],
  kinds?: Readonly<Record<string, RelationshipKind>>,
];

export function relationshipsOf(rows: readonly CrosswalkRow[], source: string): Relationship[] {
  return rows.flatMap(([criterion, targets, kinds]) =>
    targets.map((control) => ({
      criterion,
      control,
      kind: kinds?.[control] ?? "intersects-with",
      source,
    })),
  );
}
