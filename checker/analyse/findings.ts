// Stage "analyse": turns an exploration into findings. Deadlocks are classified from the wait-for graph of
// the final state; events become their own kinds; the lockdep validator gives recursive locking and the
// lock-order cycles (lockdep's "possible circular locking dependency"); each class's cmp is checked.
import { checkCmpOrder } from '../model/cmp';
import { CompiledModel } from '../model/ir';
import { BlockedThread, CycleEdge, DeadlockFacts, DeadlockWait, EventFacts, Finding, FindingFacts, Trace } from '../result';
import { identityKey, renderMessage } from '../facts';
import { Exploration } from '../explore/explore';
import { buildTrace, stackOf } from '../explore/trace';
import { DepEdge } from '../lockdep/validator';
import { findToctou } from './toctou';
import { LoggedStep, MachineEvent } from '../explore/machine';

export function analyse(m: CompiledModel, x: Exploration): Finding[] {
  const findings: Finding[] = [];
  // simulation: remember which walk reached each finding's state, for its reproduce line
  const walks = new Map<Finding, number>();
  const at = <F extends Finding>(f: F, state: number): F => {
    if (x.walkOf) walks.set(f, x.walkOf(Math.max(0, state)));
    return f;
  };
  // Deadlock states that differ only in bystanders (a thread done, or blocked elsewhere) read the same.
  const seenDeadlocks = new Set<string>();
  for (const idx of x.deadlocks) {
    const f = at(deadlockFinding(m, x, idx), idx);
    const key = identityKey(f);
    if (seenDeadlocks.has(key)) continue;
    seenDeadlocks.add(key);
    findings.push(f);
  }
  for (const r of x.events) {
    const { trace, logs } = buildTrace(x.machine, x.store, r.state, r.move >= 0 ? [r.move] : [], r.event.instr);
    findings.push(at(eventFinding(m, r.event, trace, logs, r.attempt), r.state));
  }
  for (const r of x.lockdep.recursive.values()) {
    const w = r.witness;
    const th = m.threads[w.thread].name;
    const held = x.lockdep.instName(w.heldInst);
    const acq = x.lockdep.instName(w.inst);
    const cmpFn = x.lockdep.isLock(w.inst) ? m.classes[m.instances[w.inst].cls].cmpFn : undefined;
    const { trace } = buildTrace(x.machine, x.store, w.state);
    const heldAt = acquiredAt(trace, th, held, x.lockdep.isLock(w.heldInst));
    trace.steps.push(attemptStep(m, trace, w.thread, w.instr, acq, `attempts ${acq} while holding ${held}`));
    const facts = { how: r.how, class: x.lockdep.nodeName(r.node), thread: th, held, heldAt, acquired: acq, cmp: cmpFn !== undefined };
    findings.push(
      at(
        withMessage({ kind: 'recursive-locking', facts }, { location: w.instr.src, calledFrom: w.instr.callSite, stack: stackOf(th, w.instr), trace }),
        w.state,
      ),
    );
  }
  const deadlocks = findings.filter((f) => f.kind === 'deadlock');
  for (const cycle of x.lockdep.strongCycles()) findings.push(at(cycleFinding(m, x, cycle, deadlocks), cycle[0].witness.state));
  for (const cls of m.classes) {
    if (!cls.cmpFn) continue;
    for (const p of checkCmpOrder(cls.instances, cls.cmpFn, (i) => m.instances[i].short))
      findings.push(
        withMessage(
          { kind: 'cmp-invalid', facts: { class: cls.name, rule: p.rule, instances: p.instances.map((i) => m.instances[i].name), problem: p.message } },
          {},
        ),
      );
  }
  if (x.walkOf) for (const f of findings) if (walks.has(f)) f.walk = walks.get(f);
  return findings;
}

/** A finding from its kind and facts, with the message they render to. */
export function withMessage(ff: FindingFacts, rest: Omit<Finding, 'kind' | 'facts' | 'message'>): Finding {
  return { ...ff, message: renderMessage(ff), ...rest } as Finding;
}

/**
 * Where `thread` last acquired `inst` in a trace (lockdep's "but task is already holding lock: ... at"); a
 * completion map (`lock` false) is taken where the worker started its run.
 */
function acquiredAt(trace: Trace, thread: string, inst: string, lock = true) {
  for (let k = trace.steps.length - 1; k >= 0; k--) {
    const s = trace.steps[k];
    if (s.thread !== thread || s.detail === undefined) continue;
    if (lock ? s.detail === inst || s.detail.startsWith(`${inst}:`) : s.detail === 'queued: runs') return s.src;
  }
  return undefined;
}

/** The final step of a lockdep trace: the acquisition attempt itself (it may block, so it has no state). */
function attemptStep(
  m: CompiledModel,
  trace: Trace,
  thread: number,
  instr: { text: string; src: Trace['steps'][number]['src']; frames: string[]; calls?: Trace['steps'][number]['src'][] },
  inst: string,
  note: string,
) {
  const prev = trace.steps[trace.steps.length - 1];
  return {
    step: trace.steps.length + 1,
    thread: m.threads[thread].name,
    action: instr.text,
    detail: `${inst} (attempt)`,
    src: instr.src,
    frames: instr.frames,
    stack: stackOf(m.threads[thread].name, instr),
    held: prev ? prev.held : {},
    note,
  };
}

function deadlockFinding(m: CompiledModel, x: Exploration, idx: number): Finding {
  const { trace, state } = buildTrace(x.machine, x.store, idx);
  const blocked: BlockedThread[] = [];
  const waitsFor = new Map<number, number[]>();
  const exited = (u: number) => m.threads[u].name + (x.machine.isDone(state, u) ? ' (exited)' : '');
  m.threads.forEach((th, t) => {
    if (x.machine.isDone(state, t) || x.machine.isIdle(state, t)) return;
    const instr = x.machine.instrAt(state, t);
    const w = x.machine.waitReason(state, t);
    if (w.kind === 'empty-pick' || w.kind === 'condition') {
      blocked.push({
        thread: th.name,
        waitsFor: w.kind === 'condition' ? `the condition of ${w.text}` : 'a value from an empty set',
        heldBy: [],
        src: instr.src,
        stack: stackOf(th.name, instr),
      });
      waitsFor.set(t, []);
      return;
    }
    if (w.kind === 'readers') {
      const what = w.srcu < 0 ? 'an RCU grace period' : `an SRCU grace period of ${m.instances[w.srcu].name}`;
      blocked.push({ thread: th.name, waitsFor: what, heldBy: w.readers.map(exited), src: instr.src, stack: stackOf(th.name, instr), readers: true });
      waitsFor.set(t, w.readers);
      return;
    }
    if (w.kind === 'work') {
      // the run is its worker's to finish: the flusher waits for that thread
      const what = `the ${w.run} run of ${m.works[w.entry].items[w.item]}`;
      blocked.push({ thread: th.name, waitsFor: what, heldBy: [exited(w.worker)], src: instr.src, stack: stackOf(th.name, instr) });
      waitsFor.set(t, [w.worker]);
      return;
    }
    if (w.kind === 'completion') {
      blocked.push({ thread: th.name, waitsFor: `completion ${w.name}`, heldBy: [], src: instr.src, stack: stackOf(th.name, instr) });
      waitsFor.set(t, []);
      return;
    }
    waitsFor.set(t, [...w.holders, ...w.queuedWriters]);
    const lock = `${m.instances[w.inst].name}${w.read ? ' (read)' : ''}`;
    const b: BlockedThread = { thread: th.name, waitsFor: lock, heldBy: w.holders.map(exited), src: instr.src, stack: stackOf(th.name, instr) };
    if (w.queuedWriters.length > 0) b.queuedBehind = w.queuedWriters.map((u) => m.threads[u].name);
    blocked.push(b);
  });
  trace.blocked = blocked;
  // Find a wait-for cycle among the blocked threads.
  let cycle: number[] | undefined;
  for (const start of waitsFor.keys()) {
    const path: number[] = [];
    let t: number | undefined = start;
    const seen = new Map<number, number>();
    while (t !== undefined && !seen.has(t) && waitsFor.has(t)) {
      seen.set(t, path.length);
      path.push(t);
      t = waitsFor.get(t)!.find((u) => waitsFor.has(u));
    }
    if (t !== undefined && seen.has(t)) {
      cycle = path.slice(seen.get(t)!);
      break;
    }
  }
  const name = (t: number) => m.threads[t].name;
  const describe = (t: number) => blocked.find((b) => b.thread === name(t))!;
  const wait = (t: number): DeadlockWait => ({ thread: name(t), waitsFor: describe(t).waitsFor });
  const category: DeadlockFacts['category'] = cycle ? (cycle.length === 1 ? 'self' : 'cycle') : 'orphan';
  const waits = cycle ? cycle.map(wait) : blocked.map((b) => ({ thread: b.thread, waitsFor: b.waitsFor, heldBy: b.heldBy }));
  const own = category === 'self' ? (x.machine.waitReason(state, cycle![0]).kind === 'work' ? ('executes' as const) : ('holds' as const)) : undefined;
  const first = blocked[0];
  const firstThread = [...waitsFor.keys()][0];
  const firstInstr = firstThread === undefined ? undefined : x.machine.instrAt(state, firstThread);
  const members = cycle ?? [...waitsFor.keys()];
  const classes = members.flatMap((t) => {
    const w = x.machine.waitReason(state, t);
    if (w.kind === 'work') return [x.lockdep.nodeName(x.lockdep.node(m.classes.length + w.entry, 0))];
    return w.kind === 'lock' ? [m.classes[m.instances[w.inst].cls].name] : w.kind === 'readers' && w.srcu >= 0 ? [m.classes[m.instances[w.srcu].cls].name] : [];
  });
  const locks = members.flatMap((t) => {
    const w = x.machine.waitReason(state, t);
    return w.kind === 'lock' ? [m.instances[w.inst].name] : [];
  });
  const facts: DeadlockFacts = {
    category,
    waits,
    ...(own ? { own } : {}),
    threads: members.map(name),
    classes: [...new Set(classes)],
    locks: [...new Set(locks)],
  };
  return withMessage(
    { kind: 'deadlock', facts },
    {
      location: first?.src,
      calledFrom: firstInstr?.callSite,
      ...(firstInstr ? { stack: stackOf(m.threads[firstThread].name, firstInstr) } : {}),
      trace,
    },
  );
}

function cycleFinding(m: CompiledModel, x: Exploration, cycle: DepEdge[], deadlocks: Finding[]): Finding {
  const names = cycle.map((e) => x.lockdep.nodeName(e.from));
  // Beyond lockdep: did some explored schedule deadlock on exactly these classes? If not, which locks were
  // held across every edge of the cycle (a gate, such as the global rtnl_mutex, that serialises them)?
  const classSet = [...new Set(cycle.map((e) => x.lockdep.className(e.from >> 3)))].sort().join(',');
  const reached = deadlocks.some((d) => d.kind === 'deadlock' && [...new Set(d.facts.classes)].sort().join(',') === classSet);
  const cycleClasses = new Set(cycle.map((e) => e.from >> 3));
  let gates = cycle[0].gates;
  for (const e of cycle.slice(1)) gates = gates.filter((g) => e.gates.includes(g));
  const gateNames = [...new Set(gates.filter((g) => !cycleClasses.has(m.instances[g].cls)).map((g) => m.instances[g].name))];
  const edgeFacts: CycleEdge[] = [];
  const chains = cycle.map((e) => {
    const w = e.witness;
    const { trace } = buildTrace(x.machine, x.store, w.state);
    const held = x.lockdep.instName(w.heldInst);
    const acq = x.lockdep.instName(w.inst);
    edgeFacts.push({
      from: x.lockdep.nodeName(e.from),
      to: x.lockdep.nodeName(e.to),
      type: e.type,
      thread: m.threads[w.thread].name,
      held,
      heldAt: acquiredAt(trace, m.threads[w.thread].name, held, x.lockdep.isLock(w.heldInst)),
      acquired: acq,
      at: w.instr.src,
    });
    trace.steps.push(
      attemptStep(m, trace, w.thread, w.instr, acq, `acquires ${acq} while holding ${held}: ${x.lockdep.nodeName(e.from)} --> ${x.lockdep.nodeName(e.to)}`),
    );
    return {
      label: `${x.lockdep.nodeName(e.from)} --> ${x.lockdep.nodeName(e.to)} (${m.threads[w.thread].name} at ${w.instr.src.file}:${w.instr.src.line}:${w.instr.src.col})`,
      trace,
    };
  });
  return withMessage(
    { kind: 'lock-order-cycle', facts: { classes: names, reached, gates: gateNames, edges: edgeFacts } },
    {
      location: cycle[0].witness.instr.src,
      calledFrom: cycle[0].witness.instr.callSite,
      stack: stackOf(m.threads[cycle[0].witness.thread].name, cycle[0].witness.instr),
      chains,
    },
  );
}

/**
 * The finding of a machine event reached by `trace` (whose last step raised it, or, for checks made at an
 * attempt, after whose last step thread `attempt` tried the instruction): a failed check is a toctou when the
 * value it acts on went stale (toctou.ts), else its own kind.
 */
export function eventFinding(m: CompiledModel, event: MachineEvent, trace: Trace, logs: LoggedStep[][], attempt?: number): Finding {
  const window = event.kind === 'assertion' && event.thread >= 0 ? findToctou(m, trace, logs, event.thread, event.instr) : undefined;
  if (window) {
    const mark = (k: number, note: string) => (trace.steps[k - 1].note = note);
    mark(window.check, `check: ${window.reader} reads ${window.variable} (under ${window.guard})`);
    mark(window.write, `${window.writer} writes ${window.variable}`);
    mark(window.use, `use: ${event.message}`);
    const facts = {
      window: { check: window.check, write: window.write, use: window.use },
      variable: window.variable,
      reader: window.reader,
      writer: window.writer,
      guard: window.guard,
      check: event.message,
    };
    return withMessage({ kind: 'toctou', facts }, { location: event.instr.src, calledFrom: event.instr.callSite, ...eventStack(m, event), trace });
  }
  if (attempt !== undefined) {
    const i = event.instr;
    const prev = trace.steps[trace.steps.length - 1];
    trace.steps.push({
      step: trace.steps.length + 1,
      thread: m.threads[attempt].name,
      action: i.text,
      detail: 'attempt',
      src: i.src,
      frames: i.frames,
      stack: stackOf(m.threads[attempt].name, i),
      held: prev ? prev.held : {},
    });
  }
  // an event of a thread's leading local statements (before any step) is noted on its setup entry
  const last = trace.steps[trace.steps.length - 1] ?? trace.setup?.find((s) => event.thread >= 0 && s.thread === m.threads[event.thread].name);
  if (last) last.note = event.message;
  const facts: EventFacts = {
    ...(event.thread >= 0 ? { thread: m.threads[event.thread].name } : {}),
    ...(event.locks?.length ? { locks: event.locks.map((i) => m.instances[i].name) } : {}),
    text: event.message,
  };
  return withMessage({ kind: event.kind, facts }, { location: event.instr.src, calledFrom: event.instr.callSite, ...eventStack(m, event), trace });
}

function eventStack(m: CompiledModel, event: MachineEvent): { stack?: Finding['stack'] } {
  return event.thread >= 0 ? { stack: stackOf(m.threads[event.thread].name, event.instr) } : {};
}
