import {
  compareFrameworkIds,
  crosswalkByControl,
  FRAMEWORKS,
  type FrameworkControl,
  type FrameworkId,
} from "./frameworks/index.js";
import type { Control, Repository } from "./model.js";

/**
 * covered: an implemented control reaches it; planned: only planned or in-progress controls do;
 * gap: the crosswalk relates criteria to it but no control reaches it; unmapped: the crosswalk
 * relates no criterion to it and no control cites it, so only citing it directly can cover it.
 */
export type FrameworkCoverageStatus = "covered" | "planned" | "gap" | "unmapped";

export interface FrameworkCoverageRow {
  control: FrameworkControl;
  status: FrameworkCoverageStatus;
  /** The criteria the crosswalk relates to this framework control. */
  criteria: string[];
  /** The program's controls that reach it, and how: through which criteria, or directly. */
  controls: Array<{
    id: string;
    title: string;
    status: Control["status"];
    through: string[];
    direct: boolean;
  }>;
}

export interface FrameworkCoverageReport {
  framework: { id: FrameworkId; name: string; version: string; complete: boolean };
  rows: FrameworkCoverageRow[];
  summary: Record<FrameworkCoverageStatus, number> & { total: number };
}

/**
 * Coverage of a framework's controls through the crosswalk: a framework control is reached by a
 * program control that addresses a criterion the crosswalk relates to it, or that cites it directly.
 */
export function computeFrameworkCoverage(
  repo: Repository,
  framework: FrameworkId,
): FrameworkCoverageReport {
  const f = FRAMEWORKS[framework];
  const byControl = crosswalkByControl(framework);
  const listed = new Map(f.controls.map((c) => [c.id, c]));
  // A control may cite an ID this project does not list (800-53's list is partial): it gets a row.
  for (const c of repo.controls)
    for (const id of c.frameworks[framework])
      if (!listed.has(id) && f.idPattern.test(id))
        listed.set(id, {
          id,
          title: "",
          group: f.groups.find((g) => id.startsWith(`${g.id}-`))?.id ?? "",
        });

  const rows = [...listed.values()]
    .sort((a, b) => compareFrameworkIds(framework, a.id, b.id))
    .map((fc): FrameworkCoverageRow => {
      const criteria = byControl.get(fc.id) ?? [];
      const controls = repo.controls
        .filter((c) => c.id !== undefined)
        .flatMap((c) => {
          const through = criteria.filter((k) => c.criteria.includes(k));
          const direct = c.frameworks[framework].includes(fc.id);
          return through.length > 0 || direct
            ? [{ id: c.id!, title: c.title, status: c.status, through, direct }]
            : [];
        })
        .sort((a, b) => a.id.localeCompare(b.id));
      const status: FrameworkCoverageStatus = controls.some((c) => c.status === "implemented")
        ? "covered"
        : controls.length > 0
          ? "planned"
          : criteria.length > 0
            ? "gap"
            : "unmapped";
      return { control: fc, status, criteria, controls };
    });
  const count = (s: FrameworkCoverageStatus) => rows.filter((r) => r.status === s).length;
  return {
    framework: { id: f.id, name: f.name, version: f.version, complete: f.complete },
    rows,
    summary: {
      total: rows.length,
      covered: count("covered"),
      planned: count("planned"),
      gap: count("gap"),
      unmapped: count("unmapped"),
    },
  };
}
