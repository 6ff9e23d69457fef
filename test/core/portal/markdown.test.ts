import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../src/core/portal/markdown.js";

describe("policy text rendered from Markdown", () => {
  it("renders headings, lists, emphasis, tables and links", () => {
    const out = renderMarkdown(
      "## Purpose\n\nAll changes are **reviewed**.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the handbook](https://example.com/h) and [controls](../controls/).\n",
    ).value;
    expect(out).toContain("<h2>Purpose</h2>");
    expect(out).toContain("<strong>reviewed</strong>");
    expect(out).toContain("<li>one</li>");
    expect(out).toContain("<table>");
    expect(out).toContain(
      '<a href="https://example.com/h" rel="noopener noreferrer nofollow">the handbook</a>',
    );
    expect(out).toContain('<a href="../controls/">controls</a>');
  });

  it("never lets the text run or load anything", () => {
    const out = renderMarkdown(
      [
        "<script>window.__pwned = 1</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](VBScript:msgbox)",
        "![tracker](https://evil.example/pixel.png)",
        "<a href='https://evil.example'>raw link</a>",
      ].join("\n\n"),
    ).value;
    expect(out).not.toMatch(
      /<script|<img|<[^>]*onerror|href="(javascript|data|vbscript):|<a href='/i,
    );
    expect(out).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
    // An image is not loaded: it stays a plain link the reader may follow.
    expect(out).toContain(
      '<a href="https://evil.example/pixel.png" rel="noopener noreferrer nofollow">tracker</a>',
    );
  });
});
