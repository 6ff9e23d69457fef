import { describe, expect, it } from "vitest";
import { validateRepository } from "../../src/core/validate.js";
import { minimalRepo } from "../helpers/minimal-repo.js";

function files(tree: Record<string, string>) {
  return Object.entries(tree).map(([path, text]) => {
    const bytes = new TextEncoder().encode(text);
    return { path, size: bytes.length, bytes };
  });
}

describe("policy checks", () => {
  it("reports a policy with front matter but no text, on its closing --- line", () => {
    const repo = minimalRepo();
    repo["policies/infosec.md"] = repo["policies/infosec.md"]!.replace(
      /---\n# Information[\s\S]*$/,
      "---\n\n<!-- to be written -->\n",
    );
    const { diagnostics } = validateRepository(files(repo), {
      now: new Date("2026-11-26T00:00:00Z"),
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: "policies/infosec.md",
        line: 9,
        column: 1,
        rule: "policy-empty",
      }),
    ]);
  });
});
