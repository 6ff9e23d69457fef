// `npm start`: serves the App. Settings come from the environment, and from ./.env when present.
import { existsSync } from "node:fs";
import { serve } from "./serve.js";

if (existsSync(".env")) process.loadEnvFile(".env");

const running = await serve(process.env, (line) => console.error(line));
if (typeof running === "number") process.exit(running);
const stop = () => void running.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
