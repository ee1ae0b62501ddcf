// The pipeline: load -> validate -> compile -> explore -> analyse, one spec at a time. Pure apart from the
// host (files) and the clock; never prints, never exits. An unexpected exception becomes one LC9001 diagnostic.
import { createHash } from 'crypto';
import { diag, Diagnostic } from './diagnostics/diagnostic';
import { analyse } from './analyse/findings';
import { withSettledCheckKinds } from './analyse/check-kinds';
import { confirmShortest, MIN_BUDGET } from './analyse/shortest';
import { guidance, IncompleteCause } from './analyse/guidance';
import { expectedOf, matchExpectation } from './analyse/expect';
import { identityKey } from './facts';
import { fingerprint } from './fingerprint';
import * as path from 'path';
import { explore, Exploration, ExploreOptions, replayMoves, simulate, SimulateOptions } from './explore/explore';
import { parsePath } from './explore/trace';
import { compile, CompileOptions } from './model/compile';
import { errorResult, Finding, SpecResult, Stats } from './result';
import { Host } from './spec/host';
import { load, Loaded, LoadOptions } from './spec/load';
import { validateSchema } from './spec/schema';
import { CompiledModel, IrModel } from './model/ir';

export interface CheckOptions extends CompileOptions, LoadOptions, ExploreOptions {
  /** seeded random walks instead of an exhaustive search */
  simulate?: SimulateOptions;
}

const paramArgs = (o: CheckOptions) =>
  Object.entries(o.params ?? {})
    .map(([k, v]) => ` --param ${k}=${v}`)
    .join('');

export { errorResult }; // (in result.ts, so that the CLI can report an error without loading the pipeline)

/** load + validate + compile: the front end, for tests and for --dump. */
export function frontEnd(
  host: Host,
  file: string,
  options: CompileOptions & LoadOptions = {},
  /** asked between the stages: true stops there (a bound or a signal), and the result says `stoppedIn` */
  stop?: () => boolean,
): { model?: CompiledModel; ir?: IrModel; diagnostics: Diagnostic[]; specHash?: string; stoppedIn?: string } {
  // a spec whose check starts after a signal (or past its time) is not read at all: loading a big one takes seconds
  if (stop?.()) return { diagnostics: [], stoppedIn: 'starting the check' };
  const { loaded, diagnostics } = load(host, file, options);
  if (!loaded) return { diagnostics };
  if (stop?.()) return { diagnostics: [], stoppedIn: 'loading the spec' };
  const schemaDiags = [...loaded.models, loaded.spec].flatMap(validateSchema);
  const all = [...diagnostics, ...schemaDiags];
  if (all.length > 0) return { diagnostics: all };
  if (stop?.()) return { diagnostics: [], stoppedIn: 'validating the spec' };
  const compiled = compile(loaded, options);
  if (compiled.model && stop?.()) return { diagnostics: [], stoppedIn: 'compiling the spec' };
  return { ...compiled, specHash: specHash(loaded) };
}

/** The content of a spec and the models it imports, in load order, as a sha256: what its shards must share. */
export function specHash(loaded: Loaded): string {
  const h = createHash('sha256');
  for (const d of [...loaded.models, loaded.spec]) h.update(`${d.role}\0${d.text.length}\0${d.text}`);
  return h.digest('hex');
}

/** The options that shape a search's state space and findings, as canonical JSON: shards of one split share them. */
export function searchIdentity(options: CheckOptions): string {
  const params = Object.entries(options.params ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({
    params,
    without: [...(options.without ?? [])].sort(),
    por: options.por !== false,
    symmetry: options.symmetry !== false,
    deadVariables: options.deadVariables !== false,
    exact: options.exact === true,
    maxDepth: options.maxDepth ?? null,
  });
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

/**
 * A complete result merged from shards (--jobs): its traces come from reduced shard searches, so confirm them
 * as shortest ones here, as checkFile does for a single search (specs with "any" attributes keep theirs).
 */
export function confirmMerged(host: Host, file: string, options: CheckOptions, r: SpecResult): SpecResult {
  if (r.verdict !== 'findings' || r.variants || (options.por === false && options.symmetry === false)) return r;
  const front = frontEnd(host, file, options);
  if (!front.model || front.model.anyAttrs.length > 0) return r;
  // confirming merges a check's kinds into one (its shortest trace's): settle them again after it
  const confirmed = confirmShortest(front.model, r.findings, r.stats?.states ?? 0, options);
  const { findings, unsettled } = withSettledCheckKinds(front.model, confirmed, r.stats?.states ?? 0, options);
  withFingerprints(host, file, findings);
  return { ...r, findings, ...matchExpectation(findings, front.model.expect, true), ...(unsettled ? { coverage: unsettled } : {}) };
}

/**
 * Each finding's fingerprint, with the spec named by its path in its project (the same whichever directory
 * lockcheck runs from; the display path when the host knows no project root).
 */
function withFingerprints(host: Host, file: string, findings: Finding[]): Finding[] {
  const specPath = host.projectRoot ? path.relative(host.projectRoot(file), path.resolve(file)) : host.display(file);
  for (const f of findings) f.fingerprint = fingerprint(specPath, f);
  return findings;
}

/** A check stopped by --max-seconds or a signal before its search began. */
function stoppedBeforeSearch(file: string, why: 'max-seconds' | 'interrupted', stage: string, seconds: number): SpecResult {
  const at = { file, line: 1, col: 1 };
  const secs = Math.round(seconds * 1000) / 1000;
  const message =
    why === 'max-seconds'
      ? diag('maxSeconds', at, { seconds: secs }).message
      : diag('interrupted', at, { states: 0 }).message.replace('after 0 states', 'before the search');
  const stats: Stats = {
    states: 0,
    transitions: 0,
    depth: 0,
    seconds: secs,
    statesPerSecond: 0,
    bytesPerState: 0,
    threads: 0,
    stateSlots: 0,
    deadlockStates: 0,
    complete: false,
  };
  return {
    file,
    verdict: 'incomplete',
    findings: [],
    matches: true,
    unexpected: [],
    missing: [],
    stats,
    incomplete: `${message}, while ${stage}`,
    diagnostics: [],
  };
}

/**
 * --replay: runs the one path of a trace's `path:` line, without searching, and reports the findings at its
 * end with their traces. A path the spec does not allow (a malformed line, a thread that cannot move, a choice
 * it does not have) is an error (LC6010) that names the step.
 */
export function replayFile(host: Host, file: string, options: CheckOptions, pathText: string): SpecResult {
  const display = host.display(file);
  try {
    const front = frontEnd(host, file, options);
    if (!front.model) return errorResult(display, front.diagnostics);
    const at = { file: display, line: 1, col: 1 };
    const moves = parsePath(pathText);
    if (typeof moves === 'string') return errorResult(display, [diag('badPath', at, { reason: moves })], front.model.name);
    const x = replayMoves(front.model, moves);
    if (!('store' in x)) return errorResult(display, [diag('badPath', at, { reason: `step ${x.step}: ${x.reason}` })], front.model.name);
    const path = moves.map((mv) => `${mv >>> 16}.${mv & 0xffff}`).join(':');
    // the findings this run ends in; those on its way have shorter traces of their own
    const findings = analyse(front.model, x).filter((f) => f.trace?.path === path);
    for (const f of findings) f.trace!.shortest = false;
    withFingerprints(host, file, findings);
    const stats: Stats = {
      states: x.store.count,
      transitions: x.transitions,
      depth: moves.length,
      bytesPerState: 0,
      threads: front.model.threads.length,
      stateSlots: front.model.width,
      deadlockStates: x.deadlockStates,
      strategy: 'replay',
      complete: true,
    };
    const steps = `${moves.length} step${moves.length === 1 ? '' : 's'}`;
    return {
      file: display,
      name: front.model.name,
      verdict: findings.length > 0 ? 'findings' : 'incomplete',
      findings,
      ...expectedOf(front.model.expect),
      ...matchExpectation(findings, front.model.expect, false),
      stats,
      ...(findings.length > 0
        ? { coverage: `replay of one path (${steps}), not a search` }
        : { incomplete: `replay: the path (${steps}) leads to no finding at its end` }),
      diagnostics: [],
    };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason })]);
  }
}

export function checkFile(host: Host, file: string, options: CheckOptions = {}): SpecResult {
  const display = host.display(file);
  try {
    // --max-seconds and SIGINT/SIGTERM hold from the start: the front end is asked between its stages, and the
    // search gets what time is left
    const now = options.now ?? (() => performance.now() / 1000);
    const started = now();
    const userMaxSeconds = options.maxSeconds;
    const stopReason = (): 'max-seconds' | 'interrupted' | undefined =>
      options.shouldStop?.() ? 'interrupted' : options.maxSeconds !== undefined && now() - started > options.maxSeconds ? 'max-seconds' : undefined;
    const front = frontEnd(host, file, options, () => stopReason() !== undefined);
    if (front.stoppedIn) return stoppedBeforeSearch(display, stopReason() ?? 'interrupted', front.stoppedIn, now() - started);
    if (!front.model) return errorResult(display, front.diagnostics);
    if (options.maxSeconds !== undefined) options = { ...options, maxSeconds: Math.max(0, options.maxSeconds - (now() - started)) };
    // the follow-up searches (shortest traces, check kinds) get what is left of --max-seconds, not all of it again
    const searchStarted = now();
    const timeLeft = <T extends { maxSeconds?: number }>(o: T): T =>
      o.maxSeconds === undefined ? o : { ...o, maxSeconds: Math.max(0, o.maxSeconds - (now() - searchStarted)) };
    const dfs = options.strategy === 'dfs' && !options.simulate;
    const at = { file: display, line: 1, col: 1 };
    const orders = front.model.anyAttrs.length > 0 ? attributeOrders(front.model) : [undefined];

    const findings: Finding[] = [];
    const seen = new Set<string>();
    const variants: NonNullable<SpecResult['variants']> = [];
    const stats: Stats = {
      states: 0,
      transitions: 0,
      depth: 0,
      seconds: 0,
      statesPerSecond: 0,
      bytesPerState: 0,
      threads: front.model.threads.length,
      stateSlots: front.model.width,
      deadlockStates: 0,
    };
    let stopped: Exploration['stopped'];
    let elapsed = 0;
    let walks = 0;
    let splitDepth = -1;
    let prefix: Exploration['prefix'];
    let graph: SpecResult['lockGraph'];
    let unsettled: string | undefined;
    let depthCut = 0;
    for (const attrOrders of orders) {
      const model = attrOrders ? compile(load(host, file, options).loaded!, { ...options, attrOrders }).model! : front.model;
      // the workers of --jobs share one visited set for one search: a spec searched once per attribute order keeps
      // its own per search
      const searchOptions = orders.length === 1 ? options : { ...options, sharedVisited: undefined };
      const x: Exploration & { walks?: number } = options.simulate ? simulate(model, options.simulate, options) : explore(model, searchOptions);
      walks += x.walks ?? 0;
      splitDepth = x.splitDepth ?? splitDepth;
      prefix = x.prefix ?? prefix;
      stats.reducedStates = (stats.reducedStates ?? 0) + x.reduced;
      const label = attrOrders
        ? Object.entries(attrOrders)
            .map(([k, v]) => `${k}: ${v.join(' < ')}`)
            .join('; ')
        : undefined;
      // --max-depth cut the search: it covered the states within the bound, like a partial search
      const cut = options.maxDepth !== undefined && x.depthCut > 0 && !options.simulate;
      if (cut) depthCut += x.depthCut;
      // with a reduction on, or depth-first, confirm each trace as a shortest one of the unreduced interleavings;
      // after depth-first (used on models too big for breadth-first) within a small budget, so that it stays a
      // short epilogue: the traces it cannot confirm stay marked as not shortest
      const reduced = options.por !== false || options.symmetry !== false;
      const followUpBudget = dfs ? MIN_BUDGET : undefined;
      const confirm = (reduced || dfs) && !x.stopped && !cut && !options.simulate && options.bitstateBits === undefined && !options.shard;
      let fs = confirm ? confirmShortest(model, analyse(model, x), x.store.states, timeLeft(options), followUpBudget) : analyse(model, x);
      // a complete search (or shard: it settles the kinds over the whole space, so that the merge of the shards
      // has them) has seen a failing check if there is one: settle which kinds each one's runs reach
      if (!x.stopped && !cut && !options.simulate && options.bitstateBits === undefined) {
        const settled = withSettledCheckKinds(model, fs, x.store.states, timeLeft(options), followUpBudget);
        fs = settled.findings;
        unsettled = unsettled ?? settled.unsettled;
      }
      // only a complete breadth-first search without reductions or lost states yields shortest traces by itself:
      // a shard sees its part of the tree, a walk or a bitstate collision can miss the short path
      // (a shard of --jobs that shared its visited set stored every state at its breadth-first depth, as one search
      // does; so did a shard whose search ended before its split level)
      const wholeTree = !options.shard || x.prefix !== undefined || x.splitDepth === -1;
      const shortestByConstruction = !reduced && !dfs && !x.stopped && !options.simulate && options.bitstateBits === undefined && wholeTree;
      if (!confirm && !shortestByConstruction) for (const f of fs) if (f.trace) f.trace.shortest = false;
      for (const f of fs) {
        if (label) f.order = label;
        // two checks with the same message at different places are two findings
        const key = `${f.location ? `${f.location.file}:${f.location.line}:${f.location.col}` : ''}|${identityKey(f)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
      if (!graph) graph = lockGraph(model, x);
      if (label) variants.push({ order: label, findings: [...new Set(fs.map((f) => f.kind))], states: x.store.states });
      stats.states += x.store.states;
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
    const exhaustive = complete && depthCut === 0 && !options.simulate && options.bitstateBits === undefined && !options.shard;
    withFingerprints(host, file, findings);
    const match = matchExpectation(findings, front.model.expect, exhaustive);
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
    // A search that could have missed states proves nothing: a random simulation, or a bitstate search,
    // finding nothing is "incomplete" (what it finds is real). A shard covers only its part.
    let partial: string | undefined;
    const sim = options.simulate;
    if (sim) {
      const w = `${walks} random walk${walks === 1 ? '' : 's'}`;
      partial = sim.swarm
        ? `swarm: ${w} with random thread weights (seed ${sim.seed}${sim.jobs && sim.jobs > 1 ? `, over ${sim.jobs} jobs` : ''}), not an exhaustive search`
        : `simulation: ${w} (seed ${sim.seed}), not an exhaustive search`;
      stats.mode = 'simulation';
      stats.walks = walks;
      if (sim.swarm) stats.strategy = 'swarm';
      const depthArg = options.maxDepth !== undefined ? ` --max-depth ${options.maxDepth}` : '';
      for (const f of findings)
        if (f.walk !== undefined)
          f.reproduce = sim.swarm
            ? `lockcheck check ${display} --strategy swarm --seed ${sim.seed} --walk ${f.walk}${depthArg}${paramArgs(options)}`
            : `lockcheck check ${display} --simulate 1 --seed ${sim.seed} --walk ${f.walk}${paramArgs(options)}`;
    } else if (options.bitstateBits !== undefined) {
      partial = `bitstate search: ${stats.states} states hashed into 2^${options.bitstateBits} bits; a hash collision may have hidden states`;
      stats.mode = 'bitstate';
    } else if (options.shard) {
      partial = `shard ${options.shard.index}/${options.shard.count} (split at depth ${splitDepth}): merge all shards with lockcheck merge`;
      stats.mode = 'shard';
      stats.shard = { ...options.shard, depth: splitDepth, spec: front.specHash ?? '', options: searchIdentity(options), ...(prefix ? { prefix } : {}) };
    } else {
      stats.mode = 'exhaustive';
      if (depthCut > 0)
        partial = `depth-bounded search: ${depthCut} state${depthCut === 1 ? '' : 's'} at depth ${options.maxDepth} (--max-depth) had moves left unexplored`;
    }
    if (dfs) stats.strategy = 'dfs';
    if (depthCut > 0) stats.depthCut = depthCut;
    stats.complete = complete;
    stats.storage = options.simulate || options.exact ? 'exact' : options.bitstateBits !== undefined ? 'bitstate' : 'fingerprint';
    // 64-bit fingerprints: the chance that two of n distinct states share one, n^2 / 2^65
    if (stats.storage === 'fingerprint') stats.collisionProbability = Number(((stats.states * stats.states) / 2 ** 65).toPrecision(2));
    const verdict = !complete || (partial && findings.length === 0) ? 'incomplete' : findings.length > 0 ? 'findings' : 'ok';
    const why = incomplete ?? (verdict === 'incomplete' ? partial : undefined);
    const result: SpecResult = {
      file: display,
      name: front.model.name,
      verdict,
      findings,
      ...expectedOf(front.model.expect),
      ...match,
      stats,
      incomplete: why,
      diagnostics: [],
    };
    if (partial && verdict !== 'incomplete') result.coverage = partial;
    else if (unsettled) result.coverage = unsettled;
    const cause: IncompleteCause | undefined =
      stopped ?? (depthCut > 0 ? 'max-depth' : sim ? (sim.swarm ? 'swarm' : 'simulation') : options.bitstateBits !== undefined ? 'bitstate' : undefined);
    // a shard is one part of a proof (merge the parts): nothing to try
    if (cause && !options.shard && (verdict === 'incomplete' || depthCut > 0 || stopped))
      result.guidance = guidance({
        cause,
        strategy: dfs ? 'dfs' : 'bfs',
        states: stats.states,
        depth: stats.depth,
        maxDepth: options.maxDepth,
        depthCut,
        maxStates: options.maxStates,
        maxSeconds: userMaxSeconds,
        params: front.model.params,
        sizeParams: front.model.sizeParams,
        por: options.por !== false,
        symmetry: options.symmetry !== false,
        walks,
        bitstateBits: options.bitstateBits,
        findings: findings.length,
      });
    result.lockGraph = graph;
    if (variants.length > 0) result.variants = variants;
    return result;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason })]);
  }
}
