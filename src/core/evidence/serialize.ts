import { stringify } from "yaml";
import evidenceSchema from "../../../schemas/evidence.schema.json" with { type: "json" };
import type { StoredRecord } from "./envelope.js";

/** The first line of every record: editors read the schema from it. */
export const EVIDENCE_SCHEMA_COMMENT = `# yaml-language-server: $schema=${evidenceSchema.$id}`;

/**
 * A record as YAML an auditor can read: block style, long strings kept on one line, multi-line
 * text as literal blocks, no anchors or aliases (a repeated object is written out again). Strings
 * that a YAML 1.1 reader (PyYAML, older tools) would take for a date, a boolean or a number are
 * quoted, so every common reader gets back exactly the values that were hashed.
 */
export function serializeRecord(record: StoredRecord): string {
  const body = stringify(record, {
    lineWidth: 0,
    minContentWidth: 0,
    indent: 2,
    aliasDuplicateObjects: false,
    compat: "yaml-1.1",
  });
  return `${EVIDENCE_SCHEMA_COMMENT}\n${body}`;
}
