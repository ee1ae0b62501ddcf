// A Promela twin of a lock-shorthand spec, with lockcheck's transition semantics (checker/explore/machine.ts),
// so SPIN can check the same interleavings: a `deadlock` finding of lockcheck is SPIN's "invalid end state".
//
// Semantics mirrored here, per lock instance X (globals writer[X]: holding thread + 1 or 0, readers[X]: count):
// - L(X), N(X,Y), S(X,k): wait until no writer and no reader (the thread's own read of X too), then write-hold X.
//   Nest locks and subclasses only matter to lockdep, not to scheduling.
// - R(X): rwlock: wait only for a writer (readers are recursive and never wait for a queued writer);
//   rwsem: also wait while readers hold X and another thread stands at a write acquisition of X (queued;
//   counted in queued_X, kept up to date by the step that reaches such an acquisition).
// - T(X): never blocks: takes X when L(X) could, else goes on without it, and remembers which (a bit per T,
//   as lockcheck keeps a result slot). Each U(X) closes the latest open acquisition of X as written; when that
//   was a T(X) that failed, the U does nothing, even if X is held from an earlier L(X); the bit is then reset.
// - U(X): releases the thread's hold of X (write, or one read); of a lock not held it does nothing (lockcheck
//   reports unlock-not-held and goes on). A thread's holds of one instance are all reads or one write, so
//   "the most recent entry" of lockcheck is whichever of the two the thread has.
// - A thread that ends holding locks keeps them held: its final state is a valid end state (the closing brace).
// - An acquisition beyond max_held (default 8) is a runtime error in lockcheck that ends the thread where it
//   stands, without the lock: here, a jump to the end.
// Each step is one atomic statement, executable exactly when lockcheck's thread can move.
import { parseShorthand, ShortStep } from '../../checker/spec/shorthand';

export interface ShorthandLike {
  name?: string;
  params?: Record<string, number>;
  locks?: Record<string, { kind: string; instances?: string[] | { count: number | string; prefix: string } }>;
  threads: { name?: string; count?: number | string; seq?: string; body?: unknown }[];
  options?: { max_held?: number };
}

export interface PromelaTwin {
  text: string;
  /** threads as SPIN processes (replicated threads expanded), in lockcheck's thread order */
  processes: string[];
  /** lock instances in index order */
  instances: string[];
  /** steps over all processes: a bound on the depth of any run */
  steps: number;
}

export class TranslateError extends Error {}

const DEFAULT_MAX_HELD = 8;

export function toPromela(spec: ShorthandLike, params: Record<string, number> = {}): PromelaTwin {
  const ps = { ...(spec.params ?? {}), ...params };
  const intOf = (v: number | string, what: string): number => {
    const n = typeof v === 'number' ? v : Object.prototype.hasOwnProperty.call(ps, v) ? ps[v] : Number.NaN;
    if (!Number.isInteger(n) || n < 1) throw new TranslateError(`${what}: ${JSON.stringify(v)} is not a positive count`);
    return n;
  };

  // lock instances: a plain lock is one instance, written X; a class's instances are written CLASS[INST]
  const index = new Map<string, number>();
  const kindOf: string[] = [];
  const instances: string[] = [];
  for (const [name, decl] of Object.entries(spec.locks ?? {})) {
    if (!['mutex', 'spinlock', 'rwlock', 'rwsem'].includes(decl.kind)) throw new TranslateError(`lock ${name}: kind ${decl.kind} has no Promela twin`);
    let names: string[] | undefined;
    if (Array.isArray(decl.instances)) names = decl.instances;
    else if (decl.instances) {
      const n = intOf(decl.instances.count, `lock ${name} instance count`);
      names = Array.from({ length: n }, (_, i) => `${decl.instances && !Array.isArray(decl.instances) ? decl.instances.prefix : ''}${i}`);
    }
    for (const key of names ? names.map((i) => `${name}[${i}]`) : [name]) {
      index.set(key, instances.length);
      instances.push(key);
      kindOf.push(decl.kind);
    }
  }
  const NL = Math.max(1, instances.length);
  const maxHeld = spec.options?.max_held ?? DEFAULT_MAX_HELD;

  // threads, replicated, with their parsed steps
  const procs: { name: string; steps: ShortStep[] }[] = [];
  spec.threads.forEach((t, k) => {
    if (t.body !== undefined || t.seq === undefined) throw new TranslateError(`thread ${t.name ?? k}: only shorthand ("seq") threads have a Promela twin`);
    const steps = parseShorthand(t.seq);
    const copies = t.count === undefined ? 1 : intOf(t.count, `thread ${t.name ?? k} count`);
    for (let c = 0; c < copies; c++) procs.push({ name: `${t.name ?? `t${k}`}${t.count === undefined ? '' : `[${c}]`}`, steps });
  });

  const instOf = (ref: string): number => {
    const key = ref.replace(/\s+/g, '');
    const i = index.get(key);
    if (i === undefined) throw new TranslateError(`unknown lock ${ref}`);
    return i;
  };
  const isWrite = (s: ShortStep) => s.op === 'L' || s.op === 'N' || s.op === 'S';
  const pname = (p: number) => `p${p}`;
  // rwsem: a thread standing at a blocking write acquisition of X is a queued writer of X (lockcheck's
  // queuedWriters looks at each thread's next instruction). queued_X counts them: the step that brings a
  // thread to such an acquisition adds it, in the same atomic statement, and the acquisition takes it away.
  const queuedWrite = (s: ShortStep | undefined): number | undefined => {
    if (!s || !isWrite(s)) return undefined;
    const x = instOf(s.lock);
    return kindOf[x] === 'rwsem' ? x : undefined;
  };
  const initiallyQueued = new Map<number, number>();
  for (const p of procs) {
    const x = queuedWrite(p.steps[0]);
    if (x !== undefined) initiallyQueued.set(x, (initiallyQueued.get(x) ?? 0) + 1);
  }

  const lines: string[] = [];
  lines.push(`/* Promela twin of ${JSON.stringify(spec.name ?? 'spec').replace(/\*\//g, '* /')} (bench/promela/shorthand-to-promela.ts) */`);
  instances.forEach((n, i) => lines.push(`/* lock ${i}: ${n.replace(/\*\//g, '* /')} (${kindOf[i]}) */`));
  lines.push(`byte writer[${NL}];  /* holding thread + 1, or 0 */`);
  lines.push(`byte readers[${NL}]; /* read holds */`);
  instances.forEach((_n, i) => {
    if (kindOf[i] === 'rwsem') lines.push(`byte queued_${i} = ${initiallyQueued.get(i) ?? 0}; /* threads standing at a write acquisition of lock ${i} */`);
  });
  lines.push('');

  procs.forEach((p, pi) => {
    const me = pi + 1;
    const take = (x: number, read: boolean) =>
      `if :: nheld >= ${maxHeld} -> goto stop :: else -> ${read ? `readers[${x}]++; hr[${x}]++` : `writer[${x}] = ${me}`}; nheld++ fi`;
    const writeFree = (x: number) => `writer[${x}] == 0 && readers[${x}] == 0`;
    const open = new Map<string, number[]>();
    lines.push(`/* thread ${p.name.replace(/\*\//g, '* /')} */`);
    lines.push(`active proctype ${pname(pi)}() {`);
    lines.push(`  byte hr[${NL}];  /* this thread's read holds */`);
    lines.push('  byte nheld;');
    p.steps.forEach((s, k) => s.op === 'T' && lines.push(`  bit ok${k}; /* did the T at step ${k} succeed */`));
    p.steps.forEach((s, k) => {
      const x = instOf(s.lock);
      const key = s.lock.replace(/\s+/g, '');
      const text = `${s.op}(${key}${s.nest !== undefined ? ',' + s.nest.replace(/\s+/g, '') : s.subclass !== undefined ? ',' + s.subclass : ''})`;
      if (s.op === 'N') instOf(s.nest!); // must name a lock, as lockcheck checks
      const next = queuedWrite(p.steps[k + 1]);
      const arrive = next === undefined ? '' : `; queued_${next}++`;
      let stmt: string;
      const stack = open.get(key) ?? [];
      open.set(key, stack);
      if (s.op === 'U') {
        const release = `if :: writer[${x}] == ${me} -> writer[${x}] = 0; nheld-- :: else -> if :: hr[${x}] > 0 -> hr[${x}]--; readers[${x}]--; nheld-- :: else -> skip fi fi`;
        const t = stack.pop() ?? -1;
        stmt = t < 0 ? `atomic { ${release}${arrive} }` : `atomic { if :: ok${t} -> ${release}; ok${t} = 0 :: else -> skip fi${arrive} }`;
      } else if (s.op === 'T') {
        stack.push(k);
        stmt = `atomic { if :: ${writeFree(x)} -> ${take(x, false)}; ok${k} = 1 :: else -> skip fi${arrive} }`;
      } else if (s.op === 'R') {
        stack.push(-1);
        if (kindOf[x] !== 'rwlock' && kindOf[x] !== 'rwsem') throw new TranslateError(`${text}: ${kindOf[x]} has no read side`);
        const guard = kindOf[x] === 'rwsem' ? `writer[${x}] == 0 && (readers[${x}] == 0 || queued_${x} == 0)` : `writer[${x}] == 0`;
        stmt = `atomic { ${guard} -> ${take(x, true)}${arrive} }`;
      } else {
        stack.push(-1);
        const leave = queuedWrite(s) === undefined ? '' : `queued_${x}--; `;
        stmt = `atomic { ${writeFree(x)} -> ${leave}${take(x, false)}${arrive} }`;
      }
      lines.push(`  ${stmt}; /* ${text} */`);
    });
    lines.push('stop:');
    lines.push('  skip');
    lines.push('}');
    lines.push('');
  });
  return { text: lines.join('\n'), processes: procs.map((p) => p.name), instances, steps: procs.reduce((n, p) => n + p.steps.length + 1, 0) };
}
