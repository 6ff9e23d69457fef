import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";
import { CATEGORIES, type Category } from "../core/criteria.js";
import type { Templates } from "../core/init-plan.js";
import { packageRoot } from "./package-root.js";

/** Reads the templates that ship with the package (templates/). */
export async function readTemplates(root = join(packageRoot(), "templates")): Promise<Templates> {
  const read = (path: string) => readFile(join(root, path), "utf8");
  const controlPaths = await glob("controls/*/*.{yml,yaml}", { cwd: root });
  const policyPaths = await glob("policies/*.md", { cwd: root });
  const extraPaths = await glob("extras/**/*", { cwd: root, dot: true, onlyFiles: true });
  const controls = await Promise.all(
    controlPaths.sort().flatMap((path) => {
      const [, category, name] = path.split("/");
      if (!(CATEGORIES as readonly string[]).includes(category!)) return [];
      return [read(path).then((text) => ({ category: category as Category, name: name!, text }))];
    }),
  );
  const policies = await Promise.all(
    policyPaths
      .sort()
      .map(async (path) => ({ name: path.slice("policies/".length), text: await read(path) })),
  );
  const extras = await Promise.all(
    extraPaths
      .sort()
      .map(async (path) => ({ path: path.slice("extras/".length), text: await read(path) })),
  );
  return { program: await read("soc2.yml"), controls, policies, extras };
}
