import { html, type SafeHtml } from "./html.js";
import type { PageSpec } from "./layout.js";
import { relativeHref } from "./paths.js";
import type { Rows } from "../rows.js";

/**
 * A page whose body is made only when it is written: the site's writer takes one page at a time,
 * so a site of a hundred thousand pages is never in memory at once.
 */
export interface LazyPage {
  path: string;
  spec(): PageSpec;
}

/**
 * Long lists (the change population, a control's evidence, the records of one kind) are split
 * into static pages of this many rows, so that no page of a decade of evidence grows past about
 * a megabyte and every page opens from file:// (no fetch of data files, which file:// forbids).
 */
export const PAGE_ROWS = 500;

/**
 * A page of a list: its path in the site, its number (1-based) and its rows. The rows are taken
 * from the list each time they are read, so a page waiting to be written holds none: read them
 * once per page.
 */
export interface ListPage<T> {
  path: string;
  number: number;
  count: number;
  readonly rows: readonly T[];
}

/**
 * Splits `items` into pages of `size`. The first page is `first` (the list's own page); the next
 * ones live under more/ (a folder no other page uses), e.g. more/changes-2.html.
 */
export function paginate<T>(items: Rows<T>, first: string, size: number): ListPage<T>[] {
  const count = Math.max(1, Math.ceil(items.length / size));
  const pages: ListPage<T>[] = [];
  for (let n = 1; n <= count; n++)
    pages.push({
      path: continuationPath(first, n),
      number: n,
      count,
      get rows() {
        return items.slice((n - 1) * size, n * size);
      },
    });
  return pages;
}

/** The page with its rows read once, for a maker that reads them more than once. */
export function withRows<T>(page: ListPage<T>): ListPage<T> {
  return { path: page.path, number: page.number, count: page.count, rows: page.rows };
}

/** The path of page `n` of the list whose first page is `first`. */
export function continuationPath(first: string, n: number): string {
  if (n === 1) return first;
  const base = first.replace(/\.html$/, "");
  return `${base.startsWith("more/") ? base : `more/${base}`}-${n}.html`;
}

/** "Page 2 of 7" with a link to every page, or nothing for a list of one page. */
export function pager(from: string, page: ListPage<unknown>, first: string): SafeHtml {
  if (page.count <= 1) return html``;
  const links: SafeHtml[] = [];
  for (let n = 1; n <= page.count; n++) {
    links.push(
      n === page.number
        ? html`<strong aria-current="page">${n}</strong>`
        : html`<a href="${relativeHref(from, continuationPath(first, n))}">${n}</a>`,
    );
  }
  return html`<nav class="pager" aria-label="pages">
    Page ${page.number} of ${page.count}: ${links.map((l, i) => (i === 0 ? l : html` ${l}`))}
  </nav>`;
}
