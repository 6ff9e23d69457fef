import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { equivalentControls } from "../../src/core/oscal/import.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import {
  OSCAL_CATALOG_SCHEMA,
  OSCAL_COMPONENT_SCHEMA,
  oscalSchemaErrors,
} from "../core/oscal/oscal-schema.js";

const run = (...args: string[]) => runCliAt(TEST_NOW, ...args);
const STAMP = "2026-11-30T12:00:00Z";

interface Requirement {
  uuid: string;
  "control-id": string;
  description: string;
  props?: Array<{ name: string; value: string; class?: string; group?: string; remarks?: string }>;
  "responsible-roles"?: Array<{ "role-id": string }>;
  remarks?: string;
}
interface Exported {
  "component-definition": {
    uuid: string;
    metadata: { "last-modified": string; version: string; "oscal-version": string };
    components: Array<{
      title: string;
      "control-implementations": Array<{
        source: string;
        "implemented-requirements": Requirement[];
      }>;
    }>;
  };
}

async function exportOf(dir: string, ...extra: string[]): Promise<Exported> {
  const result = await run("export", "oscal", dir, ...extra);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Exported;
}

/** A component definition of one component whose one implementation holds these requirements. */
const componentDefinition = (...requirements: unknown[]) => ({
  "component-definition": {
    components: [{ "control-implementations": [{ "implemented-requirements": requirements }] }],
  },
});

async function controlFiles(dir: string): Promise<Map<string, unknown>> {
  const { readRepository } = await import("../../src/adapters/read-repository.js");
  const files = await readRepository(dir);
  const out = new Map<string, unknown>();
  for (const f of files)
    if (f.path.startsWith("controls/") && f.bytes) {
      const value = parse(new TextDecoder().decode(f.bytes)) as { id: string };
      out.set(value.id, value);
    }
  return out;
}

describe("soc2 export oscal", () => {
  it("writes this repository's program as a component definition valid against NIST's OSCAL 1.2.0 schema", async () => {
    expect(OSCAL_COMPONENT_SCHEMA.$id).toBe(
      "http://csrc.nist.gov/ns/oscal/1.2.0/oscal-component-definition-schema.json",
    );
    const doc = await exportOf(".", "--last-modified", STAMP);
    expect(oscalSchemaErrors(doc)).toEqual([]);
    const cd = doc["component-definition"];
    expect(cd.metadata).toMatchObject({
      "last-modified": "2026-11-30T12:00:00.000Z",
      version: "2026-11-30",
      "oscal-version": "1.2.0",
    });
    const [tsc, nist] = cd.components[0]!["control-implementations"];
    const acc01 = tsc!["implemented-requirements"].filter((r) =>
      r.props?.some((p) => p.name === "control-id" && p.value === "ACC-01"),
    );
    expect(acc01.map((r) => r["control-id"])).toEqual(["cc6.1", "cc6.2", "cc6.6"]);
    expect(acc01[0]!["responsible-roles"]).toEqual([{ "role-id": "it-lead" }]);
    expect(acc01[0]!.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // The schema is not a formality: it rejects a requirement whose control-id is not a token.
    const broken = structuredClone(doc);
    broken["component-definition"].components[0]!["control-implementations"][0]![
      "implemented-requirements"
    ][0]!["control-id"] = "8.1 bad";
    expect(oscalSchemaErrors(broken).join("\n")).toMatch(/control-id: must match pattern/);
    // The 800-53 controls the crosswalk reaches, in NIST's OSCAL IDs.
    expect(nist!["implemented-requirements"].map((r) => r["control-id"])).toContain("cm-3");
  });

  it("gives the same document on every run, and dates it by the clock outside a git checkout", async () => {
    const dir = await tempDir();
    await writeTree(dir, minimalRepo());
    const first = await run("export", "oscal", dir);
    const second = await run("export", "oscal", dir);
    expect(first.stdout).toBe(second.stdout);
    const doc = JSON.parse(first.stdout) as Exported;
    expect(doc["component-definition"].metadata["last-modified"]).toBe(TEST_NOW.toISOString());
    expect(oscalSchemaErrors(doc)).toEqual([]);
  });

  it("carries the framework controls a control cites as properties", async () => {
    const dir = await tempDir();
    const files = minimalRepo();
    await writeTree(dir, {
      ...files,
      "controls/all.yml":
        files["controls/all.yml"] + "frameworks:\n  iso27001: [A.5.1]\n  nist-800-53: [SC-23]\n",
    });
    const doc = await exportOf(dir, "--last-modified", STAMP);
    expect(oscalSchemaErrors(doc)).toEqual([]);
    const [tsc, nist] = doc["component-definition"].components[0]!["control-implementations"];
    expect(tsc!["implemented-requirements"][0]!.props).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "framework-control", class: "iso27001", value: "A.5.1" }),
        expect.objectContaining({
          name: "framework-control",
          class: "nist-800-53",
          value: "SC-23",
        }),
      ]),
    );
    expect(
      nist!["implemented-requirements"].find((r) => r["control-id"] === "sc-23")?.description,
    ).toBe("- GOV-01 One control for everything: cites it directly");
  });

  it("writes the controls themselves as an OSCAL catalog, valid against NIST's catalog schema", async () => {
    expect(OSCAL_CATALOG_SCHEMA.$id).toBe(
      "http://csrc.nist.gov/ns/oscal/1.2.0/oscal-catalog-schema.json",
    );
    const result = await run("export", "oscal", ".", "--kind", "catalog", "--last-modified", STAMP);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      catalog: {
        groups: Array<{
          id: string;
          controls: Array<{ id: string; title: string; parts: Array<{ name: string }> }>;
        }>;
      };
    };
    expect(oscalSchemaErrors(doc, "catalog")).toEqual([]);
    expect(doc.catalog.groups.map((g) => g.id)).toEqual(
      expect.arrayContaining(["security", "availability"]),
    );
    const acc01 = doc.catalog.groups[0]!.controls.find((c) => c.id === "acc-01");
    expect(acc01?.parts.map((p) => p.name)).toEqual(["statement", "assessment-method"]);
    const unknown = await run("export", "oscal", ".", "--kind", "profile");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown --kind "profile": use component-definition or catalog',
    );
  });

  it("refuses a bad --last-modified", async () => {
    const result = await run("export", "oscal", ".", "--last-modified", "yesterday");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--last-modified "yesterday" is not a timestamp with a time zone',
    );
    for (const impossible of [
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-04-31T12:00:00+02:00",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:60:00Z",
      "2026-01-01T00:00:00+24:00",
    ]) {
      const bad = await run("export", "oscal", ".", "--last-modified", impossible);
      expect(bad.code, impossible).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toBe(
        `soc2: --last-modified "${impossible}" is not a real date and time: use e.g. 2026-12-01T09:00:00Z\n`,
      );
    }
    // A real date with an offset is still accepted, in UTC.
    const leap = await exportOf(".", "--last-modified", "2028-02-29T23:30:00-01:00");
    expect(leap["component-definition"].metadata["last-modified"]).toBe("2028-03-01T00:30:00.000Z");
    const nowhere = await run("export", "oscal", ".", "--out", "/nonexistent/folder/cd.json");
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toBe(
      "soc2: cannot write /nonexistent/folder/cd.json: its folder does not exist\n",
    );
  });
});

describe("soc2 import oscal", () => {
  it("round-trips: exporting this repository and importing it elsewhere gives equivalent controls", async () => {
    const out = join(await tempDir(), "cd.json");
    expect((await run("export", "oscal", ".", "--out", out, "--last-modified", STAMP)).code).toBe(
      0,
    );
    const target = await tempDir();
    await writeTree(target, { "soc2.yml": minimalRepo()["soc2.yml"]! });
    const result = await run("import", "oscal", out, target);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const original = await controlFiles(".");
    const imported = await controlFiles(target);
    expect([...imported.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [id, value] of original)
      expect(equivalentControls(imported.get(id), value), id).toBe(true);
    expect(result.stdout).toContain(`created   controls/acc-01.yml\n`);
    expect(result.stdout).toMatch(/\d+ implemented requirement\(s\) of other catalogs skipped/);
  });

  it("leaves equivalent controls alone, and replaces a different one only with --force", async () => {
    const dir = await tempDir();
    const files = minimalRepo();
    await writeTree(dir, {
      ...files,
      "controls/all.yml":
        files["controls/all.yml"] +
        "frameworks:\n  iso27001: [A.5.1, A.7.7]\n  nist-800-53: [SC-23]\n",
    });
    const out = join(dir, "cd.json");
    await run("export", "oscal", dir, "--out", out);
    const again = await run("import", "oscal", out, dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("unchanged  controls/all.yml\n");

    const path = join(dir, "controls/all.yml");
    const edited = (await readFile(path, "utf8")).replace(
      "frequency: annually",
      "frequency: quarterly",
    );
    await writeFile(path, edited);
    const refused = await run("import", "oscal", out, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "controls/all.yml (GOV-01) differs from the imported control: not replaced",
    );
    expect(await readFile(path, "utf8")).toBe(edited);

    const forced = await run("import", "oscal", out, dir, "--force");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("replaced   controls/all.yml\n");
    const restored = await readFile(path, "utf8");
    expect(restored).toContain("frequency: annually");
    expect(restored).toContain("frameworks:\n  iso27001: [A.5.1, A.7.7]\n  nist-800-53: [SC-23]\n");
    expect((await run("validate", dir)).code).toBe(0);
  });

  it("points at the line and column of malformed JSON", async () => {
    const dir = await tempDir();
    const file = join(dir, "bad.json");
    await writeFile(file, '{\n  "component-definition": {\n    "uuid": "x",,\n  }\n}\n');
    const result = await run("import", "oscal", file, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.json:3:\d+: error: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("says what is wrong with a document that is not a component definition, or names no criterion", async () => {
    const dir = await tempDir();
    const catalog = join(dir, "catalog.json");
    await writeFile(catalog, JSON.stringify({ catalog: { uuid: "x" } }));
    const notCd = await run("import", "oscal", catalog, dir);
    expect(notCd.code).toBe(1);
    expect(notCd.stderr).toContain(
      "catalog.json:1:1: error: not an OSCAL component definition: expected a JSON object with a component-definition member",
    );

    const mixed = join(dir, "mixed.json");
    const requirement = (id: string) => ({ uuid: "u", "control-id": id, description: "d" });
    await writeFile(
      mixed,
      JSON.stringify(componentDefinition(requirement("cc8.1"), requirement("cc99.1")), null, 2),
    );
    const result = await run("import", "oscal", mixed, dir, "--dry-run");
    expect(result.stderr).toMatch(
      /mixed\.json:\d+:\d+: warning: control-id "cc99\.1" is not a Trust Services criterion \(e\.g\. cc8\.1\): this requirement is skipped \[oscal-unknown-criterion\]/,
    );
    expect(result.stdout).toContain("created   controls/oscal-");
  });

  it("refuses a control-id property that is not a control ID, and writes nothing", async () => {
    const dir = await tempDir();
    const file = join(dir, "cd.json");
    const requirement = {
      uuid: "u",
      "control-id": "cc8.1",
      description: "d",
      props: [{ name: "control-id", value: "chg 01" }],
    };
    await writeFile(file, JSON.stringify(componentDefinition(requirement)));
    const result = await run("import", "oscal", file, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cd\.json:1:\d+: error: control-id property "chg 01" is not a control ID .* \[oscal-bad-control-id\]/,
    );
    expect(result.stdout).toBe("");
  });

  it("never writes over a file that holds another control, or cannot be read, without --force", async () => {
    const dir = await tempDir();
    const files = minimalRepo();
    const other = files["controls/all.yml"]!.replace("id: GOV-01", "id: OTHER-01");
    await writeTree(dir, { ...files, "controls/yy-01.yml": other });
    const file = join(dir, "cd.json");
    const requirement = {
      uuid: "u",
      "control-id": "cc8.1",
      description: "d",
      props: [{ name: "control-id", value: "YY-01" }],
    };
    await writeFile(file, JSON.stringify(componentDefinition(requirement)));
    const path = join(dir, "controls/yy-01.yml");

    const refused = await run("import", "oscal", file, dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain("created");
    expect(refused.stderr).toContain(
      "soc2: controls/yy-01.yml holds OTHER-01, not the imported YY-01: not replaced. Rename that file, or rerun with --force to replace it\n",
    );
    expect(await readFile(path, "utf8")).toBe(other);

    const broken = "id: [OTHER-01\n";
    await writeFile(path, broken);
    const unreadable = await run("import", "oscal", file, dir);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(
      "soc2: controls/yy-01.yml already exists and is not a readable control (see soc2 validate): not replaced by the imported YY-01. Rename that file, or rerun with --force to replace it\n",
    );
    expect(await readFile(path, "utf8")).toBe(broken);

    const forced = await run("import", "oscal", file, dir, "--force");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("replaced   controls/yy-01.yml\n");
    expect(await readFile(path, "utf8")).toContain("id: YY-01\n");
    expect(await readdir(join(dir, "controls"))).toEqual(["all.yml", "yy-01.yml"]);

    // A folder in the way is never replaced, even with --force.
    const folder = await tempDir();
    await writeTree(folder, { ...files, "controls/yy-01.yml/keep.txt": "x" });
    const blocked = await run("import", "oscal", file, folder, "--force");
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      "soc2: controls/yy-01.yml is a folder: not replaced by the imported YY-01. Move it out of the way, then rerun\n",
    );
  });

  it("says when the file is empty, not UTF-8, binary or too large, and reads no more of it", async () => {
    const dir = await tempDir();
    const empty = join(dir, "empty.json");
    await writeFile(empty, "");
    const none = await run("import", "oscal", empty, dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `${empty}:1:1: error: the file is empty: expected an OSCAL component definition in JSON (soc2 export oscal writes one); check the file name, or export it again [oscal-empty-file]\n`,
    );

    const latin = join(dir, "latin.json");
    await writeFile(
      latin,
      Buffer.concat([
        Buffer.from('{\n  "component-definition": { "metadata": { "title": "Caf'),
        Buffer.from([0xe9]),
        Buffer.from('" } }\n}\n'),
      ]),
    );
    const encoding = await run("import", "oscal", latin, dir);
    expect(encoding.code).toBe(1);
    expect(encoding.stderr).toBe(
      `${latin}:2:56: error: byte 0xe9 is not valid UTF-8: save the file as UTF-8 [encoding]\n`,
    );

    const binary = join(dir, "binary.json");
    await writeFile(binary, '{\n  "a": "\0"\n}\n');
    const nul = await run("import", "oscal", binary, dir);
    expect(nul.code).toBe(1);
    expect(nul.stderr).toBe(
      `${binary}:2:9: error: the file contains a NUL byte: it looks binary, not JSON; import the component definition's JSON file [encoding]\n`,
    );

    const big = join(dir, "big.json");
    await writeFile(big, " ".repeat(8 * 1024 * 1024 + 1));
    const large = await run("import", "oscal", big, dir);
    expect(large.code).toBe(1);
    expect(large.stderr).toBe(
      `${big}:1:1: error: file is 8,388,609 bytes, over the 8 MiB limit for OSCAL documents: import a smaller component definition (split it by component) [file-too-large]\n`,
    );

    const folder = await run("import", "oscal", dir, dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(
      `soc2: cannot read ${dir}: it is a folder, not a regular file: pass the component definition's JSON file\n`,
    );
  });

  it("refuses a file it cannot read with a usage error", async () => {
    const result = await run("import", "oscal", "/nonexistent/cd.json", ".");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read /nonexistent/cd.json: no such file");
  });
});
