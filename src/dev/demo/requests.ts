import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import type { Clock } from "../../adapters/clock.js";
import type { Output } from "../../cli/output.js";
import {
  answerRequestCommand,
  importRequestsCommand,
  requestsStatusCommand,
} from "../../cli/commands/requests.js";

const DAY = 86_400_000;

/** A day relative to today, as request lists write it: M/D/YYYY (US firms) or YYYY-MM-DD. */
function day(today: Date, days: number, us = false): string {
  const d = new Date(today.getTime() + days * DAY);
  return us
    ? `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`
    : d.toISOString().slice(0, 10);
}

/**
 * A short request list as an audit firm sends it: a title row, its own column names, M/D/YYYY
 * dates, an Owner column the import ignores. Due dates are relative to the demo's today, so two
 * are already past.
 */
export function demoRequestList(today: Date): string {
  const rows = [
    ["Acme Cloud, Inc. - SOC 2 information request list (PBC)", "", "", "", "", ""],
    ["PBC #", "Request Description", "TSC", "Date Due", "Population/Sample", "Owner"],
    [
      "PBC-01",
      "Population of all changes to production in the period, with approvals",
      "CC8.1",
      day(today, -10, true),
      "Population",
      "Engineering",
    ],
    [
      "PBC-02",
      "For the sampled changes: pull request, approvals and checks (CHG-01)",
      "CC8.1",
      day(today, 7, true),
      "Sample",
      "Engineering",
    ],
    [
      "PBC-03",
      "User access review for the last quarter, with the tickets it raised",
      "CC6.2; CC6.3",
      day(today, -3, true),
      "Sample",
      "IT",
    ],
    [
      "PBC-04",
      "Information security policy, approved, and evidence it was communicated",
      "CC2.2",
      day(today, 14),
      "No",
      "Security",
    ],
    [
      "PBC-05",
      "Risk assessment performed in the period",
      "CC3.1, CC3.2",
      day(today, 21),
      "No",
      "Security",
    ],
    [
      "PBC-06",
      "Evidence of backups restored in a test",
      "CC7.5",
      day(today, 30),
      "Sample",
      "Engineering",
    ],
  ];
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/**
 * The audit itself in the repository: imports the demo's request list, answers three items (the
 * change population and a sampled change with the App's records, the policy by its suggestion),
 * commits, and prints where the list stands.
 */
export async function playRequests(
  dir: string,
  git: SimpleGit,
  options: { now: Clock; out: (text: string) => void; changeRecord: string },
): Promise<void> {
  const { out } = options;
  const io: Output = {
    out: (t) => out(indent(t)),
    err: (t) => out(indent(t)),
    color: false,
    now: options.now,
  };
  const list = join(dir, "audit", "request-list.csv");
  await mkdir(join(dir, "audit"), { recursive: true });
  await writeFile(list, demoRequestList(options.now()));
  out(
    `\nThe auditor's request list (audit/request-list.csv), imported with soc2 requests import:\n`,
  );
  await importRequestsCommand(list, dir, { dateOrder: "mdy" }, io);
  out(`\nThree items answered (soc2 requests answer), each evidence file frozen by its digest:\n`);
  await answerRequestCommand(
    "PBC-01",
    dir,
    {
      control: ["CHG-01"],
      evidence: ["evidence/index/by-control/CHG-01.md"],
      note: "soc2 population gives the list; every change has a change record.",
    },
    io,
  );
  await answerRequestCommand(
    "PBC-02",
    dir,
    { control: ["CHG-01"], evidence: [options.changeRecord] },
    io,
  );
  await answerRequestCommand("PBC-04", dir, { acceptSuggested: true, by: "Sam Okafor" }, io);
  await git.add(".").commit("audit: import the auditor's request list and answer three items");
  out(`\nWhere the list stands (soc2 requests status):\n`);
  await requestsStatusCommand(dir, { format: "text" }, io);
}

const indent = (text: string) => text.replace(/^(?=.)/gm, "  ");
