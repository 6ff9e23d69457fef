import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { RULE_IDS } from "../../../src/core/change-management/verdict.js";

// Keeps docs/change-management.md honest: one section per rule the evaluator reports, in the
// order verdicts list them, and none for a rule that does not exist.
it("docs/change-management.md documents every rule, in verdict order", () => {
  const doc = readFileSync(new URL("../../../docs/change-management.md", import.meta.url), "utf8");
  const documented = [...doc.matchAll(/^### `([a-z-]+)`$/gm)].map((m) => m[1]);
  expect(documented).toEqual([...RULE_IDS]);
});
