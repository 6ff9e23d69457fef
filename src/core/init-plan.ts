import { CATEGORIES, type Category } from "./criteria.js";

/** The template files `soc2 init` copies, as read by an adapter from the package's templates/ folder. */
export interface Templates {
  /** soc2.yml with {{placeholders}}. */
  program: string;
  /** Control templates by category folder. */
  controls: Array<{ category: Category; name: string; text: string }>;
  policies: Array<{ name: string; text: string }>;
  /** Other files copied as they are, keyed by their path in the new repository. */
  extras: Array<{ path: string; text: string }>;
}

export interface InitOptions {
  categories: Category[];
  organization: string;
  /** The adoption date, YYYY-MM-DD: policies are reviewed as of it, and a Type 1 description is as of it. */
  date: string;
}

export interface PlannedFile {
  path: string;
  content: string;
}

/**
 * Plans the files of a new compliance repository: soc2.yml scoped to the chosen categories, the
 * controls of those categories, the twelve policies, an evidence folder and the workflow that
 * runs the Action. Pure: the adapter writes the files.
 */
export function planRepository(templates: Templates, options: InitOptions): PlannedFile[] {
  const categories = CATEGORIES.filter((c) => c === "security" || options.categories.includes(c));
  const vars: Record<string, string> = {
    organization: options.organization,
    "organization|yaml": JSON.stringify(options.organization),
    date: options.date,
    categories: `[${categories.join(", ")}]`,
  };
  const fill = (text: string) =>
    text.replace(/\{\{([a-z|]+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  const files: PlannedFile[] = [{ path: "soc2.yml", content: fill(templates.program) }];
  for (const control of templates.controls) {
    if (categories.includes(control.category)) {
      files.push({
        path: `controls/${control.category}/${control.name}`,
        content: fill(control.text),
      });
    }
  }
  for (const policy of templates.policies)
    files.push({ path: `policies/${policy.name}`, content: fill(policy.text) });
  for (const extra of templates.extras) files.push({ path: extra.path, content: fill(extra.text) });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Parses a comma-separated category list; returns the unknown names so the CLI can say which. */
export function parseCategories(list: string): { categories: Category[]; unknown: string[] } {
  const names = list
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const aliases: Record<string, Category> = {
    processing_integrity: "processing-integrity",
    pi: "processing-integrity",
  };
  const categories: Category[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const c = (aliases[name] ?? name) as Category;
    if ((CATEGORIES as readonly string[]).includes(c)) {
      if (!categories.includes(c)) categories.push(c);
    } else unknown.push(name);
  }
  return { categories, unknown };
}
