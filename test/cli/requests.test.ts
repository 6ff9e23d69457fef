import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const LIST = [
  "Example Inc. SOC 2 - information request list,,,,,",
  "PBC #,Request Description,TSC,Date Due,Population/Sample,Owner",
  '1,"Population of changes, with approvals",CC8.1,8/15/2026,Population,Eng',
  "2,Quarterly user access review (GOV-01),CC6.2; CC6.3,9/1/2026,Sample,IT",
  "3,Evidence of backups restored,A1.3,2026-10-01,no,",
].join("\r\n");

async function repo(): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, {
    ...minimalRepo(),
    "pbc.csv": LIST,
    "evidence/attachments/restore-test.pdf": "%PDF-1.4 restore test\n",
  });
  return dir;
}

const cli = (...args: string[]) => runCliAt(TEST_NOW, ...args);

describe("soc2 requests", () => {
  it("imports a CSV list, answers an item, reports status and a stale answer", async () => {
    const dir = await repo();
    const imported = await cli("requests", "import", join(dir, "pbc.csv"), dir);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    // minimalRepo's soc2.yml is a Type 1 as of 2026-01-01: the period defaults to 2026.
    expect(imported.stdout).toContain('column A "PBC #" → request ID\n');
    expect(imported.stdout).toContain('column F "Owner" → ignored\n');
    expect(imported.stdout).toContain(
      "✓ 3 request(s) → audit/2026/requests/: 3 new, 0 updated, 0 unchanged (wrote 3 file(s))\n",
    );
    expect(imported.stdout).toContain("1 due date(s) such as 03/04/2026 read month first");
    const two = await readFile(join(dir, "audit/2026/requests/2.yaml"), "utf8");
    expect(two).toContain('criteria: [CC6.2, CC6.3]\ndue: "2026-09-01"\nsample: true\n');
    expect(two).toContain("suggested:\n  controls: [GOV-01]\n");

    const again = await cli("requests", "import", join(dir, "pbc.csv"), dir);
    expect(again.stdout).toContain("0 new, 0 updated, 3 unchanged (wrote 0 file(s))");

    // Answered before the days status is asked about: an answer counts from the day it was given.
    const answered = await runCliAt(
      new Date("2026-07-30T12:00:00Z"),
      "requests",
      "answer",
      "3",
      dir,
      "--control",
      "GOV-01",
      "--evidence",
      "evidence/attachments/restore-test.pdf",
      "--by",
      "Sam Okafor",
    );
    expect(answered.stderr).toBe("");
    expect(answered.stdout).toMatch(
      /^✓ audit\/2026\/requests\/3.yaml: answered; 1 evidence file\(s\) frozen by digest\n {2}evidence\/attachments\/restore-test.pdf {2}sha256:[0-9a-f]{64}\n$/,
    );
    expect((await cli("validate", dir)).code).toBe(0);

    const status = await cli(
      "requests",
      "status",
      dir,
      "--as-of",
      "2026-08-20",
      "--format",
      "json",
    );
    expect(status.code).toBe(1);
    const report = JSON.parse(status.stdout) as {
      counts: Record<string, number>;
      items: Array<{ id: string; state: string }>;
    };
    expect(report.counts).toEqual({ total: 3, open: 1, overdue: 1, answered: 1, stale: 0 });
    expect(report.items.map((i) => `${i.id} ${i.state}`)).toEqual([
      "1 overdue",
      "2 open",
      "3 answered",
    ]);
    const text = await cli("requests", "status", dir, "--as-of", "2026-08-01");
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe(
      "audit/2026/requests, as of 2026-08-01: 3 request(s): 1 answered, 2 open",
    );

    await writeFile(join(dir, "evidence/attachments/restore-test.pdf"), "%PDF-1.4 changed\n");
    const validated = await cli("validate", dir);
    expect(validated.stdout).toMatch(
      /^audit\/2026\/requests\/3.yaml:\d+:\d+: warning: answer stale: evidence\/attachments\/restore-test.pdf changed since it was frozen on \d{4}-\d{2}-\d{2}: .*\[request-answer-stale\]$/m,
    );
    const stale = await cli("requests", "status", dir, "--as-of", "2026-08-01");
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(
      "answer stale: evidence/attachments/restore-test.pdf changed since it was frozen",
    );
  });

  it("imports an .xlsx list with date cells and reports a bad row by its row and column", async () => {
    const dir = await repo();
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet("Notes");
    notes.addRow(["Read me first"]);
    const sheet = workbook.addWorksheet("Requests");
    sheet.addRow(["Ref", "Request", "Criteria Reference", "Due Date", "Sample Required"]);
    sheet.addRow([
      "IRL-01",
      "Incident response policy",
      "CC7.4",
      new Date(Date.UTC(2026, 8, 30)),
      "No",
    ]);
    sheet.addRow(["IRL-02", "Risk assessment", "CC3.1", 46280, true]);
    await workbook.xlsx.writeFile(join(dir, "irl.xlsx"));
    const ok = await cli("requests", "import", join(dir, "irl.xlsx"), dir, "--period", "fy2026");
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain(`header on row 1:\n  column A "Ref" → request ID\n`);
    expect(ok.stdout).toContain('(sheet "Requests")');
    expect(await readFile(join(dir, "audit/fy2026/requests/IRL-01.yaml"), "utf8")).toContain(
      'due: "2026-09-30"\nsample: false\n',
    );
    expect(await readFile(join(dir, "audit/fy2026/requests/IRL-02.yaml"), "utf8")).toContain(
      'due: "2026-09-15"\nsample: true\n',
    );

    sheet.addRow(["IRL-03", "Vendor list", "", "soon", ""]);
    await workbook.xlsx.writeFile(join(dir, "irl.xlsx"));
    const bad = await cli("requests", "import", join(dir, "irl.xlsx"), dir, "--period", "fy2026");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `irl.xlsx (sheet "Requests"):4:4: error: row 4, column D (due date): "soon" is not a date: write it as YYYY-MM-DD [request-list]\n`,
    );
    expect(bad.stderr).toContain("nothing written");
  });

  it("never overwrites a request file it cannot read: reports where it is broken and leaves it", async () => {
    const dir = await repo();
    await cli("requests", "import", join(dir, "pbc.csv"), dir);
    const answered = await cli(
      "requests",
      "answer",
      "3",
      dir,
      "--control",
      "GOV-01",
      "--evidence",
      "evidence/attachments/restore-test.pdf",
    );
    expect(answered.code).toBe(0);
    const file = (id: string) => join(dir, `audit/2026/requests/${id}.yaml`);
    // A YAML syntax error, a file over the 1 MiB limit and a folder in the way of a new request:
    // none of them is in what soc2 validate read, and none may be replaced.
    const broken = (await readFile(file("3"), "utf8")) + "foo: [\n";
    await writeFile(file("3"), broken);
    const large = (await readFile(file("2"), "utf8")) + `# ${"x".repeat(1024 * 1024)}\n`;
    await writeFile(file("2"), large);
    await mkdir(file("4"));
    await writeFile(
      join(dir, "pbc.csv"),
      LIST.replace("Population of changes", "All changes") +
        "\r\n4,Vendor list,CC9.2,2026-10-01,no,",
    );

    const again = await cli("requests", "import", join(dir, "pbc.csv"), dir);
    expect(await readFile(file("3"), "utf8")).toBe(broken);
    expect(await readFile(file("2"), "utf8")).toBe(large);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(
      "✗ 4 request(s) → audit/2026/requests/: 0 new, 1 updated, 0 unchanged, 3 not updated (see below) (wrote 1 file(s))\n",
    );
    expect(again.stderr).toMatch(
      /^warning: audit\/2026\/requests\/3\.yaml is unreadable, so it was not updated: fix its YAML first \(audit\/2026\/requests\/3\.yaml:\d+:\d+: error: .*\[yaml-syntax\]\), then import again$/m,
    );
    expect(again.stderr).toContain(
      "warning: audit/2026/requests/2.yaml is unreadable, so it was not updated: fix the file first (audit/2026/requests/2.yaml:1:1: error: file is ",
    );
    expect(again.stderr).toContain(
      "warning: audit/2026/requests/4.yaml is unreadable, so it was not updated: fix the file first (audit/2026/requests/4.yaml:1:1: error: audit/2026/requests/4.yaml is a folder",
    );
  });

  it("refuses a cell over 64 KiB at its row and column and writes nothing", async () => {
    const dir = await repo();
    await writeFile(
      join(dir, "pbc.csv"),
      LIST.replace("Evidence of backups restored", "y".repeat(100 * 1024)),
    );
    const big = await cli("requests", "import", join(dir, "pbc.csv"), dir);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain(
      "pbc.csv:5:2: error: row 5, column B: the cell holds 102,400 bytes, over the 64 KiB (65,536 bytes) a cell may hold: shorten it",
    );
    expect(big.stderr).toContain("nothing written");
    await expect(readFile(join(dir, "audit/2026/requests/1.yaml"))).rejects.toThrow(/ENOENT/);
  });

  it("reports a spreadsheet error cell (#N/A, a formula's #DIV/0!) at its row and column", async () => {
    const dir = await repo();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Requests");
    sheet.addRow(["Ref", "Request", "Due Date", "Owner"]);
    sheet.addRow(["IRL-01", { error: "#N/A" }, "2026-09-30", "Eng"]);
    sheet.addRow(["IRL-02", "Risk assessment", { formula: "1/0", result: { error: "#DIV/0!" } }]);
    // A column the import does not read may hold an error: nothing of it is imported.
    sheet.addRow(["IRL-03", "Vendor list", "2026-09-30", { error: "#REF!" }]);
    await workbook.xlsx.writeFile(join(dir, "irl.xlsx"));
    const bad = await cli("requests", "import", join(dir, "irl.xlsx"), dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'irl.xlsx (sheet "Requests"):2:2: error: row 2, column B (description): the cell holds the spreadsheet error #N/A: fix the formula or type the value [request-list]\n',
    );
    expect(bad.stderr).toContain(
      'irl.xlsx (sheet "Requests"):3:3: error: row 3, column C (due date): the cell holds the spreadsheet error #DIV/0!: fix the formula or type the value [request-list]\n',
    );
    expect(bad.stderr).not.toContain("#REF!");
    expect(bad.stderr).toContain("2 error(s)");
    expect(bad.stderr).toContain("nothing written");
  });

  it("says what is wrong with the call", async () => {
    const dir = await repo();
    expect((await cli("requests", "import", join(dir, "nope.csv"), dir)).stderr).toContain(
      "nope.csv:1:1: error: no such file",
    );
    const period = await cli("requests", "import", join(dir, "pbc.csv"), dir, "--period", "../x");
    expect(period).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("is not a folder name"),
    });
    const order = await cli("requests", "import", join(dir, "pbc.csv"), dir, "--date-order", "ymd");
    expect(order.code).toBe(2);
    const missing = await cli("requests", "answer", "9", dir);
    expect(missing.stderr).toBe(
      'soc2: no request "9" in audit/2026/requests: import the list first, or check --period\n',
    );
  });
});
