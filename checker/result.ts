// The canonical result every reporter reads (text, JSON, and later SARIF, JUnit, ITF, HTML).
// Plain data, stable key order, no timestamps except the measured seconds in stats.
import { Diagnostic, SourcePos } from './diagnostics/diagnostic';
import { FindingKind } from './spec/types';

/**
 * A value as the program writes it: an integer, a lock instance by name ("init_net"), a set of instances as
 * its members in instance order (a set member that names no instance stays a number). The spec language has
 * no booleans: conditions and trylock results are 0 and 1.
 */
export type Value = number | string | (string | number)[];

/** One variable a step changed, as the program wrote it (a compiler's reset of a dead variable is not one). */
export interface VarChange {
  /** the variable as the user wrote it: "len", an array element "nets[1]" */
  var: string;
  /** whose local it is; absent for a shared var */
  thread?: string;
  /** the procedure whose local or parameter it is (inlined into `thread`); absent for a thread's own local */
  frame?: string;
  /**
   * the value before the step; for a variable of a frame the step entered, the value it started with (a
   * parameter's argument, a local's declared value)
   */
  from?: Value;
  /** the value the step left (for a procedure's local: when the step last wrote it) */
  to: Value;
  /** a parameter bound by a call in this step (listed even when it kept its argument's value) */
  param?: true;
}

/** A choice a step made: a pick's value, or a choose's branch (1-based). */
export interface TraceChoice {
  action: string;
  value: Value;
  src: SourcePos;
}

/** One frame of a call chain: the thread's body or an inlined procedure, and the position it is at. */
export interface StackFrame {
  /** the thread ("writer[0]") for the outermost frame, else the procedure */
  name: string;
  /** for the innermost frame the statement itself; for the others the call into the next frame */
  src: SourcePos;
}

/** The value of a shared var (or element) or of a thread's own local. */
export interface VarValue {
  var: string;
  /** whose local; absent for a shared var */
  thread?: string;
  value: Value;
}

export interface TraceStep {
  /** 1-based step number */
  step: number;
  thread: string;
  action: string;
  /** what the action resolved to: the lock instance, the branch taken, a trylock's outcome */
  detail?: string;
  src: SourcePos;
  /** inlined procedure frames, outermost first */
  frames: string[];
  /** the whole call chain, outermost (the thread) first, with each frame's position; the last one is src */
  stack?: StackFrame[];
  /** the variables the step changed (old -> new), in the order it first wrote them; absent when none */
  changes?: VarChange[];
  /** the choices the step made (picks, chooses), also those of its folded local statements */
  choices?: TraceChoice[];
  /** locks each thread holds after the step (threads holding none are omitted) */
  held: Record<string, string[]>;
  /** marks a step that matters to the finding, e.g. "acquires net[net2] while holding net[net1]" */
  note?: string;
}

export interface BlockedThread {
  thread: string;
  waitsFor: string;
  heldBy: string[];
  /** heldBy lists the readers a grace period (synchronize_rcu/srcu) waits for */
  readers?: boolean;
  /** an rwsem reader waits behind these queued writers */
  queuedBehind?: string[];
  src: SourcePos;
  /** its call chain, outermost first (see TraceStep.stack) */
  stack?: StackFrame[];
}

export interface Trace {
  steps: TraceStep[];
  /** for deadlocks: who waits for what at the end */
  blocked?: BlockedThread[];
  /**
   * every shared var (each array element on its own) and every thread's own locals, with the values they
   * start from; a step's changes without a frame apply to these
   */
  initial?: VarValue[];
  /**
   * what threads did before the first step: their leading local statements (step 0, one entry per thread
   * that ran any), e.g. an assert that fails before any other thread can run
   */
  setup?: TraceStep[];
  /** the choice path from the initial state: "thread.choice" per step, replayable */
  path: string;
  /**
   * false: not known to be a shortest trace of the unreduced interleavings: found by a reduced search whose
   * confirming search did not fit its budget, by an incomplete one, by one shard of a split search (lockcheck
   * merge keeps the mark; --jobs confirms after merging), by --simulate or by --bitstate; absent: a shortest one
   */
  shortest?: boolean;
}

export interface Finding {
  kind: FindingKind;
  message: string;
  /** where the problem shows in the spec (the acquisition, the assert, ...) */
  location?: SourcePos;
  /** when the location is inside an imported procedure: the call in the spec that leads there */
  calledFrom?: SourcePos;
  /** the call chain to the location, outermost (the thread) first, each frame with its position */
  stack?: StackFrame[];
  trace?: Trace;
  /**
   * kind-specific facts (deadlock category and members, cycle classes, ...). A toctou finding has
   * window: {check, write, use}, the 1-based numbers of the three steps of its trace.
   */
  details?: Record<string, unknown>;
  /** further traces, e.g. one per edge of a lock-order cycle */
  chains?: { label: string; trace: Trace }[];
}

export interface Stats {
  states: number;
  transitions: number;
  depth: number;
  /** wall-clock figures: left out under --no-timings, so that the same spec gives byte-identical reports */
  seconds?: number;
  statesPerSecond?: number;
  bytesPerState: number;
  threads: number;
  stateSlots: number;
  deadlockStates: number;
  /** how the states were searched */
  mode?: 'exhaustive' | 'bitstate' | 'simulation' | 'shard';
  walks?: number;
  /** the search strategy: breadth-first, depth-first, swarm (random walks with random thread weights), or one replayed path */
  strategy?: 'bfs' | 'dfs' | 'swarm' | 'replay';
  /** --max-depth: states at the bound whose moves were not explored */
  depthCut?: number;
  /**
   * one shard of a split search: which, and what `lockcheck merge` checks the shards against each other by:
   * the spec's content (sha256 of the spec and its models, in load order) and the options that shape the search
   */
  shard?: {
    index: number;
    count: number;
    depth: number;
    spec: string;
    options: string;
    /** --jobs with a shared visited set: the work every shard did alike before the split (merging subtracts the copies) */
    prefix?: { states: number; transitions: number; deadlockStates: number; reduced: number };
  };
  /** states expanded by a single thread (partial-order reduction) */
  reducedStates?: number;
  /** false when a bound (states, time, memory, a signal) stopped the search */
  complete?: boolean;
  /** how visited states are kept: 64-bit fingerprints (default), full vectors, or bitstate */
  storage?: 'fingerprint' | 'exact' | 'bitstate';
  /** fingerprint storage: the chance that two distinct states collided (and one went unexplored) */
  collisionProbability?: number;
}

/** A trace's length in steps: the entries of its `path:` line. */
export const pathLength = (path: string) => (path === '' ? 0 : path.split(':').length);

/** The result without its wall-clock figures (--no-timings): the rest depends only on the spec and options. */
export function withoutTimings(doc: CheckResult): CheckResult {
  return {
    ...doc,
    results: doc.results.map((r) => {
      if (!r.stats) return r;
      const { seconds: _s, statesPerSecond: _r, ...stats } = r.stats;
      return { ...r, stats };
    }),
  };
}

export type Verdict = 'ok' | 'findings' | 'incomplete' | 'error';

export interface SpecResult {
  file: string;
  name?: string;
  verdict: Verdict;
  findings: Finding[];
  /** expect.findings as declared, when declared */
  expected?: FindingKind[];
  /** do the findings match the expectation (or, without one, is there no finding)? */
  matches: boolean;
  unexpected: FindingKind[];
  missing: FindingKind[];
  stats?: Stats;
  /** why the search stopped early, or why it proves nothing (simulation, bitstate, one shard) */
  incomplete?: string;
  /** a search that proved nothing (incomplete, or partial with findings): what it covered and what to try */
  guidance?: Guidance;
  /** for a partial search that found something: what it covered */
  coverage?: string;
  /** lockdep's class dependency graph over every explored run: held -> acquired */
  lockGraph?: { nodes: string[]; edges: { from: string; to: string; type: string }[] };
  /** for attributes declared "any": the findings under each order that was tried */
  variants?: { order: string; findings: FindingKind[]; states: number }[];
  diagnostics: Diagnostic[];
}

/** One option to try after an incomplete search, and why it may get further. */
export interface Suggestion {
  try: string;
  why: string;
}

export interface Guidance {
  /** states, depth and walks the search covered */
  covered: string;
  suggestions: Suggestion[];
}

export interface CheckResult {
  results: SpecResult[];
}

/** The result of a spec that could not be checked: its diagnostics say why. */
export function errorResult(file: string, diagnostics: Diagnostic[], name?: string): SpecResult {
  return { file, name, verdict: 'error', findings: [], matches: false, unexpected: [], missing: [], diagnostics };
}
