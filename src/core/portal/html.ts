import { escapeHtml } from "../render/escape.js";
/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * SafeHtml. Record text (pull-request titles, commit messages, reasons) is untrusted input, so
 * escaping is the default and opting out is explicit.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export { escapeHtml };

/** Markup this module wrote itself (never record text). */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(piece).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Joins fragments with a separator (text, escaped). */
export function joinHtml(parts: readonly unknown[], separator: string): SafeHtml {
  return new SafeHtml(parts.map(piece).join(escapeHtml(separator)));
}
