/**
 * Escaping for text that comes from pull requests and people (titles, names, reasons quoting
 * them), so that it shows as written in HTML and Markdown and cannot add markup, links or hide
 * the rest of a page. One place, used by the portal, reports, evidence packets, the evidence
 * indexes and the Action's job summary.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML that renders as exactly that text: safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Backslash-escapes what can start markup in Markdown: emphasis, code, links, raw HTML, entities, strike-through, table cells. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&]/g, "\\$&");
}

/** Text as one escaped Markdown line (line breaks become spaces). */
export function markdownLine(text: string): string {
  return escapeMarkdown(text.replace(/\r?\n|\r/g, " "));
}
