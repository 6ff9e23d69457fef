import type { RouteRequest } from "./router.js";

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One page of `items` the way GitHub pages lists: `per_page` (default 30, at most 100) and
 * `page` (from 1), with a `Link` header carrying rel="prev", "next", "first" and "last".
 */
export function paginate<T>(req: RouteRequest, items: readonly T[]): Page<T> {
  const perPage = Math.min(positive(req.query.per_page, 30), 100);
  const page = positive(req.query.page, 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string) => {
    const url = new URL(req.url.href);
    url.searchParams.set("page", String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { items: slice, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}
