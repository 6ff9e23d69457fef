import { Document, isMap, parseDocument } from "yaml";
import { diagnostic, FILE_START, type Diagnostic } from "../diagnostics.js";
import type { PlannedFile } from "../init-plan.js";
import type { Repository } from "../model.js";
import { SCHEMA_IDS } from "../schemas.js";
import { parseYaml } from "../yaml-source.js";
import type { ImportedRequest } from "./parse-list.js";
import { idOfPath } from "./request.js";
import { requestText, styleRequest } from "./yaml-style.js";

/** Where a period's requests live. */
export const requestsDir = (period: string) => `audit/${period}/requests`;

/**
 * A request file of the period as found on disk: its text, or why it could not be read. Every file
 * at a request's path is one of these, so the import never replaces a file it did not read.
 */
export type ExistingRequestFile =
  { path: string; text: string } | { path: string; problem: Diagnostic };

/** A file the import did not update because it could not read it, and where it is broken. */
export interface UnreadableRequestFile {
  path: string;
  problem: Diagnostic;
}

export interface ImportPlan {
  /** The files to write: new requests and changed ones. */
  files: PlannedFile[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Requests of the period that the list no longer has: kept, for a person to decide. */
  notInList: string[];
  /** Files of requests in the list that could not be read as a YAML mapping: left as they are. */
  unreadable: UnreadableRequestFile[];
}

/** What the import suggests answers a request: controls and policies mapping its criteria or named in it. */
export function suggestAnswers(
  request: Pick<ImportedRequest, "criteria" | "controls">,
  repo: Repository,
): { controls: string[]; policies: string[] } {
  const wanted = new Set(request.criteria);
  const controls = repo.controls
    .filter(
      (c) =>
        c.id !== undefined &&
        (request.controls.includes(c.id) || c.criteria.some((id) => wanted.has(id))),
    )
    .map((c) => c.id!);
  const policies = repo.policies
    .filter((p) => p.id !== undefined && p.criteria.some((id) => wanted.has(id)))
    .map((p) => p.id!);
  return { controls: [...new Set(controls)].sort(), policies: [...new Set(policies)].sort() };
}

const HEADER =
  `# yaml-language-server: $schema=${SCHEMA_IDS.request}\n` +
  "# Written by `soc2 requests import`, which updates what the auditor's list says on a re-import.\n" +
  "# status and answer are a person's: confirm the suggestion into answer (soc2 requests answer).\n";

/**
 * The files a (re-)import writes. The list owns what it says (description, criteria, due date,
 * sample, source) and the suggestion; a person owns status and answer, which a re-import never
 * touches. Comments a person added to a file stay. Requests the list no longer has are kept.
 */
export function planImport(
  requests: readonly ImportedRequest[],
  existing: readonly ExistingRequestFile[],
  repo: Repository,
  options: { period: string; sourceName: string },
): ImportPlan {
  const dir = requestsDir(options.period);
  const byId = new Map(existing.map((f) => [idOfPath(f.path).toLowerCase(), f]));
  const plan: ImportPlan = {
    files: [],
    created: [],
    updated: [],
    unchanged: [],
    notInList: [],
    unreadable: [],
  };
  const imported = new Set<string>();
  for (const request of requests) {
    imported.add(request.id.toLowerCase());
    const owned: Array<[string, unknown]> = [
      ["id", request.id],
      ["reference", request.reference],
      ["description", request.description],
      ["criteria", request.criteria.length > 0 ? request.criteria : undefined],
      ["due", request.due],
      ["sample", request.sample],
      ["source", { file: options.sourceName, line: request.line }],
    ];
    const suggested = suggestAnswers(request, repo);
    const suggestion = {
      ...(suggested.controls.length > 0 ? { controls: suggested.controls } : {}),
      ...(suggested.policies.length > 0 ? { policies: suggested.policies } : {}),
    };
    const old = byId.get(request.id.toLowerCase());
    // A file that cannot be merged into is left as it is: soc2 validate says what is wrong.
    if (old && "problem" in old) {
      plan.unreadable.push({ path: old.path, problem: old.problem });
      continue;
    }
    const oldDoc = old ? parseDocument(old.text, { schema: "core" }) : undefined;
    if (old && oldDoc && oldDoc.errors.length === 0 && isMap(oldDoc.contents)) {
      for (const [key, value] of owned) setOrDelete(oldDoc, key, value);
      if (!oldDoc.has("status")) oldDoc.set("status", "open");
      setOrDelete(oldDoc, "suggested", Object.keys(suggestion).length > 0 ? suggestion : undefined);
      styleRequest(oldDoc);
      const text = requestText(oldDoc);
      if (text === old.text) plan.unchanged.push(old.path);
      else {
        plan.files.push({ path: old.path, content: text });
        plan.updated.push(old.path);
      }
      continue;
    }
    if (old && oldDoc) {
      plan.unreadable.push({ path: old.path, problem: yamlProblem(old.path, old.text) });
      continue;
    }
    const doc = new Document(
      Object.fromEntries(
        [
          ...owned,
          ["status", "open"],
          ["suggested", Object.keys(suggestion).length > 0 ? suggestion : undefined],
        ].filter(([, v]) => v !== undefined),
      ),
      { schema: "core" },
    );
    styleRequest(doc);
    const path = `${dir}/${request.id}.yaml`;
    plan.files.push({
      path,
      content: HEADER + requestText(doc),
    });
    plan.created.push(path);
  }
  for (const f of existing)
    if (!imported.has(idOfPath(f.path).toLowerCase())) plan.notInList.push(f.path);
  return plan;
}

/** The problem of a request file that is valid YAML but not a mapping. */
export function requestNotMapping(path: string): Diagnostic {
  return diagnostic(
    path,
    FILE_START,
    "error",
    "request-not-mapping",
    "a request file is a YAML mapping (id: …, description: …, status: …)",
  );
}

/** Where a file the import cannot merge into is broken, as soc2 validate reports it. */
function yamlProblem(path: string, text: string): Diagnostic {
  return (
    parseYaml(path, text.replace(/^\uFEFF/, "")).diagnostics.find((d) => d.severity === "error") ??
    requestNotMapping(path)
  );
}

function setOrDelete(doc: Document, key: string, value: unknown): void {
  if (value === undefined) {
    doc.delete(key);
    return;
  }
  // Set only what changed, so a re-import of the same list leaves the file byte for byte.
  const current: unknown = doc.get(key, false);
  const plain =
    current && typeof current === "object" && "toJSON" in current
      ? (current as { toJSON(): unknown }).toJSON()
      : current;
  if (JSON.stringify(plain) !== JSON.stringify(value)) doc.set(key, doc.createNode(value));
}
