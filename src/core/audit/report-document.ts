import { escapeHtml } from "../render/escape.js";
/**
 * A small document model for the reports (`soc2 report`, `soc2 summary`): headings, paragraphs,
 * lists and tables of plain text, rendered as Markdown or as a self-contained HTML page. Every
 * piece of text comes from files people (or webhooks) wrote, so each renderer escapes all of it
 * in one place: Markdown markup is backslash-escaped, HTML is entity-escaped, and links are kept
 * only for http(s) addresses.
 */

export type Inline =
  string | { code: string } | { strong: string } | { text: string; href: string };

export type Block =
  | { type: "heading"; level: 1 | 2 | 3; text: string }
  | { type: "paragraph"; content: Inline[] }
  | { type: "list"; items: Inline[][] }
  | { type: "table"; header: string[]; rows: Inline[][][] };

export interface ReportDocument {
  title: string;
  blocks: Block[];
}

export const heading = (level: 1 | 2 | 3, text: string): Block => ({
  type: "heading",
  level,
  text,
});
export const paragraph = (...content: Inline[]): Block => ({ type: "paragraph", content });
export const list = (items: Inline[][]): Block => ({ type: "list", items });
export const table = (header: string[], rows: Inline[][][]): Block => ({
  type: "table",
  header,
  rows,
});

const SAFE_HREF = /^https?:\/\/[^\s]+$/i;

// ---------------------------------------------------------------------------------------------
// Markdown

/** Text as Markdown that renders as exactly that text, on one line (inside a line: see markdownLine). */
export function markdownEscape(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[\\`*_[\]<>|~&]/g, "\\$&");
}

/** Escapes what would open a block at the start of a line: a heading, list item, quote or rule. */
const blockStart = (line: string) =>
  line.replace(/^([#+\-=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");

function markdownInline(part: Inline): string {
  if (typeof part === "string") return markdownEscape(part);
  if ("code" in part) {
    // A table cell ends at any unescaped "|", even inside a code span.
    const code = part.code.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
    const fence = "`".repeat(
      (code.match(/`+/g) ?? []).reduce((n, r) => Math.max(n, r.length), 0) + 1,
    );
    return code.startsWith("`") || code.endsWith("`")
      ? `${fence} ${code} ${fence}`
      : `${fence}${code}${fence}`;
  }
  if ("strong" in part) return `**${markdownEscape(part.strong)}**`;
  if (!SAFE_HREF.test(part.href)) return markdownEscape(part.text);
  const href = part.href.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[${markdownEscape(part.text)}](${href})`;
}

const markdownCell = (content: Inline[]) => content.map(markdownInline).join("").trim();
const markdownLine = (content: Inline[]) => blockStart(markdownCell(content));

/** The document as GitHub-flavoured Markdown. */
export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [];
  for (const block of doc.blocks) {
    if (block.type === "heading")
      out.push(`${"#".repeat(block.level)} ${markdownCell([block.text])}`);
    else if (block.type === "paragraph") out.push(markdownLine(block.content));
    else if (block.type === "list")
      out.push(block.items.map((i) => `- ${markdownLine(i)}`).join("\n"));
    else {
      const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
      out.push(
        [
          line(block.header.map((h) => markdownEscape(h).trim())),
          line(block.header.map(() => "---")),
          ...block.rows.map((r) => line(r.map((cell) => markdownCell(cell) || " "))),
        ].join("\n"),
      );
    }
  }
  return `${out.join("\n\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Text as HTML that renders as exactly that text (the shared escaper, under this module's name). */
export const htmlEscape = escapeHtml;

function htmlInline(part: Inline): string {
  if (typeof part === "string") return htmlEscape(part);
  if ("code" in part) return `<code>${htmlEscape(part.code)}</code>`;
  if ("strong" in part) return `<strong>${htmlEscape(part.strong)}</strong>`;
  if (!SAFE_HREF.test(part.href)) return htmlEscape(part.text);
  return `<a href="${htmlEscape(part.href)}" rel="noopener noreferrer">${htmlEscape(part.text)}</a>`;
}

const htmlLine = (content: Inline[]) => content.map(htmlInline).join("");

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.3em}
h2{font-size:1.4em;border-bottom:1px solid #d0d7de;padding-bottom:.3em;margin-top:1.8em}
h3{font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
@media print{main{max-width:none}table{display:table}}`;

/** The document as one self-contained HTML page: no scripts, no external resources. */
export function renderHtml(doc: ReportDocument): string {
  const body: string[] = [];
  for (const block of doc.blocks) {
    if (block.type === "heading")
      body.push(`<h${block.level}>${htmlEscape(block.text)}</h${block.level}>`);
    else if (block.type === "paragraph") body.push(`<p>${htmlLine(block.content)}</p>`);
    else if (block.type === "list")
      body.push(`<ul>\n${block.items.map((i) => `<li>${htmlLine(i)}</li>`).join("\n")}\n</ul>`);
    else
      body.push(
        [
          "<table>",
          `<thead><tr>${block.header.map((h) => `<th>${htmlEscape(h)}</th>`).join("")}</tr></thead>`,
          "<tbody>",
          ...block.rows.map(
            (r) => `<tr>${r.map((cell) => `<td>${htmlLine(cell)}</td>`).join("")}</tr>`,
          ),
          "</tbody>",
          "</table>",
        ].join("\n"),
      );
  }
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(doc.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
