// Which kinds each failing check has. A check (an assert or assert_held) may fail on one run because a value
// it acts on went stale (toctou) and on another because it is simply false there (assertion); the kind read
// off one trace says nothing about the other runs. After a complete search has found failing checks in a
// model with guarded vars, this breadth-first search without reductions carries, for every thread that has
// checks, the TOCTOU monitor of toctou.ts in its states, and so finds each (check, kind) that some run
// reaches, with its shortest trace in the unreduced interleaving space. The kinds then never depend on the
// search mode or order. Its states are bounded: when the budget runs out, the findings stay as they were.
import { CompiledModel, Instr } from '../model/ir';
import { ModelRuntimeError } from '../model/runtime-error';
import { Finding } from '../result';
import { Machine, MachineEvent } from '../explore/machine';
import { heldNames, traceOfMoves } from '../explore/trace';
import { eventFinding } from './findings';
import { BUDGET_FACTOR, MIN_BUDGET } from './shortest';
import { ToctouMonitor } from './toctou';

const isCheck = (i: Instr) => i.op === 'assert' || i.op === 'assert_held';

/** Can a failing check of this model be a toctou at all: is some var guarded, and does some thread check? */
export function checksCanGoStale(m: CompiledModel): boolean {
  return m.globals.some((g) => g.guard !== -1) && m.threads.some((t) => t.code.some(isCheck));
}

/** Is the finding about a failing check, whichever its kind? (What settleCheckKinds' findings replace.) */
export const sameCheck = (a: Finding, b: Finding) =>
  a.location?.file === b.location?.file && a.location?.line === b.location?.line && a.location?.col === b.location?.col && checkText(a) === checkText(b);

/** The failed check's own message, whether it went stale (toctou) or not. */
const checkText = (f: Finding) => (f.kind === 'toctou' ? f.facts.check : f.kind === 'assertion' ? f.facts.text : undefined);

export interface SettledChecks {
  /** every (check, kind) some run reaches, each with its shortest trace; undefined when the budget ran out */
  findings?: Finding[];
  states: number;
}

interface Found {
  kind: 'toctou' | 'assertion';
  event: MachineEvent;
  moves: number[];
}

/** Bounds of the settling search besides its state budget: SIGINT, --max-seconds (its own clock), --max-memory. */
export interface SettleLimits {
  shouldStop?: () => boolean;
  maxSeconds?: number;
  maxMemoryBytes?: number;
}

export function settleCheckKinds(m: CompiledModel, budget: number, limits: SettleLimits = {}): SettledChecks {
  const started = Date.now();
  let examined = 0;
  const overLimit = () =>
    limits.shouldStop?.() === true ||
    (limits.maxSeconds !== undefined && (Date.now() - started) / 1000 > limits.maxSeconds) ||
    (limits.maxMemoryBytes !== undefined && process.memoryUsage().rss > limits.maxMemoryBytes);
  const machine = new Machine(m);
  const watched = m.threads.map((t, i) => (t.code.some(isCheck) ? i : -1)).filter((i) => i >= 0);
  const slot = new Map(watched.map((t, k) => [t, k] as const));
  const found = new Map<string, Found>();
  const parent: number[] = [];
  const via: number[] = [];
  const movesTo = (index: number, last: number[]) => {
    const out: number[] = [];
    for (let i = index; i > 0; i = parent[i]) out.push(via[i]);
    return [...out.reverse(), ...last];
  };
  const note = (e: MachineEvent, kind: Found['kind'], index: number, last: number[]) => {
    const key = `${kind}|${e.instr.src.file}:${e.instr.src.line}:${e.instr.src.col}|${m.threads[e.thread].decl}|${e.message}`;
    if (!found.has(key)) found.set(key, { kind, event: e, moves: movesTo(index, last) });
  };

  // the initial state: leading local statements read nothing shared, so a check failing there is no toctou
  const initial = machine.initial((e) => {
    if (e.kind === 'assertion' && isCheck(e.instr)) note(e, 'assertion', 0, []);
  });
  const visited = new Map<string, number>();
  const keyOf = (s: Int32Array, mons: ToctouMonitor[]) =>
    `${Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1')}#${mons.map((x) => x.key()).join('#')}`;
  let frontier: { s: Int32Array; mons: ToctouMonitor[]; index: number }[] = [{ s: initial, mons: watched.map((t) => new ToctouMonitor(m, t)), index: 0 }];
  visited.set(keyOf(initial, frontier[0].mons), 0);
  parent.push(-1);
  via.push(-1);
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const node of frontier) {
      if (++examined % 1024 === 0 && overLimit()) return { states: visited.size };
      for (let t = 0; t < m.threads.length; t++) {
        if (machine.instrAt(node.s, t).op === 'end') continue;
        let n: number;
        try {
          n = machine.moves(node.s, t);
        } catch (e) {
          if (!(e instanceof ModelRuntimeError)) throw e;
          n = 1; // the move reports the error and ends the thread
        }
        for (let c = 0; c < n; c++) {
          const s = node.s.slice();
          const log: Parameters<Machine['step']>[4] = [];
          const events: MachineEvent[] = [];
          machine.step(s, t, c, (e) => events.push(e), log);
          const mons = node.mons.map((mon, k) => {
            const copy = mon.clone();
            const verdicts = copy.observe(depth, log!, heldNames(machine, node.s, watched[k]), heldNames(machine, s, watched[k]));
            for (const e of events)
              if (e.kind === 'assertion' && e.thread === watched[k] && isCheck(e.instr))
                note(e, verdicts.get(e.instr)?.stale ? 'toctou' : 'assertion', node.index, [(t << 16) | c]);
            return copy;
          });
          for (const e of events) if (e.kind === 'assertion' && isCheck(e.instr) && !slot.has(e.thread)) note(e, 'assertion', node.index, [(t << 16) | c]);
          const key = keyOf(s, mons);
          if (visited.has(key)) continue;
          if (visited.size >= budget) return { states: visited.size };
          const index = parent.length;
          visited.set(key, index);
          parent.push(node.index);
          via.push((t << 16) | c);
          next.push({ s, mons, index });
        }
      }
    }
    frontier = next;
  }

  const findings: Finding[] = [];
  for (const f of found.values()) {
    const { trace, logs } = traceOfMoves(machine, f.moves, f.event.instr);
    const finding = eventFinding(m, f.event, trace, logs);
    // the replay reads the trace with the same monitor: a different kind would be a bug in one of the two
    if (finding.kind !== f.kind) throw new Error(`check-kinds: ${f.kind} expected on replay, got ${finding.kind} (${f.event.message})`);
    findings.push(finding);
  }
  return { findings, states: visited.size };
}

/**
 * The budget of the search that confirms shortest traces (shortest.ts); as these states carry monitors and are
 * kept as strings, at most this many whatever the main search stored.
 */
const MAX_BUDGET = 2_000_000;

/**
 * The findings of a complete search with each failing check's kinds settled: a check's toctou and assertion
 * findings are replaced, where they stand, by every kind its runs reach. `unsettled` says the search ran out
 * of budget (the findings are then as given).
 */
export function withSettledCheckKinds(
  m: CompiledModel,
  fs: Finding[],
  searchStates: number,
  limits: SettleLimits = {},
  budget = Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, BUDGET_FACTOR * searchStates)),
): { findings: Finding[]; unsettled?: string } {
  if (!checksCanGoStale(m) || !fs.some((f) => f.kind === 'toctou' || f.kind === 'assertion')) return { findings: fs };
  const settled = settleCheckKinds(m, budget, limits).findings;
  if (!settled)
    return {
      findings: fs,
      unsettled: `the kinds of failing checks were not settled (stopped by a bound, at most ${budget} states): a check reported as assertion may also fail as a toctou on another run, or the other way round`,
    };
  const placed = new Set<Finding>();
  const out: Finding[] = [];
  for (const f of fs) {
    const mine = f.kind === 'toctou' || f.kind === 'assertion' ? settled.filter((g) => sameCheck(f, g)) : [];
    if (mine.length === 0 && f.kind !== 'toctou') out.push(f);
    for (const g of mine)
      if (!placed.has(g)) {
        placed.add(g);
        out.push(g);
      }
  }
  for (const g of settled) if (!placed.has(g)) out.push(g);
  return { findings: out };
}
