// Preloaded (node --import) into every process of the test run, vitest's workers and the CLIs and
// servers the tests start, so that no test can depend on the day it runs: the clock reads a
// far-away date that moves at the real pace. One offset, set once for the whole run, keeps the
// processes in agreement. vitest.config.ts sets the two variables.
const fakeStart = process.env.SOC2_TEST_CLOCK;
const realOrigin = Number(process.env.SOC2_TEST_CLOCK_ORIGIN);

if (fakeStart) {
  const start = Date.parse(fakeStart);
  if (Number.isNaN(start) || !Number.isFinite(realOrigin))
    throw new Error(
      `SOC2_TEST_CLOCK="${fakeStart}" with SOC2_TEST_CLOCK_ORIGIN="${process.env.SOC2_TEST_CLOCK_ORIGIN}": give an ISO date and the real epoch milliseconds it stands for`,
    );
  const RealDate = globalThis.Date;
  const offset = start - realOrigin;
  const now = () => RealDate.now() + offset;
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
  }
  // `Date()` called without `new` returns the current time as a string.
  globalThis.Date = new Proxy(FakeDate, {
    apply: () => new FakeDate().toString(),
  });
}
