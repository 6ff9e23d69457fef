/**
 * The names this project gives to OSCAL properties, all in its own namespace (OSCAL reserves names
 * without one for NIST's vocabulary). docs/formats.md lists them.
 */
export const OSCAL_VERSION = "1.2.0";
export const PROP_NS = "https://github.com/soc2-as-code/soc2-as-code/ns/oscal";

export const PROP = {
  controlId: "control-id",
  title: "title",
  owner: "owner",
  frequency: "frequency",
  automation: "automation",
  status: "status",
  policy: "policy",
  evidence: "evidence-kind",
  evidenceMaxAge: "evidence-max-age-days",
  testingMethod: "testing-method",
  framework: "framework-control",
  criterion: "criterion",
} as const;

/** The Trust Services Criteria as OSCAL control IDs: lower case, as OSCAL catalogs write them (cc8.1). */
export const toOscalControlId = (criterion: string): string => criterion.toLowerCase();
export const fromOscalControlId = (id: string): string => id.toUpperCase();

/** 800-53 IDs as NIST's OSCAL catalog writes them: AC-2 → ac-2, AC-2(1) → ac-2.1. */
export const nistOscalId = (id: string): string => id.toLowerCase().replace(/\((\d+)\)$/, ".$1");

export const TSC_SOURCE = {
  title:
    "2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy (with revised points of focus, 2022)",
  href: "https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022",
};
export const NIST_CATALOG = {
  title: "NIST SP 800-53 Rev. 5 catalog (OSCAL)",
  href: "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json",
};
