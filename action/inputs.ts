import * as core from "@actions/core";

export interface ActionInputs {
  token: string;
  policyRepository: string;
  config: string;
  failOnPending: boolean;
  outputDir: string;
  validate: "auto" | "true" | "false";
}

export function readInputs(): ActionInputs {
  const token = core.getInput("token");
  if (token === "")
    throw new Error("the token input is empty: pass ${{ github.token }} or a GitHub App token");
  return {
    token,
    policyRepository: core.getInput("policy-repository"),
    config: core.getInput("config") || "soc2.yml",
    failOnPending: core.getInput("fail-on-pending") !== "false",
    outputDir: core.getInput("output-dir"),
    validate: readValidate(core.getInput("validate")),
  };
}

function readValidate(value: string): ActionInputs["validate"] {
  if (value === "" || value === "auto") return "auto";
  if (value === "true" || value === "false") return value;
  throw new Error(`the validate input is "${value}": use auto, true or false`);
}
