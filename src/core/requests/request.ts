import { asList, asObject, asString, asStrings } from "../json-read.js";
import type { LoadedFile } from "../source-file.js";

/** One evidence file an answer points at, with the digest it had when the request was answered. */
export interface AnswerEvidence {
  path: string;
  /** sha256:<hex> of the file's bytes when it was answered; undefined when the file has none yet. */
  frozen?: string;
  /** sha256:<hex> of the file's bytes now; null when the repository has no readable file there. */
  now?: string | null;
}

/** An item of an auditor's request list, as audit/<period>/requests/<id>.yaml holds it. */
export interface AuditRequest {
  file: LoadedFile;
  /** The audit period: the folder under audit/. */
  period: string;
  id?: string;
  reference?: string;
  description: string;
  criteria: string[];
  due?: string;
  sample?: boolean;
  status: "open" | "answered";
  suggested: { controls: string[]; policies: string[] };
  answer?: {
    controls: string[];
    evidence: AnswerEvidence[];
    note?: string;
    answeredOn?: string;
    answeredBy?: string;
  };
}

/** The period folder of a request file path (audit/<period>/requests/<id>.yaml). */
export function periodOfPath(path: string): string {
  return path.split("/")[1] ?? "";
}

/** The request ID a request file's name gives (audit/<period>/requests/<id>.yaml). */
export function idOfPath(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.ya?ml$/i, "");
}

/** Reads a request file leniently: a file with a schema error still contributes what is readable. */
export function readRequest(file: LoadedFile): AuditRequest {
  const raw = asObject(file.parsed.value);
  const suggested = asObject(raw.suggested);
  const answer = raw.answer === undefined ? undefined : asObject(raw.answer);
  const text = (v: unknown, key: string) => {
    const s = asString(v);
    return s === undefined ? {} : { [key]: s };
  };
  return {
    file,
    period: periodOfPath(file.path),
    ...text(raw.id, "id"),
    ...text(raw.reference, "reference"),
    description: asString(raw.description) ?? "",
    criteria: asStrings(raw.criteria),
    ...text(raw.due, "due"),
    ...(typeof raw.sample === "boolean" ? { sample: raw.sample } : {}),
    status: raw.status === "answered" ? "answered" : "open",
    suggested: { controls: asStrings(suggested.controls), policies: asStrings(suggested.policies) },
    ...(answer
      ? {
          answer: {
            controls: asStrings(answer.controls),
            evidence: asList(answer.evidence).flatMap((e) => {
              const o = asObject(e);
              const path = asString(o.path);
              if (path === undefined) return [];
              const frozen = asString(o.digest);
              return [frozen === undefined ? { path } : { path, frozen }];
            }),
            ...text(answer.note, "note"),
            ...text(answer.answered_on, "answeredOn"),
            ...text(answer.answered_by, "answeredBy"),
          },
        }
      : {}),
  };
}
