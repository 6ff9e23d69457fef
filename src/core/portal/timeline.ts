import type { RecordInfo } from "./context.js";
import { KIND_ORDER } from "./context.js";
import { formatTimestamp, parseTime } from "./dates.js";
import { html, type SafeHtml } from "./html.js";
import { relativeHref } from "./paths.js";

const WIDTH = 900;
const LEFT = 170;
const RIGHT = 24;
const TOP = 12;
const LANE = 32;
const AXIS = 36;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Vertical offsets for marks that would sit on top of each other. */
const NUDGE = [0, -8, 8, -13, 13];

const n = (x: number) => x.toFixed(1);

/**
 * An inline SVG timeline of a control's evidence: one lane per kind of record, one mark per
 * record at the time it states, each mark a link to the record's page.
 */
export function timelineSvg(
  page: string,
  subject: string,
  records: readonly RecordInfo[],
): SafeHtml {
  const points = records
    .map((r) => ({ r, t: parseTime(r.when) }))
    .filter((p): p is { r: RecordInfo; t: number } => p.t !== undefined);
  if (points.length === 0)
    return html`<p class="muted">No dated evidence records to plot for ${subject}.</p>`;
  const kinds = [...new Set(points.map((p) => p.r.kind))].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const earliest = points.reduce((m, p) => Math.min(m, p.t), Number.POSITIVE_INFINITY);
  const latest = points.reduce((m, p) => Math.max(m, p.t), Number.NEGATIVE_INFINITY);
  let lo = earliest;
  let hi = latest;
  const pad = Math.max((hi - lo) * 0.04, HOUR_MS / 2);
  lo -= pad;
  hi += pad;
  const height = TOP + kinds.length * LANE + AXIS;
  const x = (t: number) => LEFT + ((t - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const laneY = (kind: string) => TOP + kinds.indexOf(kind) * LANE + LANE / 2;
  // Many marks: smaller, without an outline, so that a busy lane reads as a density.
  const dense = points.length > 200;
  const radius = dense ? 3 : points.length > 60 ? 4.5 : 6;
  // Marks less than about a mark's width apart in the same lane are nudged up and down.
  const placed = new Map<string, number>();
  const marks = points.map(({ r, t }) => {
    const cx = x(t);
    const slot = `${r.kind} ${Math.round(cx / 6)}`;
    const near = placed.get(slot) ?? 0;
    placed.set(slot, near + 1);
    const cy = laneY(r.kind) + NUDGE[near % NUDGE.length]!;
    const colour = r.change?.exception ? "exception" : `k${kinds.indexOf(r.kind) % 6}`;
    const size = dense ? " dense" : "";
    return html`<a href="${relativeHref(page, r.page)}"
      ><circle class="mark ${colour}${size}" cx="${n(cx)}" cy="${n(cy)}" r="${radius}"
        ><title>
          ${r.kind} ${r.id}:
          ${formatTimestamp(r.when)}${r.change?.exception ? ` (exception: ${r.change.exception.type})` : ""}
        </title></circle
      ></a
    >`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const label = (t: number) => {
    const iso = new Date(t).toISOString();
    return hi - lo > 3 * DAY_MS ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
  const axisY = TOP + kinds.length * LANE;
  const first = formatTimestamp(new Date(earliest).toISOString());
  const last = formatTimestamp(new Date(latest).toISOString());
  return html`<svg
      class="timeline"
      viewBox="0 0 ${WIDTH} ${height}"
      role="img"
      aria-label="${`Timeline of ${points.length} evidence record(s) for ${subject}, from ${first} to ${last}`}"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${kinds.map(
        (k) =>
          html`<line
              class="lane"
              x1="${LEFT}"
              x2="${WIDTH - RIGHT}"
              y1="${n(laneY(k))}"
              y2="${n(laneY(k))}"
            /><text x="${LEFT - 10}" y="${n(laneY(k) + 4)}" text-anchor="end"
              >${k} (${points.filter((p) => p.r.kind === k).length})</text
            > `,
      )}
      <line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}" />
      ${ticks.map(
        (t, i) =>
          html`<line
              class="axis"
              x1="${n(x(t))}"
              x2="${n(x(t))}"
              y1="${axisY}"
              y2="${axisY + 5}"
            /><text
              x="${n(x(t))}"
              y="${axisY + 20}"
              text-anchor="${i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle"}"
              >${label(t)}</text
            > `,
      )}${marks.map((m) => html`${m} `)}
    </svg>
    <p class="muted">
      Each mark is one record, placed at the time it states (the merge, review, sign-off or capture;
      else when it was recorded), in UTC; red marks are exceptions. Select a mark to open the
      record.
    </p>`;
}

function rank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}
