import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { simpleGit } from "simple-git";
import { startServer } from "../../../app/server.js";
import { readEvidenceChain } from "../../adapters/evidence/read-chain.js";
import { readRepository } from "../../adapters/read-repository.js";
import { readTemplates } from "../../adapters/read-templates.js";
import { isEmptyDir, writePlannedFiles } from "../../adapters/write-files.js";
import { countBySeverity, formatDiagnostic } from "../../core/diagnostics.js";
import { verifyChain } from "../../core/evidence/verify-chain.js";
import { planRepository } from "../../core/init-plan.js";
import { validateRepository } from "../../core/validate.js";
import { startGitHubStandIn } from "../github-stand-in/index.js";
import { deliver } from "./deliver.js";
import { describeRecords, type DemoRecords } from "./describe-records.js";
import { playRequests } from "./requests.js";
import {
  DEMO_ISSUES_REPOSITORY,
  playMonitoring,
  type MonitoringOutcome,
} from "./monitoring-act.js";
import { playStory } from "./story.js";
import { portalCommand } from "../../cli/commands/portal.js";
import { systemClock, type Clock } from "../../adapters/clock.js";

export interface DemoOptions {
  /** The evidence repository to create (a new or empty folder); default: a new temporary folder. */
  dir?: string;
  out: (text: string) => void;
  /** The clock the story, the App and the checks run on (default: the system clock). */
  now?: Clock;
  /**
   * After the change story, the monitoring loop: snapshot, drift, drift issue, fix (`soc2 demo`
   * plays it; tests that use the demo's change records as a fixture leave it out).
   */
  monitoring?: boolean;
  /** Build the portal of the evidence repository beside it, in <dir>-site (`soc2 demo` does). */
  portal?: boolean;
}

export class DemoError extends Error {
  override name = "DemoError";
}

/**
 * The README's main job, with no GitHub account: starts the App's real webhook server and a
 * loopback stand-in for the GitHub API, plays a story of pull requests through signed webhook
 * deliveries, and leaves the evidence in a local git repository that passes `soc2 validate`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRecords> {
  const { out } = options;
  const now = options.now ?? systemClock;
  const dir = resolve(options.dir ?? (await mkdtemp(join(tmpdir(), "soc2-demo-"))));
  if (!(await isEmptyDir(dir)))
    throw new DemoError(`${dir} is not empty: pass --dir with a new or empty folder`);

  // The evidence repository is a compliance repository (soc2 init), so its records validate
  // against real controls.
  const planned = planRepository(await readTemplates(), {
    categories: ["security"],
    organization: "Acme Cloud, Inc.",
    date: now().toISOString().slice(0, 10),
  });
  await writePlannedFiles(
    dir,
    planned.map((f) =>
      f.path === "soc2.yml"
        ? { ...f, content: describeDemoSystem(f.content, options.monitoring === true) }
        : (options.monitoring ? DEMO_CONTROLS : DEMO_CONTROLS.slice(0, 1)).includes(f.path)
          ? { ...f, content: f.content.replace(/^status: planned$/m, "status: implemented") }
          : f,
    ),
  );
  const git = simpleGit(dir);
  await git.init(["-b", "main"]);
  await git
    .addConfig("user.name", "soc2 demo")
    .addConfig("user.email", "demo@localhost")
    .addConfig("commit.gpgsign", "false");
  await git.add(".").commit("chore: scaffold the compliance repository (soc2 init)");

  let monitoring: MonitoringOutcome | undefined;
  const queueDir = await mkdtemp(join(tmpdir(), "soc2-demo-deliveries-"));
  const gh = await startGitHubStandIn({
    storyStart: new Date(now().getTime() - 3 * 3_600_000).toISOString(),
    now,
  });
  const secret = randomBytes(24).toString("hex");
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const app = await startServer({
    env: {
      NODE_ENV: "development",
      APP_ID: String(gh.state.app.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      EVIDENCE_GIT_DIR: dir,
      EVIDENCE_BRANCH: "main",
      EVIDENCE_PATH: "evidence",
      EVIDENCE_GIT_AUTHOR_NAME: "soc2-as-code App (demo)",
      EVIDENCE_GIT_AUTHOR_EMAIL: "app@localhost",
      // The App's durable delivery queue: beside the evidence repository, not in it.
      DELIVERY_QUEUE_DIR: queueDir,
      DELIVERY_RETRY_BASE_MS: "200",
      // Monitoring runs when the demo says (RunningApp.monitor); a deployment sets
      // MONITOR_INTERVAL_MS instead. soc2.yml is read from the evidence repository itself.
      MONITOR_ISSUES_REPOSITORY: DEMO_ISSUES_REPOSITORY,
    },
    pullLookupDelaysMs: [],
    now,
  });
  try {
    out(
      `soc2-as-code demo\n\n` +
        `  The App's real webhook server:      ${app.webhookUrl}\n` +
        `  The GitHub API: a loopback stand-in ${gh.url}  (not GitHub: a local imitation, no account needed)\n` +
        `  The evidence repository (git):      ${dir}\n\n` +
        `Signed webhook deliveries, as GitHub would send them:\n`,
    );
    const story = playStory(gh);
    let next = await story.next();
    for (; !next.done; next = await story.next()) {
      const { says, delivery } = next.value;
      const result = await deliver(app.webhookUrl, secret, delivery);
      out(
        `  ${result.status < 300 ? "✓" : "✗"} ${says}  [${delivery.event}, HTTP ${result.status}]\n`,
      );
      if (result.status >= 300)
        throw new DemoError(
          `the App answered ${result.status} to the ${delivery.event} delivery ${delivery.id}`,
        );
      // The App answers once the delivery is queued; the story goes on once it is handled, as
      // it would on GitHub, where people take longer than the App.
      await app.settled();
    }
    const dead = await app.queue.list({ state: "dead" });
    if (dead.length > 0)
      throw new DemoError(
        `the App could not handle ${dead.length} deliveries: ${dead.map((d) => `${d.id} (${d.lastError ?? "unknown"})`).join("; ")}`,
      );
    if (options.monitoring)
      monitoring = await playMonitoring({
        gh,
        app,
        repository: next.value.repository,
        people: next.value.people,
        now,
        out,
      });
  } finally {
    await app.close();
    await gh.close();
    await rm(queueDir, { recursive: true, force: true });
  }

  const { diagnostics, repository } = validateRepository(await readRepository(dir), { now: now() });
  const chain = verifyChain(await readEvidenceChain(dir, { evidencePath: "evidence" }));
  const records = describeRecords(repository.evidence);
  const { errors, warnings } = countBySeverity(diagnostics);
  out(
    `\nWhat the App recorded (${repository.evidence.length} records, one commit each):\n\n${records.text}\n`,
  );
  out(`soc2 validate ${dir}: ${errors} error(s), ${warnings} warning(s)\n`);
  for (const d of diagnostics) out(`  ${formatDiagnostic(d)}\n`);
  out(
    `hash chain: ${chain.chained} record(s), ${chain.ok ? "intact" : `${chain.findings.length} problem(s)`}\n`,
  );
  if (errors > 0 || !chain.ok)
    throw new DemoError(`the evidence repository in ${dir} did not validate`);
  const changeRecord = repository.evidence.find(
    (r) => r.kind === "change-record" && r.file.path.endsWith("/pr-1.yml"),
  );
  if (changeRecord)
    await playRequests(dir, git, { now, out, changeRecord: changeRecord.file.path });
  const site = options.portal ? `${dir}-site` : undefined;
  const portal = site === undefined ? "not asked for" : await buildDemoPortal(dir, site, now);
  if (site !== undefined)
    out(portal === 0 ? `portal: ${site}/index.html\n` : `portal: not built (${portal})\n`);
  out(
    `\nWhere to look:\n` +
      `  cd ${dir} && git log --stat        one commit per record, with its digest and delivery id\n` +
      `  ${dir}/evidence/changes/           change records: who changed what, who approved which commit, the verdict\n` +
      (monitoring
        ? `  ${dir}/evidence/settings-snapshots/ GitHub's settings, as the App snapshot them\n` +
          `  ${dir}/evidence/drift/              the drift issue the App opened, and closed once fixed\n` +
          `  npx soc2 drift ${dir}                   the drift verdict, re-derived from the snapshots\n`
        : "") +
      `  ${dir}/evidence/chain-head.json    the head of the hash chain that links every record\n` +
      `  npx soc2 validate ${dir}\n` +
      `\nThen audit it as an auditor would:\n` +
      `  npx soc2 verify ${dir}                          every record untouched, the chain intact\n` +
      `  npx soc2 population ${dir} --from <date> --to <date> --format csv\n` +
      `  npx soc2 sample ${dir} --seed 7 --size 2 --out ${dir}-sample\n` +
      `  npx soc2 requests status ${dir}                 the auditor's request list: open, answered, overdue\n` +
      (portal === 0
        ? `  open ${site}/index.html          the portal: controls, their evidence, the drift events, the requests\n`
        : `  npx soc2 portal ${dir} --out ${dir}-site        then open ${dir}-site/index.html (and requests.html)\n`),
  );
  const problems = [...records.problems, ...(monitoring?.problems ?? [])];
  if (problems.length > 0) throw new DemoError(problems.join("; "));
  return { ...records, ...(portal === 0 && site !== undefined ? { site } : {}) };
}

/**
 * The controls the demo operates (pull-request approval, recorded by the App; branch protection,
 * snapshot by the App's monitoring): the demo company declares them implemented; every other
 * scaffolded control stays planned.
 */
const DEMO_CONTROLS = [
  "controls/security/chg-01-pull-request-approval.yml",
  "controls/security/chg-02-branch-protection-snapshot.yml",
];

/** Builds the portal of the evidence repository as `soc2 portal` does; 0, or why it was not built. */
async function buildDemoPortal(dir: string, site: string, now: Clock): Promise<number | string> {
  let problems = "";
  try {
    const code = await portalCommand(
      dir,
      { out: site },
      { out: () => {}, err: (t) => void (problems += t), color: false, now },
    );
    return code === 0 ? 0 : problems.trim() || `exit ${code}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Who holds each owner role at the demo company. */
const DEMO_PEOPLE: Record<string, string> = {
  ceo: "Dana Whitfield",
  "security-lead": "Sam Okafor",
  "engineering-lead": "Priya Raman",
  "it-lead": "Lee Morgan",
  "people-lead": "Jordan Alvarez",
  "privacy-officer": "Sam Okafor",
};

/** Fills the placeholders soc2 init leaves in soc2.yml with the demo company's system and people. */
function describeDemoSystem(program: string, monitored: boolean): string {
  const answers: Array<[RegExp, string]> = [
    [/TODO the name of the product or service the report covers/, "Acme Web"],
    [
      /TODO What the system does, for whom, and how customers use it\./,
      "Acme Web lets small businesses schedule staff and export payroll data.",
    ],
    [
      /TODO cloud accounts, networks, managed services/,
      "A managed cloud account with a container platform and a managed database",
    ],
    [/TODO applications, services and pipelines/, "The acme/web application and its CI pipeline"],
    [/TODO teams that build and run the system/, "The engineering team"],
    [
      /TODO kinds of customer data the system stores or processes/,
      "Customer staff schedules and time records",
    ],
    [/repositories: \[\]/, "repositories: [acme/web]"],
    // The organization monitoring snapshots (organization.github).
    ...(monitored
      ? [
          [/^organization:\n {2}name: (.*)$/m, "organization:\n  name: $1\n  github: acme"] as [
            RegExp,
            string,
          ],
        ]
      : []),
  ];
  const described = answers.reduce(
    (text, [pattern, answer]) => text.replace(pattern, answer),
    program,
  );
  return described.replace(
    /^ {2}([a-z-]+):\n( {4}title: .*)$/gm,
    (whole, role: string, title: string) =>
      DEMO_PEOPLE[role] ? `  ${role}:\n${title}\n    name: ${DEMO_PEOPLE[role]}` : whole,
  );
}
