// The pipeline: load -> validate -> compile -> explore -> analyse, one spec at a time. Pure apart from the
// host (files) and the clock; never prints, never exits. An unexpected exception becomes one LC9001 diagnostic.
import { diag, Diagnostic } from './diagnostics/diagnostic';
import { analyse } from './analyse/findings';
import { matchExpectation } from './analyse/expect';
import { explore, Exploration, ExploreOptions } from './explore/explore';
import { compile, CompileOptions } from './model/compile';
import { Finding, SpecResult, Stats } from './result';
import { Host } from './spec/host';
import { load } from './spec/load';
import { validateSchema } from './spec/schema';
import { CompiledModel } from './model/ir';

export interface CheckOptions extends CompileOptions, ExploreOptions {}

export function errorResult(file: string, diagnostics: Diagnostic[], name?: string): SpecResult {
  return { file, name, verdict: 'error', findings: [], matches: false, unexpected: [], missing: [], diagnostics };
}

/** load + validate + compile: the front end, for tests and for --dump. */
export function frontEnd(host: Host, file: string, options: CompileOptions = {}): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const { loaded, diagnostics } = load(host, file);
  if (!loaded) return { diagnostics };
  const schemaDiags = [...loaded.models, loaded.spec].flatMap(validateSchema);
  const all = [...diagnostics, ...schemaDiags];
  if (all.length > 0) return { diagnostics: all };
  return compile(loaded, options);
}

/** The class dependency graph, with stable node and edge order (for reports). */
function lockGraph(model: CompiledModel, x: Exploration): SpecResult['lockGraph'] {
  const edges = [...x.lockdep.edges.values()]
    .map((e) => ({ from: x.lockdep.nodeName(e.from), to: x.lockdep.nodeName(e.to), type: e.type }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type));
  const nodes = [...new Set([...model.classes.map((c) => c.name), ...edges.flatMap((e) => [e.from, e.to])])].sort();
  return { nodes, edges };
}

/** Every order of the attributes declared "any" (addresses left unordered), as attrOrders options. */
function attributeOrders(model: CompiledModel): Record<string, string[]>[] {
  let out: Record<string, string[]>[] = [{}];
  for (const a of model.anyAttrs) {
    const next: Record<string, string[]>[] = [];
    for (const base of out) for (const p of permutations(a.instances)) next.push({ ...base, [`${a.lock}.${a.attr}`]: p });
    out = next;
  }
  return out;
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}


export function checkFile(host: Host, file: string, options: CheckOptions = {}): SpecResult {
  const display = host.display(file);
  try {
    const front = frontEnd(host, file, options);
    if (!front.model) return errorResult(display, front.diagnostics);
    const at = { file: display, line: 1, col: 1 };
    const orders = front.model.anyAttrs.length > 0 ? attributeOrders(front.model) : [undefined];

    const findings: Finding[] = [];
    const seen = new Set<string>();
    const variants: NonNullable<SpecResult['variants']> = [];
    const stats: Stats = { states: 0, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0, bytesPerState: 0, threads: front.model.threads.length, stateSlots: front.model.width, deadlockStates: 0 };
    let stopped: Exploration['stopped'];
    let elapsed = 0;
    let graph: SpecResult['lockGraph'];
    for (const attrOrders of orders) {
      const model = attrOrders ? compile(load(host, file).loaded!, { ...options, attrOrders }).model! : front.model;
      const x = explore(model, options);
      const label = attrOrders ? Object.entries(attrOrders).map(([k, v]) => `${k}: ${v.join(' < ')}`).join('; ') : undefined;
      const fs = analyse(model, x);
      for (const f of fs) {
        if (label) f.details = { ...f.details, order: label };
        const key = `${f.kind}|${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
      if (!graph) graph = lockGraph(model, x);
      if (label) variants.push({ order: label, findings: [...new Set(fs.map((f) => f.kind))], states: x.store.count });
      stats.states += x.store.count;
      stats.transitions += x.transitions;
      stats.depth = Math.max(stats.depth, x.depth);
      stats.deadlockStates += x.deadlockStates;
      stats.bytesPerState = Math.max(stats.bytesPerState, Math.round(x.store.bytesPerState() * 10) / 10);
      elapsed += x.seconds;
      if (x.stopped) {
        stopped = x.stopped;
        break;
      }
    }
    stats.seconds = Math.round(elapsed * 1000) / 1000;
    stats.statesPerSecond = elapsed > 0 ? Math.round(stats.states / elapsed) : stats.states;
    const complete = stopped === undefined;
    const match = matchExpectation(findings, front.model.expect, complete);
    const incomplete =
      stopped === 'max-states'
        ? diag('maxStates', at, { states: stats.states }).message
        : stopped === 'max-seconds'
          ? diag('maxSeconds', at, { seconds: stats.seconds }).message
          : stopped === 'interrupted'
            ? diag('interrupted', at, { states: stats.states }).message
            : stopped === 'max-memory'
              ? diag('maxMemory', at, { states: stats.states, mb: Math.round((options.maxMemoryBytes ?? 0) / 2 ** 20) }).message
              : undefined;
    const verdict = !complete ? 'incomplete' : findings.length > 0 ? 'findings' : 'ok';
    const result: SpecResult = { file: display, name: front.model.name, verdict, findings, expected: front.model.expect, ...match, stats, incomplete, diagnostics: [] };
    result.lockGraph = graph;
    if (variants.length > 0) result.variants = variants;
    return result;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason })]);
  }
}
