import { randomUUID } from "node:crypto";
import { signature } from "../../demo/deliver.js";
import type { Clock } from "../state/clock.js";

/** One attempt to deliver a webhook to the App, as `GET /app/hook/deliveries` lists it. */
export interface HookAttempt {
  id: number;
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  /** Seconds. */
  duration: number;
  /** "OK", "Invalid HTTP Response: 503", "failed to connect to host", "timed out". */
  status: string;
  /** The App's answer; 0 when it could not be reached in time. */
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** The exact bytes sent: a redelivery sends them again. */
  body: string;
}

/** GitHub gives the App this long to answer (github.com: 10 s). */
const TIMEOUT_MS = 10_000;

/**
 * The App's webhook as GitHub runs it: signs and sends deliveries to `url`, and keeps a log of
 * every attempt with the status code the App answered, which the deliveries API serves and
 * redelivers from. Tests send deliveries through it so that a failure is remembered as GitHub
 * would remember it (`gh.state.hooks.send(event, payload)`).
 */
export class HookDeliveries {
  /** The webhook URL and secret of the App's settings; change `url` to move the App. */
  url: string | undefined;
  secret: string | undefined;
  /** Every completed attempt, oldest first. */
  readonly attempts: HookAttempt[] = [];
  private readonly inFlight = new Set<Promise<HookAttempt>>();

  constructor(
    private readonly clock: Clock,
    private readonly nextId: () => number,
  ) {}

  /** Points the webhook at the App. */
  configure(options: { url: string; secret: string }): void {
    this.url = options.url;
    this.secret = options.secret;
  }

  /**
   * Delivers an event to the App: a new guid, or `guid` to send an event GitHub already sent
   * (then it counts as a redelivery). Resolves with the attempt once the App answered (or not).
   */
  send(
    event: string,
    payload: Record<string, unknown>,
    options: { guid?: string } = {},
  ): Promise<HookAttempt> {
    const guid = options.guid ?? randomUUID();
    const redelivery = this.attempts.some((a) => a.guid === guid);
    return this.track(this.attempt(guid, event, JSON.stringify(payload), redelivery));
  }

  /** `POST /app/hook/deliveries/{id}/attempts`: the same body and guid again, as a new attempt. */
  redeliver(id: number): Promise<HookAttempt> | undefined {
    const original = this.attempts.find((a) => a.id === id);
    if (!original) return undefined;
    return this.track(this.attempt(original.guid, original.event, original.body, true));
  }

  /** Resolves once every delivery sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<HookAttempt>): Promise<HookAttempt> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }

  private async attempt(
    guid: string,
    event: string,
    body: string,
    redelivery: boolean,
  ): Promise<HookAttempt> {
    const { url, secret } = this;
    if (url === undefined || secret === undefined)
      throw new Error(
        "the App's webhook is not configured: call gh.state.hooks.configure({ url, secret })",
      );
    const id = this.nextId();
    const deliveredAt = this.clock.current();
    const parsed = JSON.parse(body) as {
      action?: unknown;
      installation?: { id?: unknown };
      repository?: { id?: unknown };
    };
    const started = performance.now();
    let statusCode = 0;
    let status: string;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/stand-in",
          "x-github-event": event,
          "x-github-delivery": guid,
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-hub-signature-256": signature(secret, body),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      statusCode = response.status;
      status =
        statusCode >= 200 && statusCode < 300 ? "OK" : `Invalid HTTP Response: ${statusCode}`;
    } catch (error) {
      status = (error as Error).name === "TimeoutError" ? "timed out" : "failed to connect to host";
    }
    const attempt: HookAttempt = {
      id,
      guid,
      deliveredAt,
      redelivery,
      duration: Math.round(performance.now() - started) / 1000,
      status,
      statusCode,
      event,
      action: typeof parsed.action === "string" ? parsed.action : null,
      installationId: numberOrNull(parsed.installation?.id),
      repositoryId: numberOrNull(parsed.repository?.id),
      body,
    };
    // Listed once answered, in the order of the attempts' ids.
    this.attempts.push(attempt);
    this.attempts.sort((a, b) => a.id - b.id);
    return attempt;
  }
}

const numberOrNull = (value: unknown) => (typeof value === "number" ? value : null);
