// HTML reporter (--report FILE.html): one self-contained page that opens offline. A summary of every spec and
// finding; per spec its lock-order graph (SVG, cycles highlighted); per finding its message, a plain-language
// story, a deadlock's wait-for graph, the counterexample as swim lanes with a step panel (source in context,
// locks held), lock-order-cycle chains, and the lockdep-style text. A pure function of the result, the quoted
// source lines and a Graphviz layout function: the same input gives the same bytes (no timestamps).
import { formatDiagnostic } from '../../checker/diagnostics/diagnostic';
import { CheckResult, Finding, SpecResult } from '../../checker/result';
import { FINDING_KINDS } from '../../checker/spec/types';
import { toctouWindow } from '../../checker/facts';
import { isUnexpected } from '../../checker/analyse/expect';
import { RULES } from '../rules';
import { renderFinding } from '../text';
import { CLIENT_JS, CSS } from './assets';
import { cycleThreads, inlineSvg, Layout, lockGraphDot, waitForDot } from './graphs';
import { esc, posText, sourceContext } from './markup';
import { Sources } from './sources';
import { renderStory } from './story';
import { renderTraceView } from './trace';

export interface HtmlOptions {
  /** Graphviz: DOT -> SVG (graphvizLayout() in ./graphs) */
  layout: Layout;
  /** the spec and model lines to quote (collectSources() in ./sources) */
  sources?: Sources;
  /** the page title (default "lockcheck report") */
  title?: string;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const specId = (i: number) => `spec-${i + 1}`;
const findingId = (i: number, j: number) => `finding-${i + 1}-${j + 1}`;

function verdictBadge(r: SpecResult): string {
  return `<span class="badge verdict-${esc(r.verdict)}">${esc(r.verdict)}</span>`;
}

function expectation(r: SpecResult): string {
  if (r.verdict === 'error') return `<span class="badge verdict-error">bad spec</span>`;
  if (r.verdict === 'incomplete') return `<span class="badge verdict-incomplete">search not finished</span> ${esc(r.incomplete ?? '')}`;
  if (r.matches) return `<span class="badge expect-ok">${r.expected ? 'as expected' : 'clean'}</span>`;
  const parts = [...(r.unexpected.length ? [`unexpected: ${r.unexpected.join(', ')}`] : []), ...(r.missing.length ? [`missing: ${r.missing.join(', ')}`] : [])];
  return `<span class="badge expect-bad">NOT as expected</span> ${esc(parts.join('; '))}`;
}

function kindBadge(r: SpecResult, f: Finding): string {
  const bad = isUnexpected(r, f);
  return `<span class="badge kind${bad ? ' unexpected' : ''}" title="${esc(RULES[f.kind]?.short ?? '')}">${esc(f.kind)}</span>`;
}

function summary(result: CheckResult): string {
  const rs = result.results;
  const rows = rs.map((r, i) => {
    const findings = r.findings.map((f, j) => `<a href="#${findingId(i, j)}">${kindBadge(r, f)}</a>`).join(' ');
    const states = r.stats ? `${r.stats.states} states, depth ${r.stats.depth}` : '';
    return `<tr><td><a href="#${specId(i)}">${esc(r.file)}</a>${r.name ? `<br><span class="pos">${esc(r.name)}</span>` : ''}</td><td>${verdictBadge(r)}</td><td>${expectation(r)}</td><td>${findings || (r.verdict === 'error' ? `${r.diagnostics.length} diagnostic${r.diagnostics.length === 1 ? '' : 's'}` : 'none')}</td><td>${esc(states)}</td></tr>`;
  });
  const n = (p: (r: SpecResult) => boolean) => rs.filter(p).length;
  const line = `${rs.length} spec${rs.length === 1 ? '' : 's'}: ${n((r) => r.verdict !== 'error' && r.verdict !== 'incomplete' && r.matches)} as expected, ${n((r) => r.verdict !== 'error' && !r.matches)} not as expected, ${n((r) => r.verdict === 'incomplete')} incomplete, ${n((r) => r.verdict === 'error')} with errors; ${rs.reduce((a, r) => a + r.findings.length, 0)} findings`;
  const findingRows = rs.flatMap((r, i) =>
    r.findings.map(
      (f, j) =>
        `<tr><td><a href="#${specId(i)}">${esc(r.file)}</a></td><td><a href="#${findingId(i, j)}">${kindBadge(r, f)}</a></td><td>${isUnexpected(r, f) ? '<span class="badge expect-bad">unexpected</span>' : f.known ? '<span class="badge expect-ok">known</span>' : '<span class="badge expect-ok">expected</span>'}</td><td><a href="#${findingId(i, j)}">${esc(f.message)}</a></td></tr>`,
    ),
  );
  const findingsTable = findingRows.length
    ? `<table class="summary findings"><thead><tr><th>spec</th><th>finding</th><th></th><th>what</th></tr></thead><tbody>${findingRows.join('')}</tbody></table>`
    : '';
  const kinds = FINDING_KINDS.map((k) => `<dt>${esc(k)}</dt><dd>${esc(RULES[k].short)}</dd>`).join('');
  return (
    `<section class="overview"><p class="verdict-line">${esc(line)}</p>` +
    `<table class="summary specs"><thead><tr><th>spec</th><th>verdict</th><th>expectation</th><th>findings</th><th>search</th></tr></thead><tbody>${rows.join('')}</tbody></table>${findingsTable}` +
    `<details><summary>What the finding kinds mean</summary><dl class="kinds">${kinds}</dl></details>` +
    `<p class="pos">Step through a trace: click a row, use its buttons, or focus it and press ← → (or j k), Home, End.</p></section>`
  );
}

function graph(dot: string | undefined, layout: Layout, prefix: string, caption: string, cls: string): string {
  if (!dot) return '';
  return `<figure class="graph ${cls}" id="${prefix}"><figcaption>${esc(caption)}</figcaption>${inlineSvg(layout(dot), prefix)}</figure>`;
}

function renderFindingHtml(r: SpecResult, f: Finding, i: number, j: number, opts: HtmlOptions, sources: Sources): string {
  const id = findingId(i, j);
  const unexpected = isUnexpected(r, f);
  const where = f.location ? sourceContext(sources, f.location, 1) : '';
  const stack = f.stack && f.stack.length > 1 ? f.stack : undefined;
  // the call chain as a backtrace: the finding's frame first, each caller's call after it
  const chain = stack
    ? `<ol class="stack backtrace" aria-label="call chain, innermost first">${[...stack]
        .reverse()
        .map(
          (fr, k) => `<li>${k === 0 ? 'at' : 'called from'} <span class="pos">${esc(posText(fr.src))}</span> in <span class="fn">${esc(fr.name)}</span></li>`,
        )
        .join('')}</ol>`
    : '';
  const calledFrom = chain + (f.calledFrom ? `<p>called from the spec at:</p>${sourceContext(sources, f.calledFrom, 1)}` : '');
  const order = f.order !== undefined ? `<p>with the attribute order ${esc(f.order)}</p>` : '';
  const cycle = cycleThreads(f);
  const wait =
    f.kind === 'deadlock' ? graph(waitForDot(f), opts.layout, `${id}-waitfor`, 'Who waits for whom at the end (the wait-for cycle in red)', 'wait-for') : '';
  const window = toctouWindow(f);
  const main =
    f.trace && (f.trace.steps.length > 0 || f.trace.blocked?.length || f.trace.setup?.length)
      ? renderTraceView(f.trace, {
          id: `${id}-trace`,
          title: f.kind === 'deadlock' ? 'The schedule that deadlocks (shortest)' : 'Trace',
          sources,
          window,
          cycle,
          endLabel: f.kind,
        })
      : '';
  const chains = (f.chains ?? [])
    .map((c, k) => renderTraceView(c.trace, { id: `${id}-chain-${k + 1}`, title: `How the edge ${c.label} arises`, sources }))
    .join('');
  const lockdep = `<details><summary>As text (lockdep style)</summary><pre class="lockdep">${esc(renderFinding(f, { traces: false }).join('\n'))}</pre></details>`;
  return (
    `<article class="finding${unexpected ? ' unexpected' : ''}" id="${id}" data-kind="${esc(f.kind)}">` +
    `<h3>${kindBadge(r, f)} ${unexpected ? '<span class="badge expect-bad">unexpected</span>' : '<span class="badge expect-ok">expected</span>'}</h3>` +
    `<p class="message">${esc(f.message)}</p>${order}${renderStory(f)}${wait}${where}${calledFrom}${main}` +
    (chains ? `<h4>The chains of the cycle</h4>${chains}` : '') +
    lockdep +
    `</article>`
  );
}

function renderSpec(r: SpecResult, i: number, opts: HtmlOptions, sources: Sources): string {
  const id = specId(i);
  const head = `<h2 id="${id}">${esc(r.file)} ${verdictBadge(r)} ${expectation(r)}</h2>${r.name ? `<p>${esc(r.name)}</p>` : ''}`;
  if (r.verdict === 'error') {
    return `<section class="spec" data-file="${esc(r.file)}">${head}<ul class="diags">${r.diagnostics.map((d) => `<li class="diag"><pre>${esc(formatDiagnostic(d))}</pre>${sourceContext(sources, d.pos, 1)}</li>`).join('')}</ul></section>`;
  }
  const s = r.stats;
  const stats = s
    ? `<p class="pos">${s.states} states, ${s.transitions} transitions, depth ${s.depth}, ${s.threads} threads${s.seconds !== undefined ? `, ${s.seconds} s` : ''}${r.incomplete ? `; incomplete: ${esc(r.incomplete)}` : ''}</p>`
    : '';
  const variants = r.variants
    ? `<details><summary>${r.variants.length} orders of the "any" attributes tried; ${r.variants.filter((v) => v.findings.length).length} give findings</summary><ul>${r.variants.map((v) => `<li>${esc(v.order)}: ${esc(v.findings.join(', ') || 'none')}</li>`).join('')}</ul></details>`
    : '';
  const lg = graph(
    lockGraphDot(r),
    opts.layout,
    `${id}-lockgraph`,
    "Lock-order graph: lockdep's class dependencies, held → acquired (cycles and classes nested in themselves in red)",
    'lock-order',
  );
  const findings = r.findings.map((f, j) => renderFindingHtml(r, f, i, j, opts, sources)).join('');
  return `<section class="spec" data-file="${esc(r.file)}">${head}${stats}${variants}${lg}${findings || '<p>No finding.</p>'}</section>`;
}

export function renderHtml(result: CheckResult, opts: HtmlOptions): string {
  const sources = opts.sources ?? {};
  const title = opts.title ?? 'lockcheck report';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="lockcheck">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header class="top"><h1>${esc(title)}</h1></header>`,
    '<main>',
    summary(result),
    ...result.results.map((r, i) => renderSpec(r, i, opts, sources)),
    '</main>',
    `<script>${CLIENT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
