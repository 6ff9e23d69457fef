import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAnswerFiles } from "../../src/adapters/read-answer-files.js";
import { readRequestList } from "../../src/adapters/read-request-list.js";
import type { SourceFile } from "../../src/core/source-file.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

describe("readRequestList", () => {
  it("reads a semicolon CSV with a byte order mark, quoted line breaks and the line each row starts on", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      "list.csv":
        '\uFEFFRef;Request;Due\r\nR-1;"Two\r\nlines; one cell";1.5.2026\r\n\r\nR-2;Next;\r\n',
    });
    const read = await readRequestList(join(dir, "list.csv"), "list.csv");
    expect(read).toEqual({
      ok: true,
      kind: "csv",
      sheets: [
        {
          path: "list.csv",
          rows: [
            { line: 1, cells: ["Ref", "Request", "Due"] },
            { line: 2, cells: ["R-1", "Two\r\nlines; one cell", "1.5.2026"] },
            { line: 4, cells: [""] },
            { line: 5, cells: ["R-2", "Next", ""] },
          ],
        },
      ],
    });
  });

  it("counts lines the same way for rows and for errors, after CR LF, LF or CR inside a quoted cell", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      // Four lines; the x after the closing quote on line 3 is the problem.
      "q2.csv": 'ID,Request\r\n1,"a\r\nb"x\r\n2,c',
      // The quote left open is on line 4, after a cell with a CR LF in it.
      "open.csv": 'ID,Request\r\n1,"a\r\nb",x\r\n2,"never\r\n3,x\r\n',
      "cr.csv": 'ID,Request\r1,"a\rb"\r2,c\r3,d"e"\r',
      "lf.csv": 'ID,Request\n1,"a\n\nb"\n2,"c\r\nd"\n3,e\n',
      "mac.csv": 'ID,Request\r1,"a\rb"\r2,c\r',
    });
    const problem = async (name: string) => {
      const read = await readRequestList(join(dir, name), name);
      if (read.ok) throw new Error(`${name} was read`);
      return `${read.diagnostic.line}:${read.diagnostic.column} ${read.diagnostic.message}`;
    };
    expect(await problem("q2.csv")).toMatch(/^3:3 text after the closing quote of a cell: /);
    expect(await problem("open.csv")).toMatch(
      /^4:3 the quote that opens this cell is never closed/,
    );
    expect(await problem("cr.csv")).toMatch(
      /^5:4 a quote inside a cell that does not start with one: /,
    );
    const lines = async (name: string) => {
      const read = await readRequestList(join(dir, name), name);
      if (!read.ok) throw new Error(read.diagnostic.message);
      return read.sheets[0]!.rows.map((r) => r.line);
    };
    expect(await lines("lf.csv")).toEqual([1, 2, 5, 7]);
    expect(await lines("mac.csv")).toEqual([1, 2, 4]);
  });

  it("says how to fix a list it cannot read", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      "latin1.csv": new Uint8Array([0x49, 0x44, 0x2c, 0x52, 0x0a, 0x31, 0x2c, 0xe9, 0x0a]),
      "quote.csv": 'ID,Request\n1,"never closed\n2,x\n',
      "old.xls": "x",
      "broken.xlsx": "not a zip",
    });
    const problem = async (name: string) => {
      const read = await readRequestList(join(dir, name), name);
      if (read.ok) throw new Error(`${name} was read`);
      return `${read.diagnostic.line}:${read.diagnostic.column} ${read.diagnostic.message}`;
    };
    expect(await problem("latin1.csv")).toBe(
      '2:3 byte 0xe9 is not UTF-8: save the list as "CSV UTF-8" (Excel: File › Save As)',
    );
    // An unclosed quote is reported where it opens, not at the end of the file.
    expect(await problem("quote.csv")).toBe(
      '2:3 the quote that opens this cell is never closed: close it, and write a quote inside a quoted cell twice ("") (a cell with a comma or a line break is written "like, this")',
    );
    expect(await problem("old.xls")).toContain("save the list as .xlsx or CSV UTF-8");
    expect(await problem("broken.xlsx")).toContain("not a readable .xlsx workbook");
  });
});

describe("readAnswerFiles", () => {
  it("reads the files answers point at inside the repository, never outside it", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "docs/restore.pdf": "pdf", "soc2.yml": "version: 1\n" });
    const text = `id: R-1\ndescription: x\nstatus: open\nanswer:\n  evidence:\n    - path: docs/restore.pdf\n    - path: ../outside.txt\n    - path: /etc/passwd\n    - path: soc2.yml\n    - path: docs/missing.pdf\n`;
    const bytes = new TextEncoder().encode(text);
    const files: SourceFile[] = [
      { path: "audit/2026/requests/R-1.yaml", size: bytes.length, bytes },
      { path: "soc2.yml", size: 11, bytes: new TextEncoder().encode("version: 1\n") },
    ];
    const read = await readAnswerFiles(dir, files, "evidence");
    expect(
      read.map((f) => [f.path, f.bytes ? new TextDecoder().decode(f.bytes) : f.unreadable]),
    ).toEqual([
      ["docs/missing.pdf", expect.any(String)],
      ["docs/restore.pdf", "pdf"],
    ]);
  });
});
