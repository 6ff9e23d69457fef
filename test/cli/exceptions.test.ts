import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/capture.js";
import { useDemoEvidence } from "../helpers/demo-evidence.js";
import { reviewFile } from "../helpers/exception-fixtures.js";
import { writeTree } from "../helpers/temp-dir.js";

interface Json {
  asOf: string;
  open: number;
  exceptions: Array<{
    id: string;
    type: string;
    state: string;
    resolvedBy?: { kind: string; path: string };
    response?: { path: string; managementResponse: string };
  }>;
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("soc2 exceptions on the evidence the App recorded", () => {
  const demoEvidence = useDemoEvidence("soc2-exceptions-demo-");
  let demo: string;
  let today: string;
  beforeAll(() => {
    demo = demoEvidence.dir();
    today = demoEvidence.today();
  });

  it("lists both exceptions awaiting review, and exits 0 while none is past due", async () => {
    const result = await runCli("exceptions", demo, "--as-of", today);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^Change record +Type +Change +Merged +Review due +State +Response$/);
    expect(lines.filter((l) => l.startsWith("changes/"))).toEqual([
      expect.stringMatching(/ bypass +acme\/web#2 .* awaiting-review +no response recorded$/),
      expect.stringMatching(
        / direct-push +acme\/web \(push\) .* awaiting-review +no response recorded$/,
      ),
    ]);
    expect(lines.at(-2)).toBe(
      `2 exception(s) as of ${today}: 0 open past due, 2 awaiting review, 0 resolved.`,
    );
  });

  it("lists only the open ones with --open once they are past due, and exits 1", async () => {
    const later = addDays(today, 3);
    const result = await runCli("exceptions", demo, "--open", "--as-of", later, "-f", "json");
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Json;
    expect(json).toMatchObject({ asOf: later, open: 2 });
    expect(json.exceptions.map((e) => [e.type, e.state])).toEqual([
      ["bypass", "open"],
      ["direct-push", "open"],
    ]);
  });

  it("resolves an exception with its review file, which soc2 validate accepts", async () => {
    const later = addDays(today, 3);
    const before = JSON.parse(
      (await runCli("exceptions", demo, "--as-of", later, "-f", "json")).stdout,
    ) as Json;
    const bypass = before.exceptions.find((e) => e.type === "bypass")!;
    await writeTree(demo, reviewFile(bypass.id, addDays(today, 1)));

    const validate = await runCli("validate", demo, "--format", "json");
    const diagnostics = (
      JSON.parse(validate.stdout) as { diagnostics: Array<{ path: string }> }
    ).diagnostics.filter((d) => d.path.startsWith("exceptions/"));
    expect(diagnostics).toEqual([]);

    const result = await runCli("exceptions", demo, "--as-of", later, "-f", "json");
    expect(result.code).toBe(1); // the direct push is still open
    const json = JSON.parse(result.stdout) as Json;
    expect(json.exceptions.find((e) => e.id === bypass.id)).toMatchObject({
      state: "resolved",
      resolvedBy: { kind: "exception-review", path: `exceptions/${bypass.id}.yml` },
      response: {
        path: `exceptions/${bypass.id}.yml`,
        managementResponse: expect.stringMatching(/^The hotfix stopped an outage/),
      },
    });
    const open = await runCli("exceptions", demo, "--open", "--as-of", later);
    expect(open.stdout).not.toContain(bypass.id);
    expect(open.stdout).toContain("1 exception(s)");

    // The Type 2 report lists the deviation with management's response, the other without.
    const report = await runCli("report", demo, "--type", "2", "--from", today, "--to", later);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("### Deviations and management's responses\n");
    expect(report.stdout).toMatch(
      new RegExp(`- \`${bypass.id}\` bypass .*\\*\\*Management's response\\*\\* \\(exceptions/`),
    );
    expect(report.stdout).toMatch(/direct-push .*\*\*No response recorded\.\*\*/);
  });

  it("exits 2 on a bad --as-of or format", async () => {
    const bad = await runCli("exceptions", demo, "--as-of", "2041-02-30");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of "2041-02-30" is not a date: use YYYY-MM-DD/);
    expect((await runCli("exceptions", demo, "--format", "csv")).code).toBe(2);
  });
});
