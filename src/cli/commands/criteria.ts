import { CATEGORY_NAMES, CRITERIA } from "../../core/criteria.js";
import { textTable } from "../../core/render/table.js";
import { EXIT, parseFormat, type Output } from "../output.js";

export function criteriaCommand(options: { format: string }, io: Output): number {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (format === "json") {
    io.out(JSON.stringify(CRITERIA, null, 2) + "\n");
  } else {
    io.out(
      textTable(
        ["ID", "Category", "Family", "Title"],
        CRITERIA.map((c) => [
          c.id,
          CATEGORY_NAMES[c.category],
          `${c.family} ${c.familyName}`,
          c.title,
        ]),
      ),
    );
    io.out("\nShort titles are soc2-as-code's own; the criteria text is published by the AICPA.\n");
  }
  return EXIT.ok;
}
