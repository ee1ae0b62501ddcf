// The canonical result every reporter reads (text, JSON, and later SARIF, JUnit, ITF, HTML).
// Plain data, stable key order, no timestamps except the measured seconds in stats.
import { Diagnostic, SourcePos } from './diagnostics/diagnostic';
import { Expectation, FindingKind, NamedFinding } from './spec/types';

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

/** One waiting thread of a deadlock, as its message names it. */
export interface DeadlockWait {
  thread: string;
  /** what it waits for: a lock ("net[net1]", "sem (read)"), a grace period, a run of a work item, a completion */
  waitsFor: string;
  /** an orphan deadlock's holders ("writer[1] (exited)"); a cycle names them by its next member */
  heldBy?: string[];
}

export interface DeadlockFacts {
  /** self: one thread waits on itself; cycle: a wait-for cycle; orphan: a wait nobody live will end */
  category: 'self' | 'cycle' | 'orphan';
  /** the waits the message lists: the cycle's members in order, or every blocked thread of an orphan */
  waits: DeadlockWait[];
  /** a self-deadlock: on a lock it holds, or on the work run it is executing */
  own?: 'holds' | 'executes';
  /** the members of the cycle (else every blocked thread) */
  threads: string[];
  /** the lock classes (and completion maps) they wait on */
  classes: string[];
  /** the lock instances they wait on */
  locks: string[];
}

/** One held -> acquired edge of a lock-order cycle, with the acquisition that first made it. */
export interface CycleEdge {
  from: string;
  to: string;
  type: string;
  thread: string;
  held: string;
  heldAt?: SourcePos;
  acquired: string;
  at: SourcePos;
}

export interface LockOrderCycleFacts {
  /** the classes of the cycle, in its order */
  classes: string[];
  /** did an explored schedule deadlock on exactly these classes? */
  reached: boolean;
  /** locks held across every edge (outside the cycle's classes), which serialise them */
  gates: string[];
  edges: CycleEdge[];
}

export interface RecursiveLockingFacts {
  /** reacquire: a held lock taken again; nesting: another instance of a held class */
  how: 'reacquire' | 'nesting';
  class: string;
  thread: string;
  held: string;
  heldAt?: SourcePos;
  acquired: string;
  /** does the class have a cmp order (which the nesting goes against)? */
  cmp: boolean;
}

export interface CmpInvalidFacts {
  class: string;
  /** the property of a strict total order that fails */
  rule: 'irreflexive' | 'antisymmetric' | 'transitive' | 'total';
  instances: string[];
  /** what breaks the order, e.g. "net1 and net2 compare equal" */
  problem: string;
}

export interface ToctouFacts {
  /** the 1-based numbers of the check, write and use steps of its trace */
  window: { check: number; write: number; use: number };
  variable: string;
  reader: string;
  writer: string;
  /** the lock the check was made under, "RCU", or "no guard" */
  guard: string;
  /** the failed check's own message */
  check: string;
}

/** A machine event (a failed check, a bad unlock, locks held at exit, a sleep in RCU): who, which locks, what. */
export interface EventFacts {
  /** absent for a final assertion (checked when the run has ended, by no thread) */
  thread?: string;
  /** the lock instances concerned (held-at-exit: the leaked ones; a failed assert_held: the one not held) */
  locks?: string[];
  /** the event as the machine words it: an assert's own message, "t0 releases A, which it does not hold" */
  text: string;
}

/** The kind of a finding and the facts it is about: what messages, identity and expectations are made of. */
export type FindingFacts =
  | { kind: 'deadlock'; facts: DeadlockFacts }
  | { kind: 'lock-order-cycle'; facts: LockOrderCycleFacts }
  | { kind: 'recursive-locking'; facts: RecursiveLockingFacts }
  | { kind: 'cmp-invalid'; facts: CmpInvalidFacts }
  | { kind: 'toctou'; facts: ToctouFacts }
  | { kind: 'assertion' | 'unlock-not-held' | 'held-at-exit' | 'sleep-in-rcu'; facts: EventFacts };

export interface FindingCommon {
  /** rendered from the facts (checker/facts.ts): for people, never for identity */
  message: string;
  /** where the problem shows in the spec (the acquisition, the assert, ...) */
  location?: SourcePos;
  /** when the location is inside an imported procedure: the call in the spec that leads there */
  calledFrom?: SourcePos;
  /** the call chain to the location, outermost (the thread) first, each frame with its position */
  stack?: StackFrame[];
  trace?: Trace;
  /** further traces, e.g. one per edge of a lock-order cycle */
  chains?: { label: string; trace: Trace }[];
  /** the attribute order of an "any" variant that gave it (a different order is a different finding) */
  order?: string;
  /** --simulate: the walk that reached it, and the command that replays that walk */
  walk?: number;
  reproduce?: string;
  /** identity across runs (reports/fingerprint.ts): kind, canonical facts, the spec's path in its project */
  fingerprint?: string;
  /** under --baseline: the baseline has it (true), or it is new (false) */
  known?: boolean;
}

export type Finding = FindingCommon & FindingFacts;

/** A finding of one kind. */
export type FindingOf<K extends FindingKind> = Finding & { kind: K };

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
  /**
   * --jobs: the worker threads that shared the search. Their bytes per state then vary from run to run (a worker
   * also stores states it loses to another, as many as the timing gives): --no-timings leaves them out.
   */
  workers?: number;
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
      if (stats.workers !== undefined) delete (stats as Partial<Stats>).bytesPerState;
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
  /** the kinds expect.findings declares (of the entries whose "when" holds), when declared */
  expected?: FindingKind[];
  /** the entries of expect.findings that apply to this run, when some entry names a finding by its facts */
  expectations?: Expectation[];
  /** do the findings match the expectation (or, without one, is there no finding)? */
  matches: boolean;
  /** the kinds of the findings no entry covers */
  unexpected: FindingKind[];
  /** the kind entries no finding met */
  missing: FindingKind[];
  /** the named entries no finding met (with expectations) */
  unmatched?: NamedFinding[];
  /** the indices of the findings no entry covers (with expectations) */
  uncovered?: number[];
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
