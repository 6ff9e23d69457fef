import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../src/adapters/clock.js";
import { firstLine } from "../handlers/record.js";
import { DELIVERY_ID, EVENT_NAME, type DeliveryQueue } from "./delivery.js";

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface IntakeLogLine {
  level: "debug" | "warn" | "error";
  deliveryId?: string;
  event?: string;
  outcome: "queued" | "duplicate" | "requeued" | "rejected" | "unavailable";
  detail: string;
}

export interface IntakeOptions {
  secret: string;
  queue: DeliveryQueue;
  now: Clock;
  /** A delivery was queued: wake the workers. */
  onQueued: () => void;
  log: (line: IntakeLogLine) => void;
}

/**
 * The webhook endpoint: checks X-Hub-Signature-256 over the exact bytes received, stores the
 * delivery durably, and only then answers 2xx. A delivery that cannot be stored is answered 503,
 * so that GitHub shows it as failed and it can be redelivered (by an operator, or by the
 * reconciler); nothing is acknowledged that could still be lost. Logs never carry the payload.
 */
export class WebhookIntake {
  private closing = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: IntakeOptions) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const work = this.receive(req, res).catch((error: unknown) => {
      this.options.log({
        level: "error",
        outcome: "unavailable",
        detail: `the webhook endpoint failed: ${firstLine(error)}`,
      });
      if (!res.headersSent) answer(res, 500, "internal error");
    });
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Refuses new deliveries (503) and waits for those being stored. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.pending]);
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const id = header("x-github-delivery") ?? "";
    const event = header("x-github-event") ?? "";
    const reject = (status: number, detail: string) => {
      this.options.log({
        level: "warn",
        ...(DELIVERY_ID.test(id) ? { deliveryId: id } : {}),
        ...(EVENT_NAME.test(event) ? { event } : {}),
        outcome: "rejected",
        detail,
      });
      answer(res, status, detail);
    };
    if (req.method !== "POST") {
      req.resume();
      return reject(405, "webhooks are POSTed");
    }
    if (this.closing) {
      req.resume();
      return reject(503, "shutting down: redeliver later");
    }
    const body = await readBody(req);
    if (body === "too-large") {
      // The rest of the body is not read: close the connection once the answer is out.
      res.setHeader("connection", "close");
      res.once("finish", () => req.destroy());
      return reject(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    if (!DELIVERY_ID.test(id))
      return reject(400, "X-GitHub-Delivery is missing or not a delivery id");
    if (!EVENT_NAME.test(event))
      return reject(400, "X-GitHub-Event is missing or not an event name");
    if (!validSignature(this.options.secret, body, header("x-hub-signature-256")))
      return reject(
        400,
        "X-Hub-Signature-256 is missing or does not match: check that WEBHOOK_SECRET is the GitHub App's webhook secret",
      );
    let result;
    try {
      result = await this.options.queue.enqueue({
        id,
        event,
        body: body.toString("utf8"),
        receivedAt: this.options.now(),
      });
    } catch (error) {
      this.options.log({
        level: "error",
        deliveryId: id,
        event,
        outcome: "unavailable",
        detail: `could not queue the delivery: ${firstLine(error)}`,
      });
      return answer(res, 503, "the delivery could not be stored: redeliver it later");
    }
    this.options.log({ level: "debug", deliveryId: id, event, outcome: result, detail: result });
    if (result !== "duplicate") this.options.onQueued();
    answer(res, result === "duplicate" ? 200 : 202, result);
  }
}

function validSignature(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature?.startsWith("sha256=")) return false;
  const given = Buffer.from(signature.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body, or "too-large" as soon as it passes the limit (the rest is not read). */
function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        resolve("too-large");
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${text}\n`);
}
