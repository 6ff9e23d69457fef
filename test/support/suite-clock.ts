/**
 * Where the suite's clock starts (test/support/fake-clock.mjs): a far-away date, so that a test
 * that depends on today's date fails today. Override with SOC2_TEST_CLOCK to try another one
 * (a year's last day, a leap day).
 */
export const DEFAULT_SUITE_CLOCK_START = "2041-02-26T10:00:00Z";
