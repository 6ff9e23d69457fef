import { html, type SafeHtml } from "./html.js";

/** Any parsed YAML value, readably: mappings as definition lists, sequences as numbered lists. */
export function renderValue(value: unknown): SafeHtml {
  if (value === null || value === undefined) return html`<span class="muted">null</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">(none)</span>`;
    return html`<ol class="list">
      ${value.map((v) => html`<li>${renderValue(v)}</li>`)}
    </ol>`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return html`<span class="muted">(empty)</span>`;
    return html`<dl class="kv">
      ${entries.map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${renderValue(v)}</dd>`,
      )}
    </dl>`;
  }
  if (typeof value === "string" && value.includes("\n"))
    return html`<span class="pre">${value}</span>`;
  return html`${String(value)}`;
}
