import { compareCriteria } from "../criteria.js";
import {
  FRAMEWORK_IDS,
  type Framework,
  type FrameworkControl,
  type FrameworkId,
} from "./framework.js";
import { ISO_27001_2022 } from "./iso27001-2022.js";
import { compareNist, NIST_800_53_R5 } from "./nist-800-53-r5.js";

export * from "./framework.js";

export const FRAMEWORKS: Record<FrameworkId, Framework> = {
  iso27001: ISO_27001_2022,
  "nist-800-53": NIST_800_53_R5,
};

export function isFrameworkId(value: string): value is FrameworkId {
  return (FRAMEWORK_IDS as readonly string[]).includes(value);
}

const CONTROL_INDEX = new Map(
  FRAMEWORK_IDS.map((id) => [id, new Map(FRAMEWORKS[id].controls.map((c) => [c.id, c]))]),
);

export function findFrameworkControl(
  framework: FrameworkId,
  id: string,
): FrameworkControl | undefined {
  return CONTROL_INDEX.get(framework)!.get(id);
}

/**
 * Whether a control may cite this ID: a listed control, or (for a framework whose list is partial)
 * any well-formed ID in a listed group.
 */
export function isCitable(framework: FrameworkId, id: string): boolean {
  const f = FRAMEWORKS[framework];
  if (findFrameworkControl(framework, id)) return true;
  if (f.complete || !f.idPattern.test(id)) return false;
  return f.groups.some((g) => id.startsWith(`${g.id}-`));
}

/** Framework control IDs in the framework's own order (A.5.2 before A.5.10; AC-3 before AC-3(14)). */
export function compareFrameworkIds(framework: FrameworkId, a: string, b: string): number {
  if (framework === "nist-800-53") return compareNist(a, b);
  const parts = (id: string) => id.split(".").map((p) => Number(p.replace(/\D/g, "")));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/** framework control → the criteria the crosswalk relates to it, in catalog order. */
export function crosswalkByControl(framework: FrameworkId): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of FRAMEWORKS[framework].relationships) {
    const list = out.get(r.control) ?? [];
    list.push(r.criterion);
    out.set(r.control, list);
  }
  for (const list of out.values()) list.sort(compareCriteria);
  return out;
}
