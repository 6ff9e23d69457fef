// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["lib/", "dist/", "node_modules/", "coverage/", "test/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Time is injected everywhere: tests must pass on any date, so only src/adapters/clock.ts
    // reads the system clock (and test/support/fake-clock.mjs, which stands in for it in tests).
    files: ["**/*.ts", "**/*.mjs", "**/*.js"],
    ignores: [
      "src/adapters/clock.ts",
      "test/support/fake-clock.mjs",
      "vitest.config.ts",
      "scripts/**",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message:
            "Read the time from an injected clock (src/adapters/clock.ts), never the system clock.",
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message:
            "Read the time from an injected clock (src/adapters/clock.ts), never the system clock.",
        },
      ],
    },
  },
  {
    // The core is pure: no file system, network, process, clock or GitHub client.
    // Adapters (src/adapters, src/cli, action/, app/) do the I/O and pass plain data in.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:*",
                "!node:crypto",
                "fs",
                "path",
                "os",
                "child_process",
                "http",
                "https",
                "net",
              ],
              message: "src/core is pure: do I/O in an adapter and pass the data in.",
            },
            {
              group: [
                "@actions/*",
                "@octokit/*",
                "probot",
                "simple-git",
                "tinyglobby",
                "commander",
              ],
              message: "src/core is pure: adapters own GitHub, git, globbing and argument parsing.",
            },
            {
              group: ["**/adapters/**", "**/cli/**", "**/action/**", "**/app/**"],
              message: "src/core must not depend on its adapters.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "src/core is pure: take settings as arguments." },
        { name: "fetch", message: "src/core is pure: do network I/O in an adapter." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "src/core is pure: take the current time as an argument.",
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "src/core is pure: take the current time as an argument.",
        },
      ],
    },
  },
);
