import { computeFrameworkCoverage } from "../framework-coverage.js";
import type { FrameworkId } from "../frameworks/index.js";
import type { Repository } from "../model.js";
import type { ControlState, ReadinessReport } from "./readiness.js";

/**
 * ready: a ready program control reaches it; not-ready: controls reach it but none is ready (a gap
 * in evidence, awaiting evidence, or not implemented); gap and unmapped as in framework coverage.
 */
export type FrameworkReadinessState = "ready" | "not-ready" | "gap" | "unmapped";

export interface FrameworkReadinessRow {
  id: string;
  title: string;
  state: FrameworkReadinessState;
  controls: Array<{ id: string; state: ControlState }>;
}

export interface FrameworkReadinessReport {
  framework: { id: FrameworkId; name: string };
  asOf: string;
  rows: FrameworkReadinessRow[];
  summary: Record<FrameworkReadinessState, number> & { total: number; score: number | null };
}

/** The readiness assessment seen through a framework: each of its controls is as ready as the best program control reaching it. */
export function assessFrameworkReadiness(
  repo: Repository,
  readiness: ReadinessReport,
  framework: FrameworkId,
): FrameworkReadinessReport {
  const coverage = computeFrameworkCoverage(repo, framework);
  const stateOf = new Map(readiness.controls.map((c) => [c.id, c.state]));
  const rows = coverage.rows.map((r): FrameworkReadinessRow => {
    const controls = r.controls.map((c) => ({
      id: c.id,
      state: stateOf.get(c.id) ?? "not-implemented",
    }));
    const state: FrameworkReadinessState =
      r.status === "gap" || r.status === "unmapped"
        ? r.status
        : controls.some((c) => c.state === "ready")
          ? "ready"
          : "not-ready";
    return { id: r.control.id, title: r.control.title, state, controls };
  });
  const count = (s: FrameworkReadinessState) => rows.filter((r) => r.state === s).length;
  return {
    framework: { id: coverage.framework.id, name: coverage.framework.name },
    asOf: readiness.asOf,
    rows,
    summary: {
      total: rows.length,
      ready: count("ready"),
      "not-ready": count("not-ready"),
      gap: count("gap"),
      unmapped: count("unmapped"),
      score: rows.length === 0 ? null : Math.round((count("ready") / rows.length) * 100),
    },
  };
}
