import { CRITERIA } from "../../src/core/criteria.js";

const SECURITY = CRITERIA.filter((c) => c.category === "security").map((c) => c.id);

/** The smallest valid compliance repository: one control covering every Security criterion. */
export function minimalRepo(): Record<string, string> {
  return {
    "soc2.yml": `version: 1
organization: { name: Example Inc. }
system: { name: Example, description: A small example system., boundaries: {} }
scope: { categories: [security] }
audit: { type: 1, as_of: "2026-01-01" }
owners:
  security-lead: { title: Head of Security, name: Sam Okafor }
`,
    "controls/all.yml": `id: GOV-01
title: One control for everything
description: A deliberately broad control used by the tests.
criteria: [${SECURITY.join(", ")}]
owner: security-lead
frequency: annually
automation: manual
policies: [POL-INFOSEC]
evidence:
  - kind: attestation
    description: Annual sign-off.
testing:
  procedure: Inspect the annual sign-off.
`,
    "policies/infosec.md": `---
id: POL-INFOSEC
title: Information Security Policy
owner: security-lead
version: "1.0"
review_cadence: annually
last_reviewed: "2026-01-01"
criteria: [CC1.1]
---
# Information Security Policy

Example text.
`,
  };
}
