/** The file that names the last record of the chain, next to the records. */
export const CHAIN_HEAD_FILE = "chain-head.json";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const MAX_ID_LENGTH = 200;

/** The evidence folder as a path from the repository root: no leading, trailing or doubled slashes. */
export function normalizeEvidencePath(evidencePath: string): string {
  return evidencePath.split("/").filter((s) => s !== "" && s !== ".").join("/");
}

const under = (evidencePath: string, name: string): string => {
  const folder = normalizeEvidencePath(evidencePath);
  return folder === "" ? name : `${folder}/${name}`;
};

/** Path of a record from the repository root: `<evidencePath>/<id>.yml`. */
export function recordPath(evidencePath: string, id: string): string {
  return under(evidencePath, `${id}.yml`);
}

/** Path of the chain head from the repository root: `<evidencePath>/chain-head.json`. */
export function chainHeadPath(evidencePath: string): string {
  return under(evidencePath, CHAIN_HEAD_FILE);
}

/**
 * Why an id cannot name a record file, or undefined when it can. The id becomes a path, so besides
 * the schema's pattern it must stay inside the evidence folder and be visible to `soc2 validate`
 * (which skips hidden files and folders).
 */
export function recordIdProblem(id: string): string | undefined {
  if (typeof id !== "string" || id === "") return "the record id is empty";
  if (id.length > MAX_ID_LENGTH)
    return `the record id is ${id.length} characters long, over the ${MAX_ID_LENGTH} allowed`;
  if (!ID_PATTERN.test(id))
    return `the record id "${id}" may use only letters, digits, ".", "_", "/" and "-", starting with a letter or digit`;
  const segments = id.split("/");
  if (segments.some((s) => s === ""))
    return `the record id "${id}" has an empty path segment (a doubled or trailing "/")`;
  if (segments.some((s) => s.startsWith(".")))
    return `the record id "${id}" has a segment starting with "." (hidden from soc2 validate, or leaving the evidence folder)`;
  if (/\.ya?ml$/i.test(id)) return `the record id "${id}" must not end in .yml: the store adds it`;
  return undefined;
}
