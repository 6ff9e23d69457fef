// The Action's entry point: everything happens in run(), which handles its own errors.
import { run } from "./main.js";

await run();
