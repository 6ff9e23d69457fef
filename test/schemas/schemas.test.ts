import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const root = new URL("../../", import.meta.url).pathname;
const schemaDir = join(root, "schemas");
const fixtures = join(root, "test/schemas/fixtures");
const schemaFiles = readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json"));
const load = (file: string) =>
  JSON.parse(readFileSync(join(schemaDir, file), "utf8")) as Record<string, unknown>;

// The published schemas, checked the way an editor or another tool would use them: plain ajv.
function validatorFor(file: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  for (const f of schemaFiles) if (f !== file) ajv.addSchema(load(f));
  return ajv.compile(load(file));
}

const FORMATS: Record<string, string> = {
  program: "soc2.schema.json",
  control: "control.schema.json",
  policy: "policy.schema.json",
  evidence: "evidence.schema.json",
  "exception-review": "exception-review.schema.json",
  request: "request.schema.json",
};

describe("published JSON Schemas", () => {
  it.each(schemaFiles)("%s is draft 2020-12 with an $id where it is published", (file) => {
    const schema = load(file);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(
      `https://raw.githubusercontent.com/soc2-as-code/soc2-as-code/main/schemas/${file}`,
    );
  });

  it.each(schemaFiles)("%s rejects unknown properties on every object it defines", (file) => {
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n.properties && n.additionalProperties !== false) open.push(path);
      // if/then only narrow objects defined elsewhere; they define no object of their own.
      for (const [k, v] of Object.entries(n))
        if (k !== "if" && k !== "then") walk(v, `${path}/${k}`);
    };
    walk(load(file), "#");
    expect(open).toEqual([]);
  });

  for (const [format, file] of Object.entries(FORMATS)) {
    const validate = validatorFor(file);
    const list = (kind: string) =>
      readdirSync(join(fixtures, format, kind)).filter((f) => f.endsWith(".yml"));
    const read = (kind: string, name: string): unknown =>
      parse(readFileSync(join(fixtures, format, kind, name), "utf8"));

    it.each(list("valid"))(`${format}: accepts valid/%s`, (name) => {
      const ok = validate(read("valid", name));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });

    it.each(list("invalid"))(`${format}: rejects invalid/%s`, (name) => {
      expect(validate(read("invalid", name))).toBe(false);
    });
  }

  it("accepts this repository's own soc2.yml", () => {
    const validate = validatorFor("soc2.schema.json");
    expect(validate(parse(readFileSync(join(root, "soc2.yml"), "utf8")))).toBe(true);
  });
});
