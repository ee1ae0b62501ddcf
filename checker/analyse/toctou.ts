// TOCTOU windows: an assert or assert_held that fails because a value was checked under a guard (a lock, or
// RCU), the guard was dropped (or never held), another thread wrote the value, and the thread then used what
// it had read. Found by reading the counterexample of the failed check: a backward data slice from the use
// through the thread's locals (and, for assert_held, through the acquisitions that built its lock set) gives
// the shared vars the use depends on; the latest earlier read of one of them, followed by a guard drop and a
// write by another thread before the use, is the window. Marks three steps: check, interfering write, use.
import { CompiledModel, GlobalVar, Instr } from '../model/ir';
import { LoggedStep } from '../explore/machine';
import { Trace } from '../result';

export interface ToctouWindow {
  check: number; // 1-based step numbers in the trace
  write: number;
  use: number;
  variable: string;
  reader: string;
  writer: string;
  guard: string;
}

const RCU = 'rcu_read_lock';

/** Does the instruction write any slot of the shared var (by its access set: also through a by_ref param)? */
function writesGlobal(i: Instr, v: GlobalVar): boolean {
  return i.access.writes.some((w) => w >= v.offset && w < v.offset + v.size);
}

function writtenLocal(i: Instr): number | undefined {
  return (i.op === 'assign' || i.op === 'pick') && !i.target.global ? i.target.offset : undefined;
}

export function findToctou(m: CompiledModel, trace: Trace, logs: LoggedStep[][], thread: number, use: Instr): ToctouWindow | undefined {
  const u = logs.length - 1;
  if (u < 0 || !logs[u].some((e) => e.instr === use)) return undefined;
  const reader = m.threads[thread].name;

  // Backward slice over the thread's executed instructions, from the use.
  const tracked = new Set(use.reads?.locals ?? []);
  const depends = new Set(use.reads?.globals ?? []);
  const reads: { step: number; globals: string[] }[] = [];
  for (let k = u; k >= 0; k--) {
    const log = logs[k];
    for (let j = log.length - 1; j >= 0; j--) {
      const e = log[j];
      if (e.thread !== thread) continue;
      if (k === u && e.instr === use) continue;
      const i = e.instr;
      const w = writtenLocal(i);
      const feedsLockSet = use.op === 'assert_held' && i.op === 'acquire' && i.cls === use.cls;
      if ((w !== undefined && tracked.has(w)) || feedsLockSet) {
        for (const l of i.reads?.locals ?? []) tracked.add(l);
        for (const g of i.reads?.globals ?? []) depends.add(g);
      }
      if (i.reads && i.reads.globals.length > 0 && k < u) reads.push({ step: k, globals: i.reads.globals });
    }
  }

  // The latest earlier read of a var the use depends on, then a guard drop, then another thread's write.
  for (const r of reads) {
    for (const g of r.globals) {
      if (!depends.has(g)) continue;
      const v = m.globals.find((x) => x.name === g);
      if (!v) continue;
      const guard = v.guard === -2 ? RCU : v.guard >= 0 ? m.instances[v.guard].name : undefined;
      // only a value read under its declared guard is a TOCTOU; an unguarded race is a plain assertion
      if (guard === undefined) continue;
      const holds = (k: number) => (trace.steps[k].held[reader] ?? []).some((h) => h === guard || h === `${guard} (read)`);
      if (!holds(r.step)) continue;
      let dropped = false;
      for (let k = r.step + 1; k < u && !dropped; k++) if (!holds(k)) dropped = true;
      if (!dropped) continue;
      for (let w = r.step + 1; w < u; w++) {
        const writer = logs[w].find((e) => e.thread !== thread && writesGlobal(e.instr, v));
        if (writer) return { check: r.step + 1, write: w + 1, use: u + 1, variable: g, reader, writer: m.threads[writer.thread].name, guard };
      }
    }
  }
  return undefined;
}
