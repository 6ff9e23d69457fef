// Preloaded with `node --import` by test/cli/lazy-start.test.ts: appends the URL of every module
// the process resolves to the file named by SOC2_LOAD_LOG, so a test can tell what a command
// loaded without timing it.
import { register } from "node:module";

const hooks = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.SOC2_LOAD_LOG ?? "/dev/null")}, resolved.url + "\\n");
  return resolved;
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
