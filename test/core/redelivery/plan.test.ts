import { describe, expect, it } from "vitest";
import {
  failedDeliveries,
  nextCheckpoint,
  pendingAfterScan,
  planRedeliveries,
  reachedCutoff,
  scanCutoff,
  unexpired,
  type DeliveryAttempt,
} from "../../../src/core/redelivery/plan.js";

const at = (minute: number) => new Date(Date.UTC(2040, 0, 1, 10, minute)).toISOString();

function attempt(
  id: number,
  guid: string,
  minute: number,
  statusCode: number,
  redelivery = false,
): DeliveryAttempt {
  return {
    id,
    guid,
    deliveredAt: at(minute),
    redelivery,
    statusCode,
    event: "pull_request",
    action: "closed",
  };
}

const none = { inQueue: new Set<string>(), pending: [], limit: 10, maxRedeliveries: 5 };

describe("failedDeliveries", () => {
  it("keeps guids none of whose attempts got a 2xx, oldest event first, naming the newest attempt", () => {
    const failed = failedDeliveries(
      [
        attempt(6, "c", 6, 0),
        attempt(5, "a", 5, 503, true),
        attempt(4, "b", 4, 202),
        attempt(3, "b", 3, 503),
        attempt(2, "a", 2, 0),
        attempt(1, "d", 1, 400),
      ],
      undefined,
    );
    expect(failed.map((c) => [c.guid, c.attemptId, c.failedRedeliveries])).toEqual([
      ["d", 1, 0],
      ["a", 5, 1],
      ["c", 6, 0],
    ]);
    expect(failed[1]!.firstDeliveredAt).toBe(at(2));
  });

  it("counts 3xx as failed (the App only answers 2xx once the delivery is stored)", () => {
    expect(failedDeliveries([attempt(1, "a", 1, 302)], undefined)).toHaveLength(1);
  });

  it("leaves out guids whose newest attempt is older than the cutoff", () => {
    const failed = failedDeliveries(
      [attempt(3, "new", 30, 0), attempt(2, "old", 5, 0), attempt(1, "seen-late", 4, 0)],
      Date.parse(at(20)),
    );
    expect(failed.map((c) => c.guid)).toEqual(["new"]);
  });

  it("sees a success older than the cutoff: the guid was delivered", () => {
    const failed = failedDeliveries(
      [attempt(2, "a", 30, 0, true), attempt(1, "a", 5, 200)],
      Date.parse(at(20)),
    );
    expect(failed).toEqual([]);
  });
});

describe("planRedeliveries", () => {
  const failed = failedDeliveries(
    [attempt(1, "a", 1, 0), attempt(2, "b", 2, 0), attempt(3, "c", 3, 0), attempt(4, "d", 4, 0)],
    undefined,
  );

  it("redelivers every failed guid the queue does not hold", () => {
    const plan = planRedeliveries(failed, { ...none, inQueue: new Set(["b"]) });
    expect(plan.redeliver.map((c) => c.guid)).toEqual(["a", "c", "d"]);
    expect(plan.alreadyQueued).toBe(1);
  });

  it("asks for at most `limit` and defers the rest to the next scan", () => {
    const plan = planRedeliveries(failed, { ...none, limit: 2 });
    expect(plan.redeliver.map((c) => c.guid)).toEqual(["a", "b"]);
    expect(plan.deferred.map((c) => c.guid)).toEqual(["c", "d"]);
  });

  it("waits for a redelivery asked for earlier until a newer attempt shows up", () => {
    const pending = [
      { guid: "a", attemptId: 1, at: at(5) },
      { guid: "b", attemptId: 1, at: at(5) },
    ];
    const plan = planRedeliveries(failed, { ...none, pending });
    expect(plan.awaiting.map((c) => c.guid)).toEqual(["a"]);
    // b's newest attempt (2) is newer than the one asked for (1): that redelivery failed too.
    expect(plan.redeliver.map((c) => c.guid)).toEqual(["b", "c", "d"]);
  });

  it("gives up a guid the App refused after maxRedeliveries redeliveries", () => {
    const refused = failedDeliveries(
      [1, 2, 3].map((n) => attempt(n, "x", n, 400, n > 1)),
      undefined,
    );
    const plan = planRedeliveries(refused, { ...none, maxRedeliveries: 2 });
    expect(plan.gaveUp.map((c) => c.guid)).toEqual(["x"]);
    expect(plan.redeliver).toEqual([]);
  });
});

describe("the checkpoint", () => {
  const examined = [attempt(3, "c", 30, 202), attempt(2, "b", 20, 0), attempt(1, "a", 10, 202)];

  it("starts a scan an overlap before the checkpoint, or at the beginning", () => {
    expect(scanCutoff(at(30), 5 * 60_000)).toBe(Date.parse(at(25)));
    expect(scanCutoff(undefined, 60_000)).toBeUndefined();
  });

  it("stops paging at the first page reaching past the cutoff", () => {
    expect(reachedCutoff(examined, Date.parse(at(15)))).toBe(true);
    expect(reachedCutoff(examined, Date.parse(at(5)))).toBe(false);
    expect(reachedCutoff(examined, undefined)).toBe(false);
  });

  it("moves to the newest attempt seen when everything was examined and resolved", () => {
    expect(nextCheckpoint({ previous: at(1), complete: true, examined, unresolved: [] })).toBe(
      at(30),
    );
  });

  it("does not move when paging stopped before the cutoff", () => {
    expect(nextCheckpoint({ previous: at(1), complete: false, examined, unresolved: [] })).toBe(
      at(1),
    );
  });

  it("stops at the oldest unresolved delivery, never going backwards", () => {
    const unresolved = failedDeliveries([attempt(2, "b", 20, 0)], undefined);
    expect(nextCheckpoint({ previous: at(1), complete: true, examined, unresolved })).toBe(at(20));
    expect(nextCheckpoint({ previous: at(25), complete: true, examined, unresolved })).toBe(at(25));
  });

  it("stays where it was when GitHub lists nothing", () => {
    expect(nextCheckpoint({ previous: at(1), complete: true, examined: [], unresolved: [] })).toBe(
      at(1),
    );
    expect(
      nextCheckpoint({ previous: undefined, complete: true, examined: [], unresolved: [] }),
    ).toBeUndefined();
  });
});

describe("pending requests", () => {
  it("expire, so that a redelivery GitHub never made is asked for again", () => {
    const pending = [
      { guid: "a", attemptId: 1, at: at(0) },
      { guid: "b", attemptId: 2, at: at(50) },
    ];
    expect(unexpired(pending, new Date(at(59)), 30 * 60_000).map((p) => p.guid)).toEqual(["b"]);
  });

  it("are kept while awaited, with this scan's requests added", () => {
    const active = [
      { guid: "a", attemptId: 1, at: at(0) },
      { guid: "b", attemptId: 2, at: at(0) },
    ];
    const awaiting = failedDeliveries([attempt(1, "a", 1, 0)], undefined);
    const requested = [{ guid: "c", attemptId: 3, at: at(1) }];
    expect(pendingAfterScan(active, { awaiting }, requested).map((p) => p.guid)).toEqual([
      "a",
      "c",
    ]);
  });
});
