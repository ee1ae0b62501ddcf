// The compiled model: threads as programs over a small instruction set, state as a flat Int32Array.
// model/compile.ts produces it as a data IR, its expressions plain objects (IrModel, Instr<IrExpr>);
// model/link.ts turns those into closures over (state, thread base), the form explore/ runs (CompiledModel).
import { SourcePos } from '../diagnostics/diagnostic';
import { IrExpr } from './ir-expr';
import { assertNever } from '../assert-never';
import { CmpRule, Expectation, LockKind } from '../spec/types';
import type { CompletionKind } from './passes/ast';

/** Evaluates an expression in a state, for the thread whose slots start at `base`. */
export type Ev = (s: Int32Array, base: number) => number;

export interface LockClass {
  id: number;
  name: string;
  kind: LockKind;
  /** global instance ids of this class (a plain lock has exactly one, named like the class) */
  instances: number[];
  hasInstances: boolean;
  cmp?: CmpRule[];
  /** the cmp rules with instances resolved to ids, when they are valid: data, for the link step */
  cmpRules?: ResolvedCmpRule[];
  /** cmp result for two instances: <0, 0, >0; set by the link step from cmpRules, undefined without a cmp */
  cmpFn?: (a: number, b: number) => number;
}

export type ResolvedCmpRule = { first: number } | { by: string; order: 'asc' | 'desc' };

export interface LockInstance {
  id: number;
  cls: number;
  /** "rtnl_mutex" or "net[init_net]" */
  name: string;
  /** "init_net" (or the class name for a plain lock) */
  short: string;
  /** its position within its class: the value that names it in expressions (net[1] is net's second instance) */
  pos: number;
  attrs: Record<string, number>;
}

/**
 * What one instruction touches outside its own thread, computed once by the compiler from resolved names
 * (so a shared var reached through a by_ref or array parameter counts as itself), conservatively: an indexed
 * access covers the whole array, and index, bound and lock expressions count as reads. The partial-order
 * reduction and the local/visible split are derived from it and from nothing else.
 */
export interface Access {
  /** absolute state slots of shared vars and work-pending flags it may read, sorted */
  reads: readonly number[];
  /** absolute state slots it may write, sorted */
  writes: readonly number[];
  /** lock classes whose lock table it may read or change (acquire, release, SRCU grace periods) */
  locks: readonly number[];
  /** reads or changes RCU read-side state (rcu_read_lock/unlock, synchronize_rcu) */
  rcu: boolean;
}

export const NO_ACCESS: Access = Object.freeze({ reads: [], writes: [], locks: [], rcu: false });

/** Does the instruction touch anything another thread can see or change? If not, it is a local step. */
export const touchesShared = (a: Access) => a.reads.length > 0 || a.writes.length > 0 || a.locks.length > 0 || a.rcu;

/**
 * Does the instruction start a step of its own (another thread may run before it)? Lock operations, choices,
 * waits and RCU steps always do; the rest only when they touch shared state (else they run with the step before).
 */
export function isSchedulingPoint(i: { op: Instr<unknown>['op']; access: Access }): boolean {
  switch (i.op) {
    case 'assign':
    case 'branch':
    case 'assert':
    case 'assert_held':
    case 'jump':
      return touchesShared(i.access);
    // a run's return is part of its last step (README, "Flushing and cancelling work"), whatever it writes
    case 'work_return':
      return false;
    case 'acquire':
    case 'release':
    case 'choose':
    case 'pick':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'sync_begin':
    case 'sync_wait':
    case 'wait':
    case 'idle':
    case 'flush_begin':
    case 'flush_wait':
    case 'completion':
    case 'end':
      return true;
    default:
      return assertNever(i.op);
  }
}

/** Where control can go after instruction i at pc (the last instruction of a thread is always `end`). */
export function successors<E>(i: Instr<E>, pc: number): number[] {
  switch (i.op) {
    case 'end':
      return [];
    case 'jump':
      return [i.target];
    case 'branch':
      return [pc + 1, i.elseTarget];
    case 'choose':
      return i.targets;
    case 'acquire':
    case 'release':
    case 'assign':
    case 'pick':
    case 'assert':
    case 'assert_held':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'sync_begin':
    case 'sync_wait':
    case 'wait':
    case 'idle':
    case 'work_return':
    case 'flush_begin':
    case 'flush_wait':
    case 'completion':
      return [pc + 1];
    default:
      return assertNever(i);
  }
}

/** The expressions an instruction evaluates, by field (an lvalue's index included). */
export function instrExpressions<E>(i: Instr<E>): [string, E][] {
  const index = (lv: { index?: E }): [string, E][] => (lv.index ? [['index', lv.index]] : []);
  switch (i.op) {
    case 'acquire':
      return [['lock', i.lock], ...(i.nest ? ([['nest', i.nest]] as [string, E][]) : [])];
    case 'release':
    case 'assert_held':
      return [['lock', i.lock]];
    case 'assign':
      return [...index(i.target), ['value', i.value]];
    case 'pick':
      return [...index(i.target), ['set', i.set]];
    case 'branch':
    case 'assert':
    case 'wait':
      return [['cond', i.cond]];
    case 'sync_begin':
    case 'sync_wait':
      return i.srcu ? [['srcu', i.srcu]] : [];
    case 'flush_begin':
    case 'completion':
      return i.item ? [['item', i.item]] : [];
    case 'flush_wait':
    case 'jump':
    case 'choose':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'idle':
    case 'work_return':
    case 'end':
      return [];
    default:
      return assertNever(i);
  }
}

interface InstrBase {
  src: SourcePos;
  access: Access;
  /** the statement as written, e.g. "lock net[nets[i]]" */
  text: string;
  /** inline call stack, outermost first, e.g. ["rtnl_nets_lock", "__rtnl_net_lock"] */
  frames: string[];
  /** for inlined code: the outermost call in the thread's own body, where the user's code calls in */
  callSite?: SourcePos;
  /** for inlined code: where each procedure of `frames` is called (calls[k] calls frames[k]), outermost first */
  calls?: SourcePos[];
  /** shared vars (by name) and thread slots (arrays by their first slot) its expressions read */
  reads?: { globals: string[]; locals: number[] };
}

export type Instr<E = Ev> = InstrBase &
  /** into >= 0: a trylock's result slot; intoVar names it when the program declared it (not a shorthand's own) */
  (
    | { op: 'acquire'; lock: E; cls: number; read: boolean; subclass: number; nest?: E; trylock: boolean; into: number; intoVar?: VarDecl }
    /** onlyIf >= 0: the U(X) matching a T(X): it runs only if that trylock succeeded (thread slot onlyIf is 1) */
    | { op: 'release'; lock: E; cls: number; onlyIf: number }
    /** role: absent for a write the program makes; see WriteRole */
    | { op: 'assign'; target: LValue<E>; value: E; role?: WriteRole }
    | { op: 'branch'; cond: E; elseTarget: number }
    | { op: 'jump'; target: number }
    | { op: 'choose'; targets: number[] }
    | { op: 'pick'; target: LValue<E>; set: E }
    | { op: 'assert'; cond: E; message: string }
    | { op: 'assert_held'; lock: E; cls: number }
    | { op: 'rcu_lock' }
    | { op: 'rcu_unlock' }
    /** synchronize_rcu() (srcu undefined) or synchronize_srcu(srcu): snapshot the readers, then wait */
    | { op: 'sync_begin'; srcu?: E; cls: number }
    | { op: 'sync_wait'; srcu?: E; cls: number }
    | { op: 'wait'; cond: E }
    /** a worker's idle point: runs when its work item is pending, and clears it (and marks it running) */
    | { op: 'idle'; pending: number; run?: RunSlots }
    /** a work function has returned: like a thread's end, it must not hold locks or sit in a read section */
    | { op: 'work_return'; run?: RunSlots }
    /**
     * flush_work() or cancel_work_sync() of item `item` (its rank; absent: the single item), first step: notes the
     * run to wait for in this thread's entry of work.waits (cancelling: dequeues and disables the item first)
     */
    | { op: 'flush_begin'; item?: E; work: WorkSlots; cancel: boolean; into: number; intoVar?: VarDecl }
    /** the second step: taken once the run noted by flush_begin has returned (cancelling: enables the item again) */
    | { op: 'flush_wait'; work: WorkSlots; cancel: boolean }
    /** wait_for_completion (blocks until the count is above 0 or all), complete, complete_all, reinit_completion */
    /** (slot: the first item's count; items: each item's name, "done" or "done[net1]") */
    | { op: 'completion'; act: CompletionKind; item?: E; slot: number; size: number; name: string; items: string[] }
    | { op: 'end' }
  );

/**
 * Where a works entry that some flush_work or cancel_work_sync names keeps what its flushers wait on (absolute
 * slots, one per item unless said): a flusher's entry of `waits` (one per thread) is 0, or 1 + 3 * item + phase
 * with phase WAIT_NONE (nothing left to wait for), WAIT_QUEUED (the queued run) or WAIT_RUNNING (the running
 * run). The worker moves its item's entries from QUEUED to RUNNING when it starts the run and from RUNNING to
 * NONE when the run returns, so a flusher never counts runs: the state stays bounded.
 */
export interface WorkSlots {
  /** index in CompiledModel.works */
  entry: number;
  name: string;
  items: number;
  pending: number;
  running: number;
  /** per item: how many cancel_work_sync calls have it disabled (-1: no cancel_work_sync names the entry) */
  disabled: number;
  /** one per thread */
  waits: number;
  /** how many threads (the size of waits) */
  threads: number;
}

export const WAIT_NONE = 0;
export const WAIT_QUEUED = 1;
export const WAIT_RUNNING = 2;
export const waitEntry = (item: number, phase: number) => 1 + 3 * item + phase;
export const waitItem = (v: number) => ((v - 1) / 3) | 0;
export const waitPhase = (v: number) => (v - 1) % 3;

/** What a worker of a flushed entry updates when its run starts and when it returns. */
export interface RunSlots {
  item: number;
  /** absolute slot of the item's running flag */
  running: number;
  waits: number;
}

/** A works entry: its items' workers, and (when flushed or cancelled) where its flushers wait. */
export interface WorkEntry {
  name: string;
  /** item names: "reset", or "unreg[net1]" for a "per" entry */
  items: string[];
  /** thread index of each item's worker */
  workers: number[];
  flushed?: WorkSlots;
}

/** An instruction before the compiler has attached its access set. */
export type InstrWithoutAccess<E = IrExpr> = Instr<E> extends infer I ? (I extends unknown ? Omit<I, 'access'> : never) : never;

/**
 * Why the compiler emitted an assignment that the program does not write itself. Traces list the program's
 * writes as its changes and these as follows: `param` (an argument bound to a called procedure's parameter)
 * and `init` (a procedure local set to its declared value at the call) start a variable of the new frame;
 * `reset` (a dead variable zeroed, so that states differing only in dead values are one state) is never
 * shown; `temp` (a compiler temporary: a loop's bound, a foreach's remaining set) is never shown.
 * A pass that zeroes more dead variables marks its writes `reset`.
 */
export type WriteRole = 'param' | 'init' | 'reset' | 'temp';

/** A variable as the program declares it: a shared var (no frame, shared), a thread local, a procedure's. */
export interface VarDecl {
  name: string;
  /** the procedure that declares it; absent for a shared var and for the thread's own locals */
  frame?: string;
}

/**
 * How traces print a variable's values: a lock instance by its name, a set of instances as its members
 * (absent: an integer); `cls` is the class whose instances it holds (-1: several or unknown). Values are
 * positions within the class, so 0 is its first instance (a zeroed table of netns prints init_net, which it
 * names); a value outside the class (-1, or a count) prints as the integer it is. Inferred by
 * model/passes/value-kinds.ts from how the program uses the variable.
 */
export interface ValueKind {
  of: 'instance' | 'set';
  cls: number;
}

/** Where an assignment goes: a thread slot (relative to the thread base) or a global slot (absolute). */
export interface LValue<E = Ev> {
  global: boolean;
  /** slot offset; for arrays the index is added (bounds-checked against size) */
  offset: number;
  size: number;
  index?: E;
  /** shared slots the index expression reads */
  indexReads: readonly number[];
  name: string;
  /** for guarded globals: the instance id that must be held to write */
  guard: number;
  /** the variable written, as declared (through a by_ref or array parameter: the caller's): what traces call it */
  decl?: VarDecl;
  /** how traces print its values */
  kind?: ValueKind;
  /** the array is sized by this lock class: its index is an instance of it */
  indexedBy?: number;
}

export interface ThreadProg<E = Ev> {
  /** display name, e.g. "writer[1]" */
  name: string;
  /** the spec's thread entry this copy comes from */
  decl: string;
  code: Instr<E>[];
  /** absolute offset of this thread's slots in the state vector */
  base: number;
  /** initial values of the locals (after pc, held count and held slots) */
  initLocals: number[];
  localNames: LocalName[];
  /** a work queue worker: never ends; idle (not live) while its item is not pending */
  worker: boolean;
  /** a worker's works entry (index in CompiledModel.works) and item */
  work?: { entry: number; item: number };
  /** thread-relative offset of the grace-period snapshot (one slot per thread), -1 when unused */
  snapOffset: number;
  /**
   * per instruction: the thread-relative local slots that are dead there and may be nonzero, which the machine
   * zeroes when a step ends there (passes/liveness.ts); absent with --no-dead-vars
   */
  deadLocals?: number[][];
  /**
   * the linked model's generated runner of this thread's local instructions (model/codegen.ts): from a pc,
   * runs them up to the next scheduling point; absent in the IR and with --interpret
   */
  runLocal?: (s: Int32Array, b: number, pc: number, fail: (k: number) => void, other: (k: number) => number) => number;
}

/** A slot range of a thread's frame, as allocated (slots of dead procedure frames are reused). */
export interface LocalName {
  name: string;
  offset: number;
  size: number;
  /** the procedure whose local or parameter it is; absent for the thread's own */
  frame?: string;
  /** a compiler temporary (a loop bound, a trylock result): no variable of the program */
  temp?: boolean;
  /** an array (indexed), even of size 1 */
  array?: boolean;
  /** how traces print its values */
  kind?: ValueKind;
}

export interface FinalAssert<E = Ev> {
  cond: E;
  message: string;
  src: SourcePos;
}

export interface GlobalVar {
  name: string;
  offset: number;
  size: number;
  /** one initial value per element */
  init: number[];
  /** instance id of the guarding lock; -1: none; -2: RCU */
  guard: number;
  /** declared as an array (even of size 1) */
  array?: boolean;
  /** declared with "array": CLASS (one element per instance of that class) */
  indexedBy?: number;
  /** a work item's pending flags: machine state, no variable of the program */
  internal?: boolean;
  /** how traces print its values */
  kind?: ValueKind;
}

/** Thread slot layout: [pc, nheld, rcu depth, read-section counter, held[0..maxHeld), locals..., snapshot] */
export const T_PC = 0;
export const T_NHELD = 1;
/** rcu_read_lock() nesting depth */
export const T_RCU = 2;
/** counts outermost entries into read-side sections (RCU or SRCU): tells a grace period who has left */
export const T_SEC = 3;
export const T_HELD = 4;

/** Held entry: instance << 8 | subclass << 3 | flags */
export const H_READ = 1;
export const H_RECURSIVE_READ = 2;
export const H_TRY = 4;
export const heldEntry = (inst: number, subclass: number, flags: number) => (inst << 8) | (subclass << 3) | flags;
export const heldInst = (e: number) => e >>> 8;
export const heldSub = (e: number) => (e >>> 3) & 7;

export interface CompiledModel<E = Ev> {
  name: string;
  file: string;
  classes: LockClass[];
  instances: LockInstance[];
  globals: GlobalVar[];
  threads: ThreadProg<E>[];
  maxHeld: number;
  /** state width in Int32 slots */
  width: number;
  /** offset of the lock table: per instance [writer thread + 1, reader count] */
  locksBase: number;
  /** expect.findings as they apply to this run: the entries whose "when" holds, without it */
  expect?: Expectation[];
  params: Record<string, number>;
  /** the params a thread count or an instance count names: the sizes an incomplete search may be told to lower */
  sizeParams: string[];
  finals: FinalAssert<E>[];
  /** the works entries, in declaration order */
  works: WorkEntry[];
  /** attributes declared "any" (unordered addresses): the pipeline checks every order of them */
  anyAttrs: { lock: string; attr: string; instances: string[] }[];
}

/** The compiler's output: the same model with its expressions as data (model/ir-expr.ts). */
export type IrModel = CompiledModel<IrExpr>;

export const threadWidth = (m: CompiledModel<unknown>, t: number) => (t + 1 < m.threads.length ? m.threads[t + 1].base : m.width) - m.threads[t].base;
