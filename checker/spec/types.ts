// The spec language v1 as TypeScript types: what a spec file (or an imported model file) holds after
// schema validation. The JSON Schema in specs/schema/lockcheck.schema.json describes the same shapes.

export type LockKind = 'mutex' | 'spinlock' | 'rwlock' | 'rwsem' | 'srcu';

export const FINDING_KINDS = [
  'deadlock',
  'lock-order-cycle',
  'recursive-locking',
  'cmp-invalid',
  'toctou',
  'assertion',
  'unlock-not-held',
  'held-at-exit',
  'sleep-in-rcu',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** A finding named by its facts (checker/facts.ts FACT_FIELDS says which fields each kind has). */
export interface NamedFinding {
  kind: FindingKind;
  category?: 'self' | 'cycle' | 'orphan';
  locks?: string[];
  threads?: string[];
  classes?: string[];
  variables?: string[];
  gates?: string[];
  check?: string;
  /** only when these params have these values */
  when?: Record<string, number>;
}

/** An entry of expect.findings: a kind (some finding of it), or a finding named by its facts. */
export type Expectation = FindingKind | NamedFinding;

export type CmpRule = { first: string } | { by: string; order?: 'asc' | 'desc' };

export interface LockDecl {
  kind: LockKind;
  description?: string;
  /** Instance names, or a family generated from a param: {count: "N", prefix: "net"} gives net0..net{N-1}. */
  instances?: string[] | { count: number | string; prefix: string };
  /** attr -> instance -> value; for generated families, a value may be an expression over the index `i`. */
  attrs?: Record<string, Record<string, number | string> | string>;
  cmp?: CmpRule[];
}

export interface VarDecl {
  description?: string;
  /** a value for every element, or (for an array) one value per element */
  init?: number | string | (number | string)[];
  /** how many elements: a count, a param, or a lock class (one element per instance, indexed by its instances) */
  array?: number | string;
  /** The lock that protects the variable ("none": unprotected). Writes without it are assertion findings. */
  guard?: string;
}

export type LocalDecl = number | string | { init?: number | string; array?: number | string };

export interface ProcDecl {
  description?: string;
  /** Where the modelled kernel function lives, e.g. "net/core/rtnetlink.c: rtnl_nets_add()". */
  source?: string;
  params?: string[];
  /** params passed by reference (out-parameters such as a struct's length); arrays always are */
  by_ref?: string[];
  locals?: Record<string, LocalDecl>;
  body: Stmt[];
}

export interface ThreadDecl {
  name: string;
  description?: string;
  /** Number of copies (a number or a param name); each copy sees its index as the local `self`. */
  count?: number | string;
  locals?: Record<string, LocalDecl>;
  seq?: string;
  body?: Stmt[];
}

export interface StmtBase {
  note?: string;
}
export type Stmt = StmtBase &
  (
    | { lock: string; read?: boolean; subclass?: number; nest_lock?: string }
    | { trylock: string; into?: string }
    | { unlock: string }
    | { seq: string }
    | { assign: string; value: number | string }
    | { if: number | string; then: Stmt[]; else?: Stmt[] }
    | { choose: Stmt[][] }
    | { pick: string; from: string }
    | { for: string; from: number | string; to: number | string; do: Stmt[] }
    | { foreach: string; in: string; do: Stmt[] }
    | { call: string; args?: (number | string)[]; into?: string }
    | { return: number | string | null }
    | { assert: number | string; message?: string }
    | { assert_held: string }
    | { rcu_read_lock: Record<string, never> }
    | { rcu_read_unlock: Record<string, never> }
    | { synchronize_rcu: Record<string, never> }
    | { srcu_read_lock: string }
    | { srcu_read_unlock: string }
    | { synchronize_srcu: string }
    | { wait_until: number | string }
    | { call_notifiers: string; args?: (number | string)[] }
    | { queue_work: string }
    | { flush_work: string; into?: string }
    | { cancel_work_sync: string; into?: string }
    | { wait_for_completion: string }
    | { complete: string }
    | { complete_all: string }
    | { reinit_completion: string }
  );

/** A notifier chain: handlers (procedures taking the chain's params) run in order in the caller's context. */
export interface NotifierDecl {
  description?: string;
  params?: string[];
  handlers: string[];
}

/** A work item: queue_work() makes a worker run the procedure later; per: one item per instance of a class. */
export interface WorkDecl {
  description?: string;
  proc: string;
  per?: string;
}

/** A struct completion (kernel/sched/completion.c); per: one per instance of a class. */
export interface CompletionDecl {
  description?: string;
  per?: string;
}

export interface SpecFile {
  $schema?: string;
  name: string;
  description?: string;
  imports?: string[];
  params?: Record<string, number>;
  locks?: Record<string, LockDecl>;
  vars?: Record<string, VarDecl>;
  procedures?: Record<string, ProcDecl>;
  threads: ThreadDecl[];
  notifiers?: Record<string, NotifierDecl>;
  works?: Record<string, WorkDecl>;
  completions?: Record<string, CompletionDecl>;
  /** checked in every state where the run has ended (all threads done, workers idle) */
  final?: { assert: number | string; message?: string }[];
  expect?: { findings: Expectation[]; note?: string };
  options?: { max_held?: number };
}

/** A model file: reusable procedures (and the locks and params they need), imported by specs. */
export interface ModelFile {
  $schema?: string;
  name: string;
  description?: string;
  imports?: string[];
  params?: Record<string, number>;
  locks?: Record<string, LockDecl>;
  vars?: Record<string, VarDecl>;
  procedures?: Record<string, ProcDecl>;
  notifiers?: Record<string, NotifierDecl>;
  works?: Record<string, WorkDecl>;
  completions?: Record<string, CompletionDecl>;
}
