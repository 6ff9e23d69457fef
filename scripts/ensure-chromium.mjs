#!/usr/bin/env node
// Runs before `npm test`: the portal's browser test drives Debian's Chromium with playwright-core
// (playwright's own browser download cannot work on a machine that reaches only package
// registries). Installs it once when missing and allowed (root with apt-get); otherwise says how.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's chromium for the portal's browser test (once)…");
    execFileSync(
      "sh",
      [
        "-c",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null",
      ],
      { stdio: "inherit" },
    );
  } else {
    console.warn(
      `${path} is missing: the portal's browser test will fail. Install Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
}
