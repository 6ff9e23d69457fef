import { CATEGORY_NAMES, criteriaInCategories, type Category, type Criterion } from "./criteria.js";
import type { Control, Repository } from "./model.js";

export type CoverageStatus = "covered" | "planned" | "not-applicable" | "gap";

export interface CoverageRow {
  criterion: Criterion;
  status: CoverageStatus;
  controls: Array<{ id: string; title: string; status: Control["status"] }>;
  justification?: string;
}

export interface CategoryCoverage {
  category: Category;
  name: string;
  total: number;
  covered: number;
  planned: number;
  notApplicable: number;
  gaps: number;
}

export interface CoverageReport {
  categories: Category[];
  rows: CoverageRow[];
  summary: CategoryCoverage[];
}

/**
 * Maps every in-scope criterion to the controls that address it. A criterion is covered when an
 * implemented control lists it, planned when only planned or in-progress controls do, not
 * applicable when soc2.yml says so, and otherwise a gap.
 */
export function computeCoverage(repo: Repository): CoverageReport {
  const categories: Category[] = repo.program?.categories.length
    ? repo.program.categories
    : ["security"];
  const notApplicable = new Map(
    (repo.program?.notApplicable ?? []).map((n) => [n.criterion, n.justification]),
  );
  const byCriterion = new Map<string, Control[]>();
  for (const control of repo.controls) {
    for (const id of new Set(control.criteria)) {
      const list = byCriterion.get(id) ?? [];
      list.push(control);
      byCriterion.set(id, list);
    }
  }
  const rows = criteriaInCategories(categories).map((criterion): CoverageRow => {
    const controls = (byCriterion.get(criterion.id) ?? [])
      .filter((c) => c.id !== undefined)
      .map((c) => ({ id: c.id!, title: c.title, status: c.status }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const justification = notApplicable.get(criterion.id);
    const status: CoverageStatus =
      justification !== undefined
        ? "not-applicable"
        : controls.some((c) => c.status === "implemented")
          ? "covered"
          : controls.length > 0
            ? "planned"
            : "gap";
    return {
      criterion,
      status,
      controls,
      ...(justification === undefined ? {} : { justification }),
    };
  });
  const inScope = [...new Set<Category>(["security", ...categories])];
  const summary = inScope.map((category): CategoryCoverage => {
    const mine = rows.filter((r) => r.criterion.category === category);
    const count = (s: CoverageStatus) => mine.filter((r) => r.status === s).length;
    return {
      category,
      name: CATEGORY_NAMES[category],
      total: mine.length,
      covered: count("covered"),
      planned: count("planned"),
      notApplicable: count("not-applicable"),
      gaps: count("gap"),
    };
  });
  return { categories: inScope, rows, summary };
}
