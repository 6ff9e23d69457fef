import { escapeHtml } from "../../src/core/portal/html.js";
import type { SiteFile } from "../../src/core/portal/index.js";

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

/**
 * Every href and src in the site's HTML that is not an external http(s) link, checked against the
 * site's files: the file must exist and a #fragment must be the id of an element in it.
 */
export function brokenLinks(files: readonly SiteFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const problems: string[] = [];
  for (const file of files) {
    if (!file.path.endsWith(".html")) continue;
    for (const match of file.content.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const href = unescape(match[1]!);
      if (/^https?:/i.test(href) || href === "data:,") continue;
      const url = new URL(href, `file:///site/${file.path}`);
      if (url.protocol !== "file:" || !url.pathname.startsWith("/site/")) {
        problems.push(`${file.path}: ${href} leaves the site`);
        continue;
      }
      const target = decodeURIComponent(url.pathname.slice("/site/".length));
      const content = byPath.get(target);
      if (content === undefined) {
        problems.push(`${file.path}: ${href} → ${target} does not exist`);
        continue;
      }
      if (url.hash) {
        const id = decodeURIComponent(url.hash.slice(1));
        if (!content.includes(`id="${escapeHtml(id)}"`))
          problems.push(`${file.path}: ${href} → no element with id ${id} in ${target}`);
      }
    }
  }
  return problems;
}
