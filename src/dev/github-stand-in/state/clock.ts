import { isoSeconds } from "../git/objects.js";

const MINUTE = 60_000;

/**
 * Time for builder events: a story clock that starts at a fixed moment and moves one minute per
 * event, so seeded data is deterministic. Writes through the API use `now` (real time by default).
 */
export class Clock {
  private cursor: number;

  constructor(
    start: string,
    readonly now: () => Date,
  ) {
    this.cursor = Date.parse(start);
  }

  /** The time of the next story event: `at` when given (the story continues after it). */
  stamp(at?: string): string {
    const time = at === undefined ? this.cursor : Date.parse(at);
    if (Number.isNaN(time)) throw new Error(`not a date: ${String(at)}`);
    this.cursor = Math.max(this.cursor, time + MINUTE);
    return isoSeconds(time);
  }

  /** The current real time as the API prints it. */
  current(): string {
    return isoSeconds(this.now());
  }
}
