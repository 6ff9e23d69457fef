/**
 * The AICPA 2017 Trust Services Criteria (2022 points of focus): every criterion ID with its
 * category and family. Titles are this project's own short summaries, not AICPA's text; the full
 * criteria are published by the AICPA (https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022).
 */

export const CATEGORIES = [
  "security",
  "availability",
  "confidentiality",
  "processing-integrity",
  "privacy",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_NAMES: Record<Category, string> = {
  security: "Security",
  availability: "Availability",
  "processing-integrity": "Processing Integrity",
  confidentiality: "Confidentiality",
  privacy: "Privacy",
};

export interface Criterion {
  id: string;
  category: Category;
  family: string;
  familyName: string;
  /** COSO 2013 principle number, for CC1–CC5. */
  cosoPrinciple?: number;
  title: string;
}

const FAMILIES: Record<string, { category: Category; name: string }> = {
  CC1: { category: "security", name: "Control Environment" },
  CC2: { category: "security", name: "Information and Communication" },
  CC3: { category: "security", name: "Risk Assessment" },
  CC4: { category: "security", name: "Monitoring Activities" },
  CC5: { category: "security", name: "Control Activities" },
  CC6: { category: "security", name: "Logical and Physical Access Controls" },
  CC7: { category: "security", name: "System Operations" },
  CC8: { category: "security", name: "Change Management" },
  CC9: { category: "security", name: "Risk Mitigation" },
  A1: { category: "availability", name: "Additional Criteria for Availability" },
  C1: { category: "confidentiality", name: "Additional Criteria for Confidentiality" },
  PI1: { category: "processing-integrity", name: "Additional Criteria for Processing Integrity" },
  P1: { category: "privacy", name: "Notice and Communication of Objectives Related to Privacy" },
  P2: { category: "privacy", name: "Choice and Consent" },
  P3: { category: "privacy", name: "Collection" },
  P4: { category: "privacy", name: "Use, Retention, and Disposal" },
  P5: { category: "privacy", name: "Access" },
  P6: { category: "privacy", name: "Disclosure and Notification" },
  P7: { category: "privacy", name: "Quality" },
  P8: { category: "privacy", name: "Monitoring and Enforcement" },
};

// [id, short title, COSO principle]
const ROWS: ReadonlyArray<readonly [string, string, number?]> = [
  ["CC1.1", "Commitment to integrity and ethical values", 1],
  ["CC1.2", "Board independence and oversight of internal control", 2],
  ["CC1.3", "Structures, reporting lines, authorities and responsibilities", 3],
  ["CC1.4", "Attracting, developing and retaining competent people", 4],
  ["CC1.5", "Accountability for internal control responsibilities", 5],
  ["CC2.1", "Relevant, quality information supports internal control", 13],
  ["CC2.2", "Internal communication of objectives and responsibilities", 14],
  ["CC2.3", "Communication with external parties", 15],
  ["CC3.1", "Objectives specified clearly enough to identify risks", 6],
  ["CC3.2", "Risks identified and analysed", 7],
  ["CC3.3", "Potential for fraud considered", 8],
  ["CC3.4", "Significant changes identified and assessed", 9],
  ["CC4.1", "Ongoing and separate evaluations of controls", 16],
  ["CC4.2", "Deficiencies evaluated and communicated in time", 17],
  ["CC5.1", "Control activities selected to mitigate risks", 10],
  ["CC5.2", "General controls over technology", 11],
  ["CC5.3", "Control activities deployed through policies and procedures", 12],
  ["CC6.1", "Logical access security over protected information assets"],
  ["CC6.2", "User registration, authorization and deprovisioning"],
  ["CC6.3", "Role-based access, least privilege and segregation of duties"],
  ["CC6.4", "Physical access to facilities and protected assets"],
  ["CC6.5", "Secure disposal of assets and data"],
  ["CC6.6", "Protection against threats from outside the system boundaries"],
  ["CC6.7", "Restricted transmission, movement and removal of information"],
  ["CC6.8", "Prevention and detection of unauthorized or malicious software"],
  ["CC7.1", "Detection of configuration changes and new vulnerabilities"],
  ["CC7.2", "Monitoring of system components for anomalies"],
  ["CC7.3", "Evaluation of security events to determine incidents"],
  ["CC7.4", "Response to identified security incidents"],
  ["CC7.5", "Recovery from identified security incidents"],
  ["CC8.1", "Authorized, designed, tested, approved and implemented changes"],
  ["CC9.1", "Mitigation of risks from business disruptions"],
  ["CC9.2", "Assessment and management of vendor and business partner risk"],
  ["A1.1", "Capacity planning and management"],
  ["A1.2", "Environmental protections, backups and recovery infrastructure"],
  ["A1.3", "Testing of recovery plan procedures"],
  ["C1.1", "Identification and maintenance of confidential information"],
  ["C1.2", "Disposal of confidential information"],
  ["PI1.1", "Quality information about processing objectives and specifications"],
  ["PI1.2", "Complete and accurate system inputs"],
  ["PI1.3", "Complete, accurate and timely processing"],
  ["PI1.4", "Complete, accurate and timely outputs"],
  ["PI1.5", "Complete and accurate storage of inputs, items in process and outputs"],
  ["P1.1", "Notice to data subjects about privacy practices"],
  ["P2.1", "Choices and consent for collection, use and disclosure"],
  ["P3.1", "Collection limited to the stated objectives"],
  ["P3.2", "Explicit consent for sensitive personal information"],
  ["P4.1", "Use of personal information limited to stated objectives"],
  ["P4.2", "Retention of personal information"],
  ["P4.3", "Secure disposal of personal information"],
  ["P5.1", "Data subject access to their personal information"],
  ["P5.2", "Correction of personal information on request"],
  ["P6.1", "Disclosure to third parties with consent"],
  ["P6.2", "Records of authorized disclosures"],
  ["P6.3", "Records of unauthorized disclosures"],
  ["P6.4", "Privacy commitments of vendors and third parties"],
  ["P6.5", "Vendor notification of unauthorized disclosures"],
  ["P6.6", "Notification of breaches and incidents to affected parties"],
  ["P6.7", "Accounting of disclosures to data subjects on request"],
  ["P7.1", "Accurate, complete and relevant personal information"],
  ["P8.1", "Handling of privacy inquiries, complaints and disputes"],
];

function familyOf(id: string): string {
  return id.slice(0, id.indexOf("."));
}

export const CRITERIA: readonly Criterion[] = ROWS.map(([id, title, coso]) => {
  const family = familyOf(id);
  const info = FAMILIES[family];
  if (!info) throw new Error(`criteria catalog: unknown family ${family}`);
  return {
    id,
    category: info.category,
    family,
    familyName: info.name,
    ...(coso === undefined ? {} : { cosoPrinciple: coso }),
    title,
  };
});

const BY_ID = new Map(CRITERIA.map((c) => [c.id, c]));

export function findCriterion(id: string): Criterion | undefined {
  return BY_ID.get(id);
}

export function criteriaInCategories(categories: Iterable<Category>): Criterion[] {
  const wanted = new Set(categories);
  wanted.add("security"); // Security (the common criteria) is in every SOC 2 report.
  return CRITERIA.filter((c) => wanted.has(c.category));
}

/** Sorts criterion IDs in catalog order (CC1.1 … CC9.2, A1.1 …), unknown IDs last. */
export function compareCriteria(a: string, b: string): number {
  const ia = ORDER.get(a) ?? Number.MAX_SAFE_INTEGER;
  const ib = ORDER.get(b) ?? Number.MAX_SAFE_INTEGER;
  return ia === ib ? a.localeCompare(b) : ia - ib;
}
const ORDER = new Map(CRITERIA.map((c, i) => [c.id, i]));
