import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubStandIn, RepositoryState } from "../../src/dev/github-stand-in/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import type { OpenApiChecker } from "../support/github-openapi.js";
import { reviewedProgramFiles, seedReviewedAccess } from "../support/monitored-acme.js";
import { closeAll, standIn, startApp } from "./redelivery-support.js";

// The App's monitoring runs and access reviews: at the start of each period the run opens the
// period's review as a pull request in the compliance repository (once, whichever replica runs,
// however often), reads the reviews merged there, and reports an access marked remove that its
// snapshot still shows as drift of the access control.

afterEach(closeAll);

interface Acme {
  gh: GitHubStandIn;
  checker: OpenApiChecker;
  compliance: RepositoryState;
}

/** acme: an owner, two members, an outside collaborator with admin on acme/web; the App on acme. */
async function acme(): Promise<Acme> {
  const { gh, checker } = await standIn();
  seedReviewedAccess(gh);
  const files = reviewedProgramFiles("github: [sokafor]");
  const compliance = gh.state.addRepository({ owner: "acme", name: "compliance", files });
  gh.state.addRepository({ owner: "acme", name: "evidence", files: { "README.md": "e\n" } });
  gh.state.addInstallation({ account: "acme" });
  return { gh, checker, compliance };
}

/** A replica of the App with its own checkpoints: its schedule does not know what others ran. */
async function replica(gh: GitHubStandIn, intervalMs = "604800000") {
  return startApp(gh, {
    EVIDENCE_REPO: "acme/evidence",
    POLICY_REPOSITORY: "acme/compliance",
    MONITOR_INTERVAL_MS: intervalMs,
    MONITOR_ISSUES_REPOSITORY: "none",
    REDELIVERY_INTERVAL_MS: "0",
    DELIVERY_QUEUE_DIR: join(await tempDir("soc2-app-queue-"), "deliveries"),
  });
}

describe("access reviews in the App's monitoring runs", () => {
  it("opens the period's review pull request once, whichever replica runs and however often", async () => {
    const { gh, checker, compliance } = await acme();
    const first = await replica(gh);
    const ran = await first.app.monitorDue();
    expect(ran).toMatchObject({ status: "ran" });
    const opened = ran!.summary!.accessReview!;
    const [, period, number] = /^opened (\d{4}-Q[1-4]) #(\d+)$/.exec(opened) ?? [];
    expect(period).toBeDefined();
    const pulls = [...compliance.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      number: Number(number),
      headRef: `soc2/access-review-${period}`,
      state: "open",
    });
    expect(pulls[0]!.requestedReviewers.map((a) => a.login)).toEqual(["sokafor"]);
    const file = parse(
      compliance.readFile(`access-reviews/${period}.yaml`, `soc2/access-review-${period}`)!,
    ) as { control: string; entries: Array<{ account: string; target: string }> };
    expect(file.control).toBe("GOV-01");
    expect(file.entries.map((e) => `${e.account}@${e.target}`)).toContain("contractor@acme/web");
    // One line says which pull request.
    expect(
      first.logs.lines.filter((l) =>
        String(l.msg).startsWith(`soc2: access review ${period}: pull request #${number} opened`),
      ),
    ).toHaveLength(1);

    // The same replica again, and a second replica whose schedule has not run the slot: the open
    // pull request is found again, nothing new is opened.
    expect((await first.app.monitor())?.accessReview).toBe(`unchanged ${period} #${number}`);
    const second = await replica(gh);
    const again = await second.app.monitorDue();
    expect(again).toMatchObject({
      status: "ran",
      summary: { accessReview: `unchanged ${period} #${number}` },
    });
    expect(compliance.pulls.size).toBe(1);
    expect(second.logs.lines.some((l) => String(l.msg).includes("pull request #"))).toBe(false);
    checker.assertClean();
  });

  it("reads the merged review: a removal the next snapshot still shows is drift, and no new review is opened", async () => {
    const { gh, checker, compliance } = await acme();
    const app = await replica(gh, "0"); // runs only when asked
    const before = (await app.app.monitor())!;
    expect(before.controls).toEqual({ "GOV-01": "pass" });
    const opened = before.accessReview!;
    const [, period] = /^opened (\S+) #\d+$/.exec(opened) ?? [];
    const branch = `soc2/access-review-${period}`;
    const path = `access-reviews/${period}.yaml`;
    // The control owner marks the contractor's admin access for removal, and merges.
    const text = compliance.readFile(path, branch)!;
    const marked = text.replace(
      /(account: contractor\n(?:.*\n){4}\s+)decision: pending/,
      "$1decision: remove",
    );
    expect(marked).not.toBe(text);
    const pull = [...compliance.pulls.values()][0]!;
    pull.addCommit({ files: { [path]: marked }, pushedBy: gh.state.account("sokafor") });
    pull.merge({ by: gh.state.account("sokafor") });
    expect(compliance.readFile(path, "main")).toBe(marked);

    // Nobody removed it: the App's next run reports the drift, and opens no second review.
    const drifted = await app.app.monitor();
    expect(drifted).toMatchObject({ controls: { "GOV-01": "fail" } });
    expect(drifted!.accessReview).toBeUndefined();
    expect(compliance.pulls.size).toBe(1);

    // Carried out: the next run passes.
    const web = gh.state.settings.collaborators.get("acme/web")!;
    gh.state.settings.collaborators.set(
      "acme/web",
      web.filter((c) => c.account.login !== "contractor"),
    );
    expect(await app.app.monitor()).toMatchObject({ controls: { "GOV-01": "pass" } });
    checker.assertClean();
  });
});
