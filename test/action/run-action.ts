import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import examples from "@octokit/webhooks-examples";

const root = new URL("../../", import.meta.url).pathname;

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

/** A real webhook payload of the event, from @octokit/webhooks-examples, to start from. */
export function examplePayload(event: string, action?: string): Record<string, unknown> {
  const group = (
    examples as unknown as Array<{ name: string; examples: Array<Record<string, unknown>> }>
  ).find((e) => e.name === event);
  const example = group?.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no example payload for ${event}.${action ?? ""}`);
  return structuredClone(example);
}

/**
 * Runs the bundled Action (dist/index.js) the way a GitHub runner does: inputs as INPUT_*
 * variables, the event payload in a file, and files for the step summary and outputs.
 */
export async function runAction(options: {
  dir: string;
  apiUrl: string;
  eventName: string;
  payload: unknown;
  repository: string;
  inputs?: Record<string, string>;
  workspace?: string;
  /** More variables for the runner's environment (e.g. the suite's fake clock). */
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const { dir } = options;
  await mkdir(join(dir, "temp"), { recursive: true });
  const eventPath = join(dir, "event.json");
  const summaryPath = join(dir, "summary.md");
  const outputPath = join(dir, "output.txt");
  await writeFile(eventPath, JSON.stringify(options.payload));
  await writeFile(summaryPath, "");
  await writeFile(outputPath, "");
  const inputs = {
    token: "ghs_actionTestToken0123456789",
    "fail-on-pending": "true",
    config: "soc2.yml",
    ...options.inputs,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_WORKSPACE: options.workspace ?? join(dir, "workspace"),
    RUNNER_TEMP: join(dir, "temp"),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  // SOC2_ACTION_BUNDLE: a bundle built elsewhere (e.g. into lib/), to test Action changes
  // without rebuilding the committed dist/.
  const bundle = process.env.SOC2_ACTION_BUNDLE ?? join(root, "dist/index.js");
  const child = spawn(process.execPath, [bundle], { env, cwd: dir });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return {
    code,
    stdout,
    stderr,
    summary: await readFile(summaryPath, "utf8"),
    outputs: parseOutputs(await readFile(outputPath, "utf8")),
  };
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join("\n");
  }
  return out;
}
