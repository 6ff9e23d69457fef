/** The soc2-as-code version this CLI is: shown by --version and stamped on what it writes. */
export const VERSION = "0.1.0";
