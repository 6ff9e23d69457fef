import type { StandInState } from "../state/state.js";

/**
 * What serializers need: the API base the request came in on (so every `url` field points back
 * at the stand-in, with or without the "/api/v3" prefix) and the web base for `html_url`s.
 */
export interface SerializeContext {
  state: StandInState;
  api: string;
  web: string;
}

/** A GitHub-style global node id. */
export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");
}
