import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { FRAMEWORK_IDS, FRAMEWORKS, isCitable, type FrameworkId } from "../frameworks/index.js";
import type { Repository } from "../model.js";
import { closest } from "../schemas.js";

const HOW: Record<FrameworkId, string> = {
  iso27001: "use an ISO/IEC 27001:2022 Annex A number, A.5.1 to A.8.34",
  "nist-800-53":
    "use a NIST SP 800-53 rev. 5 ID of one of the 20 families (AC, AT, AU, CA, CM, CP, IA, IR, MA, MP, PE, PL, PM, PS, PT, RA, SA, SC, SI, SR)",
};

/**
 * Framework controls a control cites directly must exist. A malformed ID is the schema's to
 * report; this check reports well-formed IDs that name no control, with the closest real one.
 */
export function checkFrameworkReferences(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const control of repo.controls) {
    for (const framework of FRAMEWORK_IDS) {
      const f = FRAMEWORKS[framework];
      control.frameworks[framework].forEach((id, i) => {
        if (!f.idPattern.test(id) || isCitable(framework, id)) return;
        // Suggest from the same theme or family first: A.8.35 is more likely A.8.34 than A.5.35.
        const sameGroup = f.controls
          .filter((c) => id.startsWith(c.group))
          .sort((a, b) => Math.abs(a.id.length - id.length) - Math.abs(b.id.length - id.length));
        const suggestion =
          closest(
            id,
            sameGroup.map((c) => c.id),
          ) ??
          closest(
            id,
            f.controls.map((c) => c.id),
          );
        out.push(
          diagnostic(
            control.file.path,
            control.file.parsed.locate(["frameworks", framework, i]),
            "error",
            "unknown-framework-control",
            `"${id}" is not a control of ${f.name}: ${suggestion ? `did you mean ${suggestion}? Otherwise ` : ""}${HOW[framework]} (see \`soc2 coverage --framework ${framework}\`)`,
          ),
        );
      });
    }
  }
  return out;
}
