import * as core from "@actions/core";

export interface ActionInputs {
  /** check: a pull request against the change-management policy; monitor: GitHub's settings. */
  mode: "check" | "monitor";
  token: string;
  policyRepository: string;
  config: string;
  failOnPending: boolean;
  outputDir: string;
  validate: "auto" | "true" | "false";
  /** mode: monitor. Where records go (default: this repository), on which branch, in which folder. */
  evidenceRepository: string;
  evidenceBranch: string;
  evidencePath: string;
  /** mode: monitor. Where drift issues are opened and closed; empty: none. */
  issuesRepository: string;
  dryRun: boolean;
}

export function readInputs(): ActionInputs {
  const token = core.getInput("token");
  if (token === "")
    throw new Error("the token input is empty: pass ${{ github.token }} or a GitHub App token");
  return {
    mode: readMode(core.getInput("mode")),
    token,
    policyRepository: core.getInput("policy-repository"),
    config: core.getInput("config") || "soc2.yml",
    failOnPending: core.getInput("fail-on-pending") !== "false",
    outputDir: core.getInput("output-dir"),
    validate: readValidate(core.getInput("validate")),
    evidenceRepository: core.getInput("evidence-repository"),
    evidenceBranch: core.getInput("evidence-branch"),
    evidencePath: core.getInput("evidence-path"),
    issuesRepository: core.getInput("issues-repository"),
    dryRun: core.getInput("dry-run") === "true",
  };
}

function readMode(value: string): ActionInputs["mode"] {
  if (value === "" || value === "check") return "check";
  if (value === "monitor") return "monitor";
  throw new Error(
    `the mode input is "${value}": use check (pull requests, the default) or monitor (GitHub's settings, on a schedule)`,
  );
}

function readValidate(value: string): ActionInputs["validate"] {
  if (value === "" || value === "auto") return "auto";
  if (value === "true" || value === "false") return value;
  throw new Error(`the validate input is "${value}": use auto, true or false`);
}
