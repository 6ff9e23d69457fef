import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { asObject, asString, type Repository } from "../model.js";
import type { LoadedFile } from "../source-file.js";
import type { JsonPath } from "../yaml-source.js";

/** The word soc2 init marks every value the adopter still has to write with. */
const TODO = /(?<![\w-])TODO(?![\w-])/;

/**
 * Every TODO placeholder left in soc2.yml, the controls and the policies (front matter and text),
 * one finding each at its own position. A scaffold full of placeholders must not read as a
 * finished program, so the reports count these too (see draftState).
 */
export function checkPlaceholders(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const files = [
    ...(repo.program ? [repo.program.file] : []),
    ...repo.controls.map((c) => c.file),
    ...repo.policies.map((p) => p.file),
  ];
  for (const file of files) {
    walkStrings(file.parsed.value, [], (path, value) => {
      if (!TODO.test(value)) return;
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(path),
          "warning",
          "placeholder-todo",
          `${path.join(".")} is still the placeholder "${excerpt(value)}": write what is true of your organization in its place`,
        ),
      );
    });
    out.push(...bodyPlaceholders(file));
  }
  return out;
}

/** Owner roles in soc2.yml that name no person: nobody is accountable for what they own. */
export function checkOwnersHavePeople(repo: Repository): Diagnostic[] {
  const program = repo.program;
  if (!program) return [];
  const owners = asObject(program.raw.owners);
  return Object.entries(owners).flatMap(([key, value]) => {
    const name = asString(asObject(value).name);
    if (name !== undefined && name.trim() !== "" && !TODO.test(name)) return [];
    return [
      diagnostic(
        program.file.path,
        program.file.parsed.locate(["owners", key], "key"),
        "warning",
        "owner-without-person",
        `owner role ${key} names no person: add "name:" with who holds the role today (and "github:" with their logins if they approve changes)`,
      ),
    ];
  });
}

/** TODOs in a policy's Markdown text, positioned in the .md file. */
function bodyPlaceholders(file: LoadedFile): Diagnostic[] {
  if (file.body === undefined || file.frontMatterEnd === undefined) return [];
  const first = file.frontMatterEnd + 1;
  return file.body.split("\n").flatMap((line, i) => {
    const match = TODO.exec(line);
    if (!match) return [];
    return [
      diagnostic(
        file.path,
        { line: first + i, column: match.index + 1 },
        "warning",
        "placeholder-todo",
        `the policy text still holds a placeholder ("${excerpt(line.slice(match.index))}"): replace it with how your organization works`,
      ),
    ];
  });
}

function walkStrings(
  value: unknown,
  path: JsonPath,
  visit: (path: JsonPath, value: string) => void,
): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}

const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
};
