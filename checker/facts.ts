// Findings as facts: a finding is its kind and the typed facts it is about (result.ts FindingFacts). From
// them, and only from them, come its message (one renderer per kind), its identity (what dedupe, merge and
// the shortest-trace bookkeeping compare) and the fields an expectation may name (expect.findings objects).
// A message can then be reworded without changing which findings are the same, or any baseline.
import { assertNever } from './assert-never';
import { DeadlockFacts, FindingFacts, LockOrderCycleFacts, RecursiveLockingFacts, ToctouFacts } from './result';
import { FindingKind } from './spec/types';

function deadlockMessage(d: DeadlockFacts): string {
  switch (d.category) {
    case 'self': {
      const w = d.waits[0];
      return `self-deadlock: ${w.thread} waits for ${w.waitsFor}, ${d.own === 'executes' ? 'which it is executing itself' : 'which it holds itself'}`;
    }
    case 'cycle': {
      const locks = new Set(d.waits.map((w) => w.waitsFor.replace(' (read)', '')));
      const kind = d.waits.length === 2 && locks.size === 2 ? 'AB-BA deadlock' : `deadlock cycle of ${d.waits.length} threads`;
      return `${kind}: ${d.waits.map((w) => `${w.thread} waits for ${w.waitsFor}`).join(', ')} (each waits for the next)`;
    }
    case 'orphan':
      return `deadlock: ${d.waits.map((w) => `${w.thread} waits for ${w.waitsFor}${w.heldBy?.length ? ` held by ${w.heldBy.join(', ')}` : ''}`).join('; ')}, which no live thread will release`;
    default:
      return assertNever(d.category);
  }
}

function cycleMessage(c: LockOrderCycleFacts): string {
  const chain = [...c.classes, c.classes[0]].join(' --> ');
  const verdict = c.reached
    ? 'the explorer reached this deadlock'
    : c.gates.length > 0
      ? `no explored schedule deadlocks: every edge of the cycle is taken holding ${c.gates.join(', ')}, which serialises them`
      : 'no explored schedule deadlocks';
  return `possible circular locking dependency: ${chain} (${verdict})`;
}

function recursiveMessage(r: RecursiveLockingFacts): string {
  if (r.how === 'reacquire') return `possible recursive locking: ${r.thread} acquires ${r.acquired} while already holding it`;
  return (
    `possible recursive locking: ${r.thread} acquires ${r.acquired} while holding ${r.held} of the same class ${r.class}` +
    (r.cmp
      ? `, against the class's cmp order (${r.acquired} sorts before ${r.held}, so it must be taken first)`
      : ' with no cmp order, nest lock or subclass to allow it')
  );
}

function toctouMessage(t: ToctouFacts): string {
  const w = t.window;
  return `time of check to time of use: ${t.reader} read ${t.variable} at step ${w.check}${t.guard === 'no guard' ? '' : ` under ${t.guard}`}, ${t.writer} wrote it at step ${w.write}, and step ${w.use} acts on the stale value: ${t.check}`;
}

/** The finding's message, from its facts alone. */
export function renderMessage(f: FindingFacts): string {
  switch (f.kind) {
    case 'deadlock':
      return deadlockMessage(f.facts);
    case 'lock-order-cycle':
      return cycleMessage(f.facts);
    case 'recursive-locking':
      return recursiveMessage(f.facts);
    case 'cmp-invalid':
      return `cmp of ${f.facts.class} is not a strict total order: ${f.facts.problem}`;
    case 'toctou':
      return toctouMessage(f.facts);
    case 'assertion':
    case 'unlock-not-held':
    case 'held-at-exit':
    case 'sleep-in-rcu':
      return f.facts.text;
    default:
      return assertNever(f);
  }
}

/**
 * The facts that make two findings of a kind the same problem: what the message says, without the witnesses
 * (edges, positions) that another search may meet in another order. Two findings with equal identity facts
 * always had equal messages, so dedupe and merge keep what they kept when they compared messages.
 */
export function identityFacts(f: FindingFacts): unknown {
  switch (f.kind) {
    case 'deadlock': {
      const d = f.facts;
      const waits = d.waits.map((w) => (d.category === 'orphan' ? [w.thread, w.waitsFor, w.heldBy ?? []] : [w.thread, w.waitsFor]));
      return [d.category, d.own ?? '', waits];
    }
    case 'lock-order-cycle':
      return [f.facts.classes, f.facts.reached, f.facts.gates];
    case 'recursive-locking': {
      const r = f.facts;
      return r.how === 'reacquire' ? [r.how, r.thread, r.acquired] : [r.how, r.thread, r.acquired, r.held, r.class, r.cmp];
    }
    case 'cmp-invalid':
      return [f.facts.class, f.facts.problem];
    case 'toctou': {
      const t = f.facts;
      return [t.reader, t.variable, t.window.check, t.guard, t.writer, t.window.write, t.window.use, t.check];
    }
    case 'assertion':
    case 'unlock-not-held':
    case 'held-at-exit':
    case 'sleep-in-rcu':
      return [f.facts.text];
    default:
      return assertNever(f);
  }
}

/** kind + identity facts as one string; `copies` makes replicated threads alike (writer[1] reads writer[*]). */
export function identityKey(f: FindingFacts, copies = false): string {
  const text = JSON.stringify(identityFacts(f));
  return `${f.kind}|${copies ? text.replace(/\[\d+\]/g, '[*]') : text}`;
}

/** The fields an expect.findings object may name, per kind (each a set of names, or one string). */
export const FACT_FIELDS: Record<FindingKind, readonly string[]> = {
  deadlock: ['category', 'locks', 'threads', 'classes'],
  'lock-order-cycle': ['classes', 'threads', 'gates'],
  'recursive-locking': ['locks', 'threads', 'classes'],
  'cmp-invalid': ['classes', 'locks'],
  toctou: ['variables', 'threads', 'locks', 'check'],
  assertion: ['threads', 'locks', 'check'],
  'unlock-not-held': ['threads', 'locks'],
  'held-at-exit': ['threads', 'locks'],
  'sleep-in-rcu': ['threads'],
};

const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];

/** The values of FACT_FIELDS for one finding: what an expectation compares with. */
export function factFields(f: FindingFacts): Record<string, string | string[]> {
  switch (f.kind) {
    case 'deadlock':
      return { category: f.facts.category, locks: f.facts.locks, threads: f.facts.threads, classes: f.facts.classes };
    case 'lock-order-cycle':
      return { classes: f.facts.classes, threads: uniq(f.facts.edges.map((e) => e.thread)), gates: f.facts.gates };
    case 'recursive-locking':
      return { locks: uniq([f.facts.held, f.facts.acquired]), threads: [f.facts.thread], classes: [f.facts.class] };
    case 'cmp-invalid':
      return { classes: [f.facts.class], locks: f.facts.instances };
    case 'toctou': {
      const t = f.facts;
      return { variables: [t.variable], threads: uniq([t.reader, t.writer]), locks: t.guard === 'no guard' ? [] : [t.guard], check: t.check };
    }
    case 'assertion':
      return { threads: uniq([f.facts.thread]), locks: f.facts.locks ?? [], check: f.facts.text };
    case 'unlock-not-held':
    case 'held-at-exit':
      return { threads: uniq([f.facts.thread]), locks: f.facts.locks ?? [] };
    case 'sleep-in-rcu':
      return { threads: uniq([f.facts.thread]) };
    default:
      return assertNever(f);
  }
}

/** A toctou finding's window (the numbers of its check, write and use steps), else none. */
export const toctouWindow = (f: FindingFacts): ToctouFacts['window'] | undefined => (f.kind === 'toctou' ? f.facts.window : undefined);
