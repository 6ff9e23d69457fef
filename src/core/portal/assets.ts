/** The site's only style sheet: small, hand-written, no external fonts or images. */
export const PORTAL_CSS = `:root {
  --fg: #1d232b;
  --muted: #5b6673;
  --line: #d8dee5;
  --bg: #ffffff;
  --soft: #f4f6f8;
  --link: #0b5cad;
  --pass: #1b7f3b;
  --fail: #b42318;
  --warn: #9a6700;
  --na: #8a94a0;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg);
  background: var(--bg);
}
a { color: var(--link); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
header.site { background: #14202e; color: #fff; padding: 10px 24px; }
header.site .brand { color: #fff; font-weight: 600; text-decoration: none; }
header.site nav ul { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
header.site nav a { color: #c9d7e6; text-decoration: none; }
header.site nav a[aria-current="page"] { color: #fff; border-bottom: 2px solid #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 32px; }
footer { max-width: 1180px; margin: 0 auto; padding: 12px 24px 32px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 20px; margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
tr[hidden] { display: none; }
dl.kv { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 4px 16px; margin: 6px 0; }
dl.kv > dt { font-weight: 600; color: var(--muted); }
dl.kv > dd { margin: 0; overflow-wrap: anywhere; }
ol.list { margin: 0; padding-left: 20px; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 12px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.pre { white-space: pre-wrap; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.pass, .covered, .current, .reviewed, .intact, .implemented, .ready { color: var(--pass); }
.fail, .gap, .overdue, .tampered { color: var(--fail); }
.pending, .planned, .due-soon, .open, .unknown, .in-progress, .not-assessed, .draft, .awaiting-evidence { color: var(--warn); }
.not-applicable, .skipped { color: var(--na); }
.notice { border-left: 4px solid var(--warn); background: #fff8e6; padding: 8px 12px; }
.notice.bad { border-color: var(--fail); background: #fdecea; }
.notice.good { border-color: var(--pass); background: #eaf6ee; }
.notice.draft { font-size: 18px; border-left-width: 8px; color: inherit; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .n { font-size: 24px; font-weight: 600; display: block; }
svg.bar { width: 220px; height: 14px; vertical-align: middle; }
svg.bar .covered { fill: var(--pass); }
svg.bar .planned { fill: #d4a72c; }
svg.bar .not-applicable { fill: #c3cad2; }
svg.bar .gap { fill: var(--fail); }
svg.bar .track { fill: var(--soft); }
svg.timeline { width: 100%; height: auto; max-width: 900px; border: 1px solid var(--line); background: #fff; }
svg.timeline text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.timeline .lane { stroke: var(--line); }
svg.timeline .axis { stroke: var(--muted); }
svg.timeline .mark { stroke: #fff; stroke-width: 1.5; fill-opacity: 0.85; }
svg.timeline .mark.dense { stroke: none; fill-opacity: 0.6; }
svg.timeline a:hover .mark, svg.timeline a:focus .mark { stroke: #000; }
svg.timeline .k0 { fill: #0b5cad; }
svg.timeline .k1 { fill: #1b7f3b; }
svg.timeline .k2 { fill: #8250df; }
svg.timeline .k3 { fill: #bf5b04; }
svg.timeline .k4 { fill: #0f7b8a; }
svg.timeline .k5 { fill: #6e7781; }
svg.timeline .exception { fill: var(--fail); }
form.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; background: var(--soft); border: 1px solid var(--line); padding: 10px 12px; margin: 8px 0; }
form.filters[hidden] { display: none; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
form.filters label.check { flex-direction: row; align-items: center; gap: 6px; }
form.filters input, form.filters select, form.filters button { font: inherit; padding: 3px 6px; }
.count { font-weight: 600; }
`;

/**
 * The filters of the change population, in plain browser JavaScript (no build step, no library).
 * The rows are in the page with their data in data-* attributes, so without JavaScript the table
 * still lists every change; the filter form is hidden until this script shows it.
 */
export const PORTAL_JS = `(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("population");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var field = function (id) { return document.getElementById(id); };
  var repo = field("f-repo");
  var verdict = field("f-verdict");
  var exceptions = field("f-exceptions");
  var search = field("f-search");
  var from = field("f-from");
  var to = field("f-to");
  var count = field("f-count");

  function apply() {
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok =
        (!repo.value || d.repo === repo.value) &&
        (!verdict.value || d.verdict === verdict.value) &&
        (!exceptions.checked || d.exception === "yes") &&
        (!from.value || d.day >= from.value) &&
        (!to.value || d.day <= to.value) &&
        terms.every(function (t) { return d.text.indexOf(t) !== -1; });
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " of " + rows.length + " change" + (rows.length === 1 ? "" : "s") + " shown";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
`;
