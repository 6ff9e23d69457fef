/**
 * The one place that reads the system clock. Everything else takes the time as an argument (the
 * core) or a `now` function (adapters, the App, the CLI, the demo), so that tests can run on any
 * date: a lint rule keeps `new Date()` and `Date.now()` out of the rest of the code.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
