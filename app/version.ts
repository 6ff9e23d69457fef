import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/adapters/package-root.js";

/** How records name the App: "soc2-as-code App <version>". */
export function sourceName(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version?: string;
  };
  return `soc2-as-code App ${manifest.version ?? "unknown"}`;
}
