import type { PortalContext } from "../context.js";
import { formatTimestamp } from "../dates.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import { relativeHref } from "../paths.js";

/** Links and labels every page uses, relative to the page being written. */
export class Links {
  constructor(
    readonly ctx: PortalContext,
    readonly page: string,
  ) {}

  href(to: string, fragment?: string): string {
    return relativeHref(this.page, to, fragment);
  }

  to(to: string, text: unknown, fragment?: string): SafeHtml {
    return html`<a href="${this.href(to, fragment)}">${text}</a>`;
  }

  control(id: string): SafeHtml {
    const c = this.ctx.controlById.get(id);
    return c ? this.to(c.page, id) : html`<span title="no control with this id">${id}</span>`;
  }

  controls(ids: readonly string[]): SafeHtml {
    return ids.length === 0
      ? html`<span class="muted">none</span>`
      : joinHtml(
          ids.map((id) => this.control(id)),
          ", ",
        );
  }

  policy(id: string): SafeHtml {
    const p = this.ctx.policyById.get(id);
    return p ? this.to(p.page, id) : html`<span title="no policy with this id">${id}</span>`;
  }

  criterion(id: string): SafeHtml {
    return this.ctx.criteriaInScope.has(id)
      ? this.to("criteria.html", id, id)
      : html`<span title="not in scope">${id}</span>`;
  }

  record(path: string, text?: unknown): SafeHtml {
    const r = this.ctx.recordLink(path);
    return r ? this.to(r.page, text ?? r.id) : html`<span class="mono">${path}</span>`;
  }
}

export function badge(status: string, text: string = status.replace(/-/g, " ")): SafeHtml {
  return html`<span class="badge ${status}">${text}</span>`;
}

export const when = (text: string | undefined): SafeHtml =>
  text
    ? html`<span class="mono">${formatTimestamp(text)}</span>`
    : html`<span class="muted">-</span>`;

export const shortSha = (sha: string | undefined): SafeHtml =>
  sha ? html`<code title="${sha}">${sha.slice(0, 7)}</code>` : html`<span class="muted">-</span>`;

/** A link to a URL from a record, only when it is http(s): record text could hold javascript: URLs. */
export function externalLink(url: string | undefined, text?: string): SafeHtml {
  if (!url) return html`<span class="muted">-</span>`;
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return html`<span class="mono">${url}</span>`;
  return html`<a class="external" href="${url}" rel="noopener noreferrer nofollow"
    >${text ?? url}</a
  >`;
}

export function definitionList(rows: ReadonlyArray<readonly [string, unknown]>): SafeHtml {
  return html`<dl class="kv">
    ${rows.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v === undefined || v === "" ? html`<span class="muted">-</span>` : v}</dd>`,
    )}
  </dl>`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
