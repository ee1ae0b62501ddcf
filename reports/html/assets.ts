// The HTML report's stylesheet and script, inlined into every report (the page opens offline and its
// Content-Security-Policy forbids fetching anything). The script only steps through traces: each trace is a
// <section class="trace"> whose rows (tr[data-pos]) and detail panels (.step-detail[data-pos]) are already in
// the page; selecting position N marks row N and shows panel N. Click a row, use the buttons, or the keys
// (← → ↑ ↓ j k n p Home End) on the focused trace, the last one used, or (for j k n p) the first one.

export const CSS = `
:root { --fg: #1d2733; --muted: #5c6670; --line: #d5dbe1; --bg: #ffffff; --panel: #f6f8fa; --red: #c1121f;
  --red-bg: #fde8e8; --amber: #b5651d; --amber-bg: #fff4e5; --green: #1b7f3b; --green-bg: #e6f4ea; --blue: #1f5fbf;
  --sel: #fff6c7; --sel-line: #e0b400; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
main { padding: 8px 24px 48px; max-width: 1500px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 12px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 6px; }
h5 { font-size: 14px; margin: 0 0 6px; }
code, pre, .pos, .lock, .src-line { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--blue); }
table.summary { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
table.summary th, table.summary td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.summary th { background: var(--panel); }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.verdict-ok, .expect-ok { background: var(--green-bg); color: var(--green); border-color: #b7dfc3; }
.verdict-findings, .expect-bad, .verdict-error { background: var(--red-bg); color: var(--red); border-color: #f3b8b8; }
.verdict-incomplete { background: var(--amber-bg); color: var(--amber); border-color: #f1cf9f; }
.kind { background: #eef1f5; color: var(--fg); border-color: var(--line); }
.kind.unexpected { background: var(--red-bg); color: var(--red); border-color: #f3b8b8; }
.badge.win { background: #efe4ff; color: #5b21b6; border-color: #d6c2fb; }
.badge.blocked-badge { background: var(--amber-bg); color: var(--amber); }
.badge.cycle-badge { background: var(--red); color: #fff; }
.lock { display: inline-block; padding: 0 5px; margin: 1px 0; border-radius: 4px; background: #e8eef7; border: 1px solid #c5d3e8; white-space: nowrap; }
.lock.new { background: #d9f2e1; border-color: #7cc79a; font-weight: 600; }
.lock.wanted { background: var(--red-bg); border-color: #f3b8b8; color: var(--red); font-weight: 600; }
.thread { font-weight: 600; }
.thread.in-cycle { color: var(--red); }
.finding { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; }
.finding.unexpected { border-color: #f3b8b8; border-left: 5px solid var(--red); }
.finding .message { font-size: 15px; }
.story { margin: 6px 0; padding-left: 22px; }
.story li.end { color: var(--red); }
.why { margin: 4px 0 10px; font-weight: 600; }
.graph { margin: 8px 0; overflow-x: auto; }
.graph svg { max-width: 100%; height: auto; }
.graph svg .cycle path, .graph svg .cycle polygon, .graph svg .cycle ellipse { stroke: var(--red); }
.trace { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px 8px; margin: 10px 0; outline: none; }
.trace:focus, .trace.active { border-color: var(--sel-line); box-shadow: 0 0 0 2px #fbe9a0; }
.controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.controls button { font: inherit; padding: 1px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.controls button:hover { background: var(--panel); }
.controls .where-am-i { min-width: 4.5em; text-align: center; font-variant-numeric: tabular-nums; }
.controls .keys { color: var(--muted); font-size: 12px; }
.trace-body { display: flex; gap: 12px; align-items: flex-start; }
.lanes-wrap { flex: 1 1 auto; overflow-x: auto; }
.step-panel { flex: 0 0 470px; position: sticky; top: 8px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; max-width: 40%; }
table.lanes { border-collapse: collapse; width: 100%; }
table.lanes th, table.lanes td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; }
table.lanes thead th { background: var(--panel); position: sticky; top: 0; }
table.lanes th.lane-head.blocked { color: var(--amber); }
table.lanes th.lane-head.in-cycle { color: var(--red); }
table.lanes td.n { color: var(--muted); text-align: right; width: 2.5em; font-variant-numeric: tabular-nums; }
table.lanes tr.step { cursor: pointer; }
table.lanes tr.step:hover td { background: #fafbfc; }
table.lanes td.cell.idle { background: #fbfcfd; }
table.lanes td.cell.act { background: #fff; min-width: 14em; }
table.lanes td.cell.blocked { background: var(--amber-bg); }
table.lanes td.cell.blocked.in-cycle { background: var(--red-bg); outline: 2px solid var(--red); outline-offset: -2px; }
table.lanes tr.selected td { background: var(--sel) !important; }
table.lanes tr.selected td.n { box-shadow: inset 4px 0 0 var(--sel-line); }
table.lanes tr.win-check td, table.lanes tr.win-write td, table.lanes tr.win-use td { background: #f5efff; }
table.lanes tr.win-check td.n, table.lanes tr.win-write td.n, table.lanes tr.win-use td.n { box-shadow: inset 4px 0 0 #8b5cf6; }
table.lanes tr.in-window td.n { box-shadow: inset 4px 0 0 #d6c2fb; }
.cell .action { font-weight: 500; }
.cell .where { margin-top: 2px; }
.src-line mark, figure.source mark { background: #ffe08a; color: inherit; border-radius: 2px; padding: 0 1px; }
.cell .src-line { display: block; color: #334; background: #f3f5f8; padding: 0 4px; border-radius: 3px; white-space: pre-wrap; word-break: break-word; }
.cell .frames, .step-detail .frames { color: var(--muted); font-size: 12px; }
.note { color: #7a4a00; font-size: 12.5px; }
.held { margin-top: 3px; }
.pos { color: var(--muted); }
figure.source { margin: 6px 0; }
figure.source figcaption { color: var(--muted); font-size: 12px; }
figure.source pre { margin: 2px 0; padding: 4px 6px; background: #fff; border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; }
figure.source .ln.here { background: var(--sel); display: inline-block; min-width: 100%; }
table.held-now { border-collapse: collapse; margin-top: 6px; width: 100%; }
table.held-now caption { text-align: left; color: var(--muted); font-size: 12px; }
table.held-now th, table.held-now td { border-top: 1px solid var(--line); padding: 2px 4px; text-align: left; vertical-align: top; }
table.held-now .none { color: var(--muted); }
.state-now { display: grid; grid-template-columns: minmax(130px, max-content) minmax(0, 1fr); gap: 0 10px; align-items: start; }
.state-now > table { width: 100%; }
table.vars-now { border-collapse: collapse; margin-top: 6px; }
table.vars-now caption { text-align: left; color: var(--muted); font-size: 12px; }
table.vars-now th, table.vars-now td { border-top: 1px solid var(--line); padding: 2px 4px; text-align: left; vertical-align: top; font-weight: normal; }
table.vars-now tr.changed th, table.vars-now tr.changed td { background: #fff1b8; }
table.vars-now td { white-space: nowrap; }
table.vars-now tr.changed th { font-weight: 600; }
.old-value { color: var(--muted); text-decoration: line-through; }
.changes .muted { color: var(--muted); }
.cell .changes, .cell .choices, .step-detail .choices { font-size: 12px; color: #334; margin-top: 2px; }
ol.stack { margin: 4px 0; padding-left: 22px; font-size: 12px; }
ol.stack .fn, .vars-now .fn { font-family: ui-monospace, monospace; }
ul.blocked-list { padding-left: 18px; margin: 4px 0; }
ul.blocked-list li.in-cycle { color: var(--red); }
.path { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--blue); }
pre.lockdep { background: #0f1720; color: #e6edf3; padding: 8px 10px; border-radius: 6px; overflow-x: auto; }
.diag { color: var(--red); }
dl.kinds dt { font-weight: 600; margin-top: 6px; }
dl.kinds dd { margin: 0 0 0 16px; color: var(--muted); }
@media (max-width: 900px) { .trace-body { flex-direction: column; } .step-panel { max-width: none; width: 100%; position: static; } }
@media print { .controls { display: none; } .step-detail[hidden] { display: block !important; } }
`;

/* The page script: ES2017, no dependencies, no network. Kept in a string so the report inlines it verbatim. */
export const CLIENT_JS = `
(function () {
  'use strict';
  var active = null;
  function rows(tr) { return Array.prototype.slice.call(tr.querySelectorAll('tr[data-pos]')); }
  function total(tr) { return Number(tr.getAttribute('data-total')) || rows(tr).length; }
  function current(tr) { return Number(tr.getAttribute('data-current')) || 1; }
  function select(tr, pos) {
    var n = total(tr);
    if (n === 0) return;
    pos = Math.max(1, Math.min(n, pos));
    tr.setAttribute('data-current', String(pos));
    rows(tr).forEach(function (r) {
      var on = Number(r.getAttribute('data-pos')) === pos;
      r.classList.toggle('selected', on);
      r.setAttribute('aria-selected', on ? 'true' : 'false');
    });
    Array.prototype.forEach.call(tr.querySelectorAll('.step-detail'), function (d) {
      d.hidden = Number(d.getAttribute('data-pos')) !== pos;
    });
    var label = tr.querySelector('.where-am-i');
    if (label) label.textContent = pos + ' / ' + n;
  }
  function activate(tr) {
    if (active && active !== tr) active.classList.remove('active');
    active = tr;
    tr.classList.add('active');
  }
  function step(tr, how) {
    var pos = current(tr);
    if (how === 'next') pos += 1;
    else if (how === 'prev') pos -= 1;
    else if (how === 'first') pos = 1;
    else if (how === 'last') pos = total(tr);
    select(tr, pos);
    var r = tr.querySelector('tr[data-pos="' + current(tr) + '"]');
    if (r && r.scrollIntoView) r.scrollIntoView({ block: 'nearest' });
  }
  var traces = Array.prototype.slice.call(document.querySelectorAll('section.trace'));
  traces.forEach(function (tr) {
    select(tr, 1);
    tr.addEventListener('click', function (e) {
      activate(tr);
      var t = e.target;
      var button = t.closest ? t.closest('button[data-act]') : null;
      if (button) { step(tr, button.getAttribute('data-act')); return; }
      var row = t.closest ? t.closest('tr[data-pos]') : null;
      if (row) select(tr, Number(row.getAttribute('data-pos')));
    });
    tr.addEventListener('focus', function () { activate(tr); });
  });
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a.step-link') : null;
    if (!a) return;
    e.preventDefault();
    var finding = a.closest('.finding');
    var tr = finding ? finding.querySelector('section.trace') : null;
    if (!tr) return;
    activate(tr);
    var s = a.getAttribute('data-step');
    if (s === 'end') select(tr, total(tr));
    else {
      var row = tr.querySelector('tr[data-step="' + s + '"]');
      if (row) select(tr, Number(row.getAttribute('data-pos')));
    }
    tr.focus({ preventScroll: true });
    tr.scrollIntoView({ block: 'nearest' });
  });
  var KEYS = { ArrowRight: 'next', ArrowDown: 'next', j: 'next', n: 'next', ArrowLeft: 'prev', ArrowUp: 'prev', k: 'prev', p: 'prev', Home: 'first', End: 'last' };
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var how = KEYS[e.key];
    if (!how) return;
    var focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest('section.trace') : null;
    // Arrow keys scroll the page unless a trace has the focus; the letter keys work on the last trace used.
    var tr = focused || ((e.key.length === 1) ? (active || traces[0]) : null);
    if (!tr) return;
    e.preventDefault();
    activate(tr);
    step(tr, how);
  });
})();
`;
