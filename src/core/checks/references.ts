import { findCriterion } from "../criteria.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { asObject, asStrings, type Repository } from "../model.js";
import type { LoadedFile } from "../source-file.js";
import type { JsonPath } from "../yaml-source.js";

/** Every ID a file mentions (criteria, owners, policies, controls) must exist. */
export function checkReferences(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const owners = new Set(repo.program?.owners ?? []);
  const policyIds = new Set(repo.policies.flatMap((p) => (p.id ? [p.id] : [])));
  const controlIds = new Set(repo.controls.flatMap((c) => (c.id ? [c.id] : [])));

  const criteria = (file: LoadedFile, ids: readonly string[], at: (i: number) => JsonPath) =>
    ids.forEach((id, i) => {
      if (!findCriterion(id)) out.push(unknownCriterion(file, id, at(i)));
    });
  const owner = (file: LoadedFile, name: string | undefined, path: JsonPath) => {
    if (name !== undefined && repo.program && !owners.has(name)) {
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(path),
          "error",
          "unknown-owner",
          `owner "${name}" is not declared under owners: in soc2.yml${suggestList([...owners])}`,
        ),
      );
    }
  };

  for (const control of repo.controls) {
    criteria(control.file, control.criteria, (i) => ["criteria", i]);
    owner(control.file, control.owner, ["owner"]);
    control.policies.forEach((id, i) => {
      if (!policyIds.has(id)) {
        out.push(
          diagnostic(
            control.file.path,
            control.file.parsed.locate(["policies", i]),
            "error",
            "unknown-policy",
            `policy "${id}" does not exist: add policies/<name>.md with id: ${id}, or fix the reference`,
          ),
        );
      }
    });
  }
  for (const policy of repo.policies) {
    criteria(policy.file, policy.criteria, (i) => ["criteria", i]);
    owner(policy.file, policy.owner, ["owner"]);
  }
  for (const record of repo.evidence) {
    record.controls.forEach((id, i) => {
      if (!controlIds.has(id)) {
        out.push(
          diagnostic(
            record.file.path,
            record.file.parsed.locate(["controls", i]),
            "error",
            "unknown-control",
            `control "${id}" does not exist: evidence must name controls defined in controls/`,
          ),
        );
      }
    });
  }
  if (repo.program) {
    const file = repo.program.file;
    for (const na of repo.program.notApplicable) {
      if (!findCriterion(na.criterion))
        out.push(
          unknownCriterion(file, na.criterion, ["scope", "not_applicable", na.index, "criterion"]),
        );
    }
    const cm = asObject(repo.program.raw.change_management);
    asStrings(asObject(cm.approvers).owners).forEach((name, i) =>
      owner(file, name, ["change_management", "approvers", "owners", i]),
    );
    (Array.isArray(cm.path_rules) ? cm.path_rules : []).forEach((rule, r) =>
      asStrings(asObject(asObject(rule).approvers).owners).forEach((name, i) =>
        owner(file, name, ["change_management", "path_rules", r, "approvers", "owners", i]),
      ),
    );
  }
  return out;
}

function unknownCriterion(file: LoadedFile, id: string, path: JsonPath): Diagnostic {
  return diagnostic(
    file.path,
    file.parsed.locate(path),
    "error",
    "unknown-criterion",
    `"${id}" is not a Trust Services Criterion: use an ID listed by \`soc2 criteria\` (e.g. CC8.1)`,
  );
}

function suggestList(names: string[]): string {
  if (names.length === 0) return ": declare owners in soc2.yml first";
  const shown = names.slice(0, 8).join(", ");
  return `: use one of ${shown}${names.length > 8 ? ", …" : ""}, or declare it`;
}
