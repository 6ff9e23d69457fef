/**
 * Text from pull requests (titles, names, reasons that quote them) placed in Markdown: one line,
 * with every character that could start markup, a link, HTML or a table cell escaped, so it shows
 * as written and cannot hide or fake the rest of the page.
 */
export function markdownText(text: string): string {
  return text.replace(/\r?\n|\r/g, " ").replace(/[\\`*_[\]<>|&~#!]/g, (c) => `\\${c}`);
}
