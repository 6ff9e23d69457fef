import { describe, expect, it } from "vitest";
import { bytesDigest } from "../../src/core/digest.js";
import { buildSite, type PortalInput } from "../../src/core/portal/index.js";
import { fixtureFiles, fixtureInput, HOSTILE_TITLE } from "./fixture.js";

const withoutAsOf = (input: PortalInput): PortalInput =>
  Object.fromEntries(Object.entries(input).filter(([k]) => k !== "asOf")) as unknown as PortalInput;
const page = (files: Record<string, string>, asOf?: string) =>
  buildSite(asOf ? fixtureInput(files, undefined, asOf) : withoutAsOf(fixtureInput(files)))
    .find((f) => f.path === "requests.html")!
    .content.replace(/\s+/g, " ")
    .replace(/ >/g, ">");

describe("the portal's requests page", () => {
  const base = fixtureFiles();
  const recordPath = Object.keys(base).find((p) => p.startsWith("evidence/attestations/"))!;
  const digest = bytesDigest(new TextEncoder().encode(base[recordPath]!));
  const files = {
    ...base,
    "audit/2026/requests/PBC-1.yaml": `id: PBC-1
reference: "PBC #1"
description: ${JSON.stringify(HOSTILE_TITLE)}
criteria: [CC8.1]
due: 2026-11-01
status: open
suggested: {controls: [CHG-01]}
`,
    "audit/2026/requests/PBC-2.yaml": `id: PBC-2
description: Retrospective reviews of emergency changes
due: 2026-12-15
status: answered
answer:
  controls: [CHG-01]
  evidence:
    - path: ${recordPath}
      digest: ${digest}
  note: The review of acme/api#3.
  answered_on: 2026-11-26
  answered_by: Sam Okafor
`,
    "audit/2026/requests/PBC-3.yaml": `id: PBC-3
description: Change management policy
due: 2026-12-20
status: answered
answer:
  evidence:
    - path: ${recordPath}
      digest: sha256:${"0".repeat(64)}
`,
  };

  it("lists each item with its status and links to what answers it", () => {
    const html = page(files, "2026-11-30");
    expect(html).toContain('<a href="requests.html" aria-current="page">Requests</a');
    expect(html).toContain("3 requests: 2 answered (1 stale), 1 open (1 overdue).");
    const rows = html.split("<tr ").slice(1);
    expect(rows.map((r) => /id="request-2026-([^"]+)"/.exec(r)?.[1])).toEqual([
      "PBC-1",
      "PBC-3",
      "PBC-2",
    ]);
    expect(rows[0]).toContain('<span class="badge overdue">overdue</span>');
    expect(rows[0]).toContain("PBC #1");
    expect(rows[0]).toContain('suggested: <a href="controls/CHG-01.html">CHG-01</a>');
    // The description is text, never markup.
    expect(rows[0]).not.toContain("<script>");
    expect(rows[0]).toContain("&lt;script&gt;");
    expect(rows[1]).toContain('<span class="badge fail">answer stale</span>');
    expect(rows[1]).toContain("changed since frozen");
    expect(rows[2]).toContain('<span class="badge reviewed">answered</span>');
    expect(rows[2]).toMatch(
      /<a href="records\/attestations\/[^"]+\.html">evidence\/attestations\//,
    );
    expect(rows[2]).toContain("on 2026-11-26 by Sam Okafor");
  });

  it("says when there is no list, and judges nothing overdue without an as-of date", () => {
    expect(page(fixtureFiles())).toContain("No request list: import one with");
    expect(page(files)).toContain("1 open.");
  });
});
