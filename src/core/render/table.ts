/** Renders rows as aligned plain-text columns (for terminals) or a Markdown table. */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return (
    [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n"
  );
}

export function markdownTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  // A pipe ends a cell unless escaped; one already escaped (by escapeMarkdown) stays as it is.
  const escape = (s: string) => s.replace(/(?<!\\)\|/g, "\\|").replace(/\n/g, " ");
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}
