// The HTML report's graphs, laid out by Graphviz (the @viz-js/viz build, compiled to WebAssembly and run in
// Node when the report is made, so the page holds plain SVG and needs no script to draw it):
//  - the lock-order graph: lockdep's class dependency graph (held -> acquired, edge type EN/ER/SN/SR), with
//    the edges and classes of every lock-order cycle, and the classes nested in themselves, highlighted;
//  - a deadlock's wait-for graph: threads wait for locks, locks are held by threads; the cycle highlighted.
// Highlighted elements carry class "cycle" (Graphviz passes a DOT `class` through to the SVG).
import { BlockedThread, Finding, SpecResult } from '../../checker/result';

/** DOT in, SVG out. */
export type Layout = (dot: string) => string;

/** Graphviz's dot engine, from @viz-js/viz (loads its WebAssembly once). */
export async function graphvizLayout(): Promise<Layout> {
  // require(), not import: the package is ESM with a CommonJS build under "require", which TypeScript's
  // node16 resolution would not let a CommonJS module import.
  const viz = await (
    require('@viz-js/viz') as { instance: () => Promise<{ renderString: (dot: string, o: { format: string; engine: string }) => string }> }
  ).instance();
  return (dot) => viz.renderString(dot, { format: 'svg', engine: 'dot' });
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const CYCLE = 'color="#c1121f", fontcolor="#c1121f", penwidth=2.6, class="cycle"';
const PLAIN = 'color="#5c6670", fontcolor="#28313b"';
const GRAPH =
  'graph [rankdir=LR, bgcolor="transparent", fontname="Helvetica", nodesep=0.35, ranksep=0.6, pad=0.1];\n  node [fontname="Helvetica", fontsize=12, style=filled, fillcolor="#ffffff"];\n  edge [fontname="Helvetica", fontsize=10, arrowsize=0.8];';

/** The class edges of a cycle: consecutive classes, closing back to the first. */
function cycleEdges(classes: string[]): [string, string][] {
  return classes.map((c, i) => [c, classes[(i + 1) % classes.length]]);
}

/** DOT for a spec's lock-order graph, or undefined when it has no classes. */
export function lockGraphDot(r: SpecResult): string | undefined {
  const g = r.lockGraph;
  if (!g || g.nodes.length === 0) return undefined;
  const hot = new Set<string>();
  const hotNodes = new Set<string>();
  const selfLoops = new Set<string>();
  for (const f of r.findings) {
    if (f.kind === 'lock-order-cycle') {
      for (const [a, b] of cycleEdges(f.facts.classes)) {
        hot.add(`${a}\u0000${b}`);
        hotNodes.add(a);
      }
    }
    if (f.kind === 'recursive-locking') {
      selfLoops.add(f.facts.class);
      hotNodes.add(f.facts.class);
    }
  }
  const lines = [`digraph lockorder {`, `  ${GRAPH}`];
  for (const n of g.nodes)
    lines.push(`  ${q(n)} [shape=box, style="rounded,filled", ${hotNodes.has(n) ? `${CYCLE}, fillcolor="#fde8e8"` : PLAIN}, id=${q(`class:${n}`)}];`);
  for (const e of g.edges) {
    const isHot = hot.has(`${e.from}\u0000${e.to}`);
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.type)}, ${isHot ? CYCLE : PLAIN}, id=${q(`dep:${e.from}->${e.to}:${e.type}`)}];`);
  }
  for (const c of [...selfLoops].sort()) {
    if (g.edges.some((e) => e.from === c && e.to === c)) continue;
    lines.push(`  ${q(c)} -> ${q(c)} [label="nested in itself", style=dashed, ${CYCLE}, id=${q(`self:${c}`)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The threads of a deadlock's wait-for cycle (facts.threads of a "cycle" or "self" deadlock), else none. */
export function cycleThreads(f: Finding): Set<string> {
  if (f.kind === 'deadlock' && (f.facts.category === 'cycle' || f.facts.category === 'self')) return new Set(f.facts.threads);
  return new Set();
}

/** DOT for a deadlock's wait-for graph at its final state, or undefined without blocked threads. */
export function waitForDot(f: Finding): string | undefined {
  const blocked: BlockedThread[] = f.trace?.blocked ?? [];
  if (blocked.length === 0) return undefined;
  const inCycle = cycleThreads(f);
  const waitsOn = (b: BlockedThread) => [...b.heldBy, ...(b.queuedBehind ?? [])];
  const threads: string[] = [];
  const locks: string[] = [];
  const add = (xs: string[], x: string) => {
    if (!xs.includes(x)) xs.push(x);
  };
  // "A (read)" is a read acquisition of A: one node for the lock, the mode on the edge.
  const lockOf = (b: BlockedThread) => b.waitsFor.replace(/ \(read\)$/, '');
  const readOf = (b: BlockedThread) => (b.waitsFor.endsWith(' (read)') ? ' (read)' : '');
  for (const b of blocked) {
    add(threads, b.thread);
    add(locks, lockOf(b));
    for (const h of waitsOn(b)) add(threads, h);
  }
  const hotLocks = new Set(blocked.filter((b) => inCycle.has(b.thread) && b.heldBy.some((h) => inCycle.has(h))).map(lockOf));
  const lines = [`digraph waitfor {`, `  ${GRAPH}`];
  for (const t of threads) {
    const blockedHere = blocked.some((b) => b.thread === t);
    const style = inCycle.has(t) ? `${CYCLE}, fillcolor="#fde8e8"` : blockedHere ? `color="#b5651d", fontcolor="#28313b", fillcolor="#fff4e5"` : PLAIN;
    lines.push(`  ${q(`thread:${t}`)} [label=${q(t)}, shape=box, style="rounded,filled,bold", ${style}, id=${q(`thread:${t}`)}];`);
  }
  for (const l of locks)
    lines.push(`  ${q(`lock:${l}`)} [label=${q(l)}, shape=ellipse, ${hotLocks.has(l) ? `${CYCLE}, fillcolor="#fde8e8"` : PLAIN}, id=${q(`lock:${l}`)}];`);
  for (const b of blocked) {
    const hot = hotLocks.has(lockOf(b)) && inCycle.has(b.thread) && b.heldBy.some((h) => inCycle.has(h));
    lines.push(
      `  ${q(`thread:${b.thread}`)} -> ${q(`lock:${lockOf(b)}`)} [label=${q(`waits for${readOf(b)}`)}, style=dashed, ${hot ? CYCLE : PLAIN}, id=${q(`wait:${b.thread}->${lockOf(b)}`)}];`,
    );
  }
  const heldEdges = new Set<string>();
  for (const b of blocked) {
    for (const h of b.heldBy) {
      const key = `${lockOf(b)}\u0000${h}`;
      if (heldEdges.has(key)) continue;
      heldEdges.add(key);
      const hot = hotLocks.has(lockOf(b)) && inCycle.has(h);
      lines.push(
        `  ${q(`lock:${lockOf(b)}`)} -> ${q(`thread:${h}`)} [label=${q(b.readers ? 'read by' : 'held by')}, ${hot ? CYCLE : PLAIN}, id=${q(`held:${lockOf(b)}->${h}`)}];`,
      );
    }
  }
  for (const b of blocked) {
    for (const w of b.queuedBehind ?? []) {
      const hot = inCycle.has(b.thread) && inCycle.has(w);
      lines.push(
        `  ${q(`thread:${b.thread}`)} -> ${q(`thread:${w}`)} [label="queued behind", style=dotted, ${hot ? CYCLE : PLAIN}, id=${q(`queue:${b.thread}->${w}`)}];`,
      );
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * Graphviz SVG made fit to inline in HTML: no XML prolog, doctype or comments (the version comment would tie
 * the report to a Graphviz build), every id prefixed so that several graphs can share one page.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/<!DOCTYPE[^>]*>\s*/g, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .replace(/\bid="([^"]*)"/g, (_m, id: string) => `id="${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}"`)
    .replace(/(xlink:href|href)="#([^"]*)"/g, (_m, a: string, id: string) => `${a}="#${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}"`)
    .replace(/url\(#([^)]*)\)/g, (_m, id: string) => `url(#${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')})`)
    .replace(/<svg width="[^"]*" height="[^"]*"/, (m) => `${m} role="img"`)
    .trim();
}
