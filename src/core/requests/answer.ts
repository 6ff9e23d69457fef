import { isMap, parseDocument } from "yaml";
import { requestText, styleRequest } from "./yaml-style.js";
import { asList, asObject, asString, asStrings } from "../json-read.js";

export interface AnswerInput {
  /** Controls to add to the answer. */
  controls: readonly string[];
  /** Evidence files to add to the answer (paths from the repository root). */
  evidence: readonly string[];
  note?: string;
  answeredBy?: string;
  /** The day it is answered, YYYY-MM-DD. */
  answeredOn: string;
  /** The digest of each evidence file now (of the answer's old and new files); undefined: no such file. */
  digestOf: (path: string) => string | undefined;
}

export type AnswerResult =
  | { ok: true; text: string; evidence: Array<{ path: string; digest: string }> }
  | { ok: false; problem: string };

/**
 * Answers a request file: adds the controls and evidence, records who and when, sets status:
 * answered and freezes the digest of every evidence file of the answer (the old ones too, so
 * answering again after a change re-freezes). The rest of the file, comments included, stays.
 */
export function answerRequest(text: string, input: AnswerInput): AnswerResult {
  const doc = parseDocument(text, { schema: "core" });
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return { ok: false, problem: "the request file is not a YAML mapping: run soc2 validate" };
  const old = asObject(asObject(doc.toJSON()).answer);
  const controls = [...new Set([...asStrings(old.controls), ...input.controls])];
  const paths = [
    ...new Set([
      ...asList(old.evidence).flatMap((e) => asString(asObject(e).path) ?? []),
      ...input.evidence,
    ]),
  ];
  const evidence: Array<{ path: string; digest: string }> = [];
  for (const path of paths) {
    const digest = input.digestOf(path);
    if (digest === undefined)
      return {
        ok: false,
        problem: `${path} is not a readable file of the repository: give evidence paths from the repository root`,
      };
    evidence.push({ path, digest });
  }
  const note = input.note ?? asString(old.note);
  if (controls.length === 0 && evidence.length === 0 && note === undefined)
    return {
      ok: false,
      problem: "nothing answers it: pass --control, --evidence or --note (or --accept-suggested)",
    };
  const answeredBy = input.answeredBy ?? asString(old.answered_by);
  doc.set("status", "answered");
  doc.set(
    "answer",
    doc.createNode({
      ...(controls.length > 0 ? { controls } : {}),
      ...(evidence.length > 0 ? { evidence } : {}),
      ...(note === undefined ? {} : { note }),
      answered_on: input.answeredOn,
      ...(answeredBy === undefined ? {} : { answered_by: answeredBy }),
    }),
  );
  styleRequest(doc);
  return {
    ok: true,
    text: requestText(doc),
    evidence,
  };
}
