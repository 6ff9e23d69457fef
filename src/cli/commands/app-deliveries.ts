import { existsSync } from "node:fs";
import { readQueueConfig } from "../../../app/queue-config.js";
import type { DeliveryQueue, DeliveryState } from "../../../app/intake/delivery.js";
import { escapeControl } from "../../core/diagnostics.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";

export interface QueueOptions {
  databaseUrl?: string;
  queueDir?: string;
}

/**
 * The App's delivery queue as its settings name it (DATABASE_URL, else DELIVERY_QUEUE_DIR, read
 * from the environment and ./.env like `npm start`), opened beside the running App.
 */
async function openOperatorQueue(options: QueueOptions, io: Output): Promise<DeliveryQueue> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.queueDir) {
    env.DELIVERY_QUEUE_DIR = options.queueDir;
    if (!options.databaseUrl) delete env.DATABASE_URL;
  }
  const problems: string[] = [];
  const config = readQueueConfig((name) => env[name]?.trim() ?? "", problems);
  if (problems.length > 0) throw new UsageError(problems.join("; "));
  const { openQueue } = await import("../../../app/intake/open-queue.js");
  try {
    return await openQueue(config, () => clockOf(io), { operator: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0]! : String(error));
  }
}

const STATES = ["queued", "done", "dead"] as const;

/** `soc2 app deliveries`: where each delivery stands; --failed lists the dead-lettered ones. */
export async function deliveriesCommand(
  options: QueueOptions & { failed?: boolean; state?: string; format: string; limit?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.state !== undefined && !(STATES as readonly string[]).includes(options.state))
    throw new UsageError(`--state "${options.state}" is not one of ${STATES.join(", ")}`);
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError(`--limit "${options.limit}" is not a positive whole number`);
  const state = (options.failed ? "dead" : options.state) as DeliveryState | undefined;
  const queue = await openOperatorQueue(options, io);
  try {
    const list = await queue.list({ ...(state ? { state } : {}), ...(limit ? { limit } : {}) });
    if (format === "json")
      io.out(JSON.stringify({ queue: queue.kind, deliveries: list }, null, 2) + "\n");
    else if (list.length === 0) io.out(`no ${state ?? ""}${state ? " " : ""}deliveries\n`);
    else
      for (const d of list)
        io.out(
          `${d.id}  ${d.event}  ${d.state}  attempts ${d.attempts}  received ${d.receivedAt}` +
            (d.state === "queued" && d.attempts > 0 ? `  next ${d.notBefore}` : "") +
            (d.lastError ? `\n    ${escapeControl(d.lastError)}` : "") +
            (d.outcome ? `\n    ${escapeControl(d.outcome)}` : "") +
            "\n",
        );
    return options.failed && list.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    await queue.close();
  }
}

/** `soc2 app replay <id…>`: queues dead-lettered deliveries again, with fresh attempts. */
export async function replayCommand(
  ids: string[],
  options: QueueOptions & { allFailed?: boolean },
  io: Output,
): Promise<number> {
  if (ids.length === 0 && !options.allFailed)
    throw new UsageError("name the deliveries to replay, or pass --all-failed");
  const queue = await openOperatorQueue(options, io);
  let problems = 0;
  try {
    const targets = options.allFailed
      ? (await queue.list({ state: "dead" })).map((d) => d.id)
      : ids;
    for (const id of targets) {
      const result = await queue.replay(id, clockOf(io));
      if (result === "requeued") io.out(`${id}: queued again\n`);
      else {
        problems++;
        io.err(
          `soc2 app replay: ${escapeControl(id)}: ${result === "unknown" ? "no such delivery in the queue" : "it is not dead-lettered (only failed deliveries are replayed)"}\n`,
        );
      }
    }
    if (targets.length === 0) io.out("no failed deliveries\n");
  } finally {
    await queue.close();
  }
  return problems > 0 ? EXIT.findings : EXIT.ok;
}
