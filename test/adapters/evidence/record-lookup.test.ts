import { afterEach, describe, expect, it } from "vitest";
import { githubRecordLookup } from "../../../src/adapters/evidence/record-lookup.js";
import { githubFolderReader } from "../../../src/adapters/evidence/read-folder.js";
import { startStand, type Stand } from "./github-helpers.js";

let stand: Stand | undefined;
afterEach(async () => {
  await stand?.gh.close();
  stand = undefined;
});

describe("reading an evidence repository back through the contents API", () => {
  it("tells which records a folder holds, reads them newest first, and takes a missing folder as empty", async () => {
    stand = await startStand();
    stand.evidence.commit({
      message: "records",
      files: {
        "evidence/changes/acme/web/2041/02/pr-1.yml": "id: changes/acme/web/2041/02/pr-1\n",
        "evidence/changes/acme/web/2041/02/push-abc.yml": "id: changes/acme/web/2041/02/push-abc\n",
        "evidence/changes/acme/web/2041/02/notes.txt": "not a record\n",
        "evidence/changes/acme/web/2041/02/sub/pr-9.yml": "in a sub-folder\n",
      },
    });
    const target = { repository: "acme/evidence", branch: "main", path: "evidence" };
    const lookup = githubRecordLookup(stand.octokit, target);
    expect(await lookup.has("changes/acme/web/2041/02/pr-1")).toBe(true);
    expect(await lookup.has("changes/acme/web/2041/02/push-abc")).toBe(true);
    expect(await lookup.has("changes/acme/web/2041/02/pr-2")).toBe(false);
    expect(await lookup.has("changes/acme/web/2041/02/notes")).toBe(false);
    expect(await lookup.has("changes/acme/web/2041/02/pr-9")).toBe(false);
    expect(await lookup.has("changes/acme/web/2041/03/pr-1")).toBe(false);
    await lookup.close();

    const read = githubFolderReader(stand.octokit, "acme/evidence", "main", "evidence");
    expect(
      await read("changes/acme/web/2041/02", { select: () => true, limit: 1 }),
    ).toEqual([{ id: "changes/acme/web/2041/02/push-abc" }]);
    expect(await read("changes/acme/web/2041/09", { select: () => true, limit: 5 })).toEqual([]);
    stand.checker.assertClean();
  });
});
