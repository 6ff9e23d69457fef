import { describe, expect, it } from "vitest";
import { criteriaIn, parseDate, parseSample } from "../../../src/core/requests/cells.js";
import { fieldOfHeader } from "../../../src/core/requests/columns.js";
import { fileSafeId, parseRequestList } from "../../../src/core/requests/parse-list.js";
import type { Cell } from "../../../src/core/requests/cells.js";

const sheet = (rows: Cell[][], first = 1) => ({
  path: "pbc.csv",
  rows: rows.map((cells, i) => ({ line: first + i, cells })),
});

describe("request list headers", () => {
  it.each([
    ["Request ID", "id"],
    ["PBC #", "id"],
    ["  ref ", "id"],
    ["Item", "id"],
    ["Request #", "id"],
    ["Request", "description"],
    ["REQUEST DESCRIPTION", "description"],
    ["TSC", "criteria"],
    ["Criteria Reference", "criteria"],
    ["Due", "due"],
    ["Date Due", "due"],
    ["due_date", "due"],
    ["Sample Required", "sample"],
    ["Population/Sample", "sample"],
    ["Control ID", "controls"],
    ["Owner", undefined],
  ])("reads %j as %s", (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it("finds the header below a title, says which columns it read and which it ignored", () => {
    const parsed = parseRequestList(
      sheet([
        ["Acme SOC 2 request list", null, null],
        [null, null, null],
        ["PBC #", "Request Description", "TSC", "Owner", "Due"],
        ["PBC #1", "Population of changes", "CC8.1 / CC 7.1", "Eng", "8/15/2026"],
      ]),
      { dateOrder: "mdy" },
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.headerLine).toBe(3);
    expect(parsed.columns.map((c) => [c.header, c.field, c.column])).toEqual([
      ["PBC #", "id", 1],
      ["Request Description", "description", 2],
      ["TSC", "criteria", 3],
      ["Due", "due", 5],
    ]);
    expect(parsed.ignored).toEqual([{ header: "Owner", column: 4 }]);
    expect(parsed.requests).toEqual([
      {
        id: "PBC-1",
        reference: "PBC #1",
        description: "Population of changes",
        criteria: ["CC8.1", "CC7.1"],
        due: "2026-08-15",
        controls: [],
        line: 4,
      },
    ]);
  });

  it("says how to name the columns when the list has no usable header", () => {
    const parsed = parseRequestList(
      sheet([
        ["Owner", "Comments"],
        ["a", "b"],
      ]),
      {
        dateOrder: "mdy",
      },
    );
    expect(parsed.requests).toEqual([]);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({
        path: "pbc.csv",
        line: 1,
        column: 1,
        severity: "error",
        message: expect.stringContaining('a request ID ("Request ID", "PBC #", "Ref" or "Item")'),
      }),
    ]);
  });

  it("needs an ID and a description column", () => {
    const parsed = parseRequestList(
      sheet([
        ["Request", "Due"],
        ["Policy", "2026-01-01"],
      ]),
      {
        dateOrder: "mdy",
      },
    );
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      'no request ID column in the header row: name one "Request ID", "PBC #", "Ref" or "Item"',
    ]);
  });
});

describe("request list rows", () => {
  const header: Cell[] = ["ID", "Description", "Criteria", "Due Date", "Sample"];

  it("reports each bad cell by row and column, and leaves the row out", () => {
    const parsed = parseRequestList(
      sheet([
        header,
        ["R-1", "Access review", "CC6.2", "31/12/2026", "maybe"],
        ["", "No id here", "", "", ""],
        ["R-1", "Again", "CC9.9", "", "yes"],
        ["R-2", "Fine", "", "2026-02-30", "no"],
        ["R-3", "", "", "", ""],
      ]),
      { dateOrder: "mdy" },
    );
    expect(parsed.requests).toEqual([]);
    expect(
      parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`),
    ).toEqual([
      '2:4 error row 2, column D (due date): "31/12/2026" is not a date month first (M/D/YYYY), as --date-order mdy reads it: import with --date-order dmy if the list writes the day first, or write it as YYYY-MM-DD',
      '2:5 error row 2, column E (sample needed): "maybe" does not say whether a sample is needed: write yes or no (or Sample / Population)',
      "3:1 error row 3, column A (request ID): no request ID: give every request an ID, or delete the row",
      '4:1 error row 4, column A (request ID): request ID "R-1" is also on row 2: give each request its own ID',
      '4:3 warning row 4, column C (criteria): "CC9.9" is not a Trust Services criterion; left out (see `soc2 criteria`)',
      '5:4 error row 5, column D (due date): "2026-02-30" is not a date (no such day): write it as YYYY-MM-DD',
      "6:2 error row 6, column B (description): no description: say what is requested",
    ]);
  });

  it("reports a cell over 64 KiB by row and column, wherever it is, and leaves its row out", () => {
    const big = "x".repeat(9 * 1024 * 1024);
    const wide = "é".repeat(32 * 1024 + 1); // 65,538 bytes in UTF-8, fewer characters
    const parsed = parseRequestList(
      sheet([header, ["R-1", big, "", "", ""], ["R-2", "Fine", "", "", "", wide], ["R-3", "Ok"]]),
      { dateOrder: "mdy" },
    );
    expect(parsed.requests.map((r) => r.id)).toEqual(["R-3"]);
    expect(
      parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`),
    ).toEqual([
      "2:2 error row 2, column B: the cell holds 9,437,184 bytes, over the 64 KiB (65,536 bytes) a cell may hold: shorten it (a request is a few sentences; attach long text as a file instead)",
      "3:6 error row 3, column F: the cell holds 65,538 bytes, over the 64 KiB (65,536 bytes) a cell may hold: shorten it (a request is a few sentences; attach long text as a file instead)",
    ]);
  });

  it("reads spreadsheet dates, serial numbers and booleans, skips blank rows, finds control IDs", () => {
    const parsed = parseRequestList(
      sheet([
        header,
        ["A.1", "Evidence of CHG-01 and ACC-04", "A1.3", { date: "2026-09-30" }, true],
        [null, null, null, null, null],
        [7, "Backups", "", 46249, "Population"],
      ]),
      { dateOrder: "dmy" },
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.requests.map((r) => [r.id, r.due, r.sample, r.controls, r.line])).toEqual([
      ["A.1", "2026-09-30", true, ["CHG-01", "ACC-04"], 2],
      ["7", "2026-08-15", false, [], 4],
    ]);
  });
});

describe("cells", () => {
  it("reads slashed dates in the order given and flags the ambiguous ones", () => {
    expect(parseDate("03/04/2026", "mdy")).toEqual({
      ok: true,
      value: "2026-03-04",
      ambiguous: true,
    });
    expect(parseDate("03/04/2026", "dmy")).toEqual({
      ok: true,
      value: "2026-04-03",
      ambiguous: true,
    });
    expect(parseDate("4/4/2026", "dmy")).toEqual({ ok: true, value: "2026-04-04" });
    expect(parseDate("15 Aug 2026", "mdy")).toEqual({ ok: true, value: "2026-08-15" });
    expect(parseDate("August 15, 2026", "mdy")).toEqual({ ok: true, value: "2026-08-15" });
    expect(parseDate("2026-08-15T10:00:00Z", "mdy")).toEqual({ ok: true, value: "2026-08-15" });
    expect(parseDate("next week", "mdy")).toMatchObject({ ok: false });
    expect(parseDate(12, "mdy")).toMatchObject({ ok: false });
  });

  it("reads yes/no in the words lists use", () => {
    expect(["Yes", "x", "Sample", "TRUE"].map((v) => parseSample(v))).toEqual(
      Array(4).fill({ ok: true, value: true }),
    );
    expect(["no", "N/A", "Population", "-"].map((v) => parseSample(v))).toEqual(
      Array(4).fill({ ok: true, value: false }),
    );
    expect(parseSample("")).toEqual({ ok: true, value: undefined });
  });

  it("finds criterion IDs however they are separated", () => {
    expect(criteriaIn("cc8.1; CC 7.2, A1.2 / PI1.3 and CC8.1")).toEqual([
      "CC8.1",
      "CC7.2",
      "A1.2",
      "PI1.3",
    ]);
  });

  it("makes IDs usable as file names", () => {
    expect(["PBC #14", "1", "CC8.1-01", "#3", "a/b"].map(fileSafeId)).toEqual([
      "PBC-14",
      "1",
      "CC8.1-01",
      "3",
      "a-b",
    ]);
  });
});
