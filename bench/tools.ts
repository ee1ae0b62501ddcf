// The three tools of the benchmark, each run as its user would run it and measured by the OS (bench/measure.ts):
// lockcheck (the whole `lockcheck check` process), SPIN (spin -a, gcc -O2 -DSAFETY, ./pan) and Rumur (rumur,
// gcc -O3, the verifier). Each run gives the same record: verdict, states, transitions, and the OS's figures for
// the compile and the verify step. The parsers are pure, so tests can read fixed outputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure, Measured, sequence, Usage, usage } from './measure';

export type Verdict = 'deadlock' | 'no deadlock';

export interface ToolRun {
  verdict: Verdict;
  /** states stored */
  states: number;
  /** lockcheck: transitions; pan: "transitions (= stored+matched)"; Rumur: rules fired */
  transitions: number;
  /** spin -a + gcc, or rumur + gcc; absent for lockcheck */
  compile?: Usage;
  /** the search: the lockcheck process, ./pan, the Rumur verifier */
  verify: Usage;
  total: Usage;
}

export const ROOT = path.join(__dirname, '..');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-bench-'));
}

function ok(m: Measured, what: string): Measured {
  if (m.signal) throw new Error(`${what}: killed by ${m.signal}`);
  if (m.status !== 0) throw new Error(`${what} exited with ${m.status}:\n${m.stdout}\n${m.stderr}`);
  return m;
}

// ---- lockcheck

export interface LockcheckStats {
  verdict: Verdict;
  states: number;
  transitions: number;
}

/** `lockcheck check --format json` of one spec: a deadlock finding or none, and the search's counts. */
export function parseLockcheck(json: string): LockcheckStats {
  const res = JSON.parse(json).results[0];
  if (res.verdict === 'incomplete' || res.verdict === 'error' || !res.stats?.complete) throw new Error(`lockcheck did not finish the search: ${res.verdict}`);
  return {
    verdict: res.findings.some((f: { kind: string }) => f.kind === 'deadlock') ? 'deadlock' : 'no deadlock',
    states: res.stats.states,
    transitions: res.stats.transitions,
  };
}

export function runLockcheck(spec: string, params: Record<string, number>, flags: string[] = []): ToolRun {
  // one thread unless the flags say otherwise: SPIN's pan and Rumur's verifier are compared single-threaded
  const jobs = flags.includes('--jobs') ? [] : ['--jobs', '1'];
  const args = ['bin/lockcheck.js', 'check', '--format', 'json', '--no-progress', ...jobs, ...flags];
  for (const [k, v] of Object.entries(params)) args.push('--param', `${k}=${v}`);
  args.push(spec);
  const m = measure(process.execPath, args, { cwd: ROOT });
  if (m.signal || m.status === 2 || m.status === 3) throw new Error(`lockcheck ${args.join(' ')}: exit ${m.status ?? m.signal}\n${m.stderr}`);
  return { ...parseLockcheck(m.stdout), verify: usage(m), total: usage(m) };
}

// ---- SPIN

export interface PanStats {
  verdict: Verdict;
  states: number;
  transitions: number;
  errors: number;
}

/** pan's report; throws when the search was cut (depth, memory) or found an error other than a deadlock. */
export function parsePanStats(out: string): PanStats {
  if (/max search depth too small/.test(out)) throw new Error('pan: max search depth too small (raise -m)');
  if (/out of memory|memory limit|reached -DMEMLIM/i.test(out)) throw new Error(`pan ran out of memory:\n${out}`);
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`pan printed no ${re}:\n${out}`);
    return Number(m[1]);
  };
  const errors = num(/errors: (\d+)/);
  if (errors > 0 && !/invalid end state/.test(out)) throw new Error(`pan reports an error other than an invalid end state:\n${out}`);
  return {
    verdict: errors > 0 ? 'deadlock' : 'no deadlock',
    states: num(/([\d.e+]+) states, stored/),
    transitions: num(/([\d.e+]+) transitions \(= stored\+matched\)/),
    errors,
  };
}

export interface SpinOptions {
  /** -D definitions for spin -a (the twin's N, P, ...) */
  defines: Record<string, number>;
  /** gcc -DNOREDUCE: SPIN's partial-order reduction off (the equality check) */
  noReduce?: boolean;
  /** pan -w: a hash table of 2^hashBits slots */
  hashBits: number;
  /** pan -m: the depth stack (pan allocates it whole, so it is sized to the model) */
  depth: number;
}

/** pan's -w for a search expected to store about `states` states: a table at most half full, 2^16 to 2^30. */
export function hashBitsFor(states: number): number {
  return Math.min(30, Math.max(16, Math.ceil(Math.log2(Math.max(1, states) * 2))));
}

export function runSpin(pml: string, o: SpinOptions): ToolRun {
  const dir = tmpdir();
  try {
    const defs = Object.entries(o.defines).map(([k, v]) => `-D${k}=${v}`);
    const a = ok(measure('spin', ['-a', ...defs, path.resolve(ROOT, pml)], { cwd: dir }), 'spin -a');
    const cc = ok(measure('gcc', ['-O2', '-DSAFETY', ...(o.noReduce ? ['-DNOREDUCE'] : []), '-o', 'pan', 'pan.c'], { cwd: dir }), 'gcc');
    // -c0: go on past an error, so that a deadlocking model is searched whole too; -n: no unreached-code report
    const pan = measure('./pan', [`-m${o.depth}`, `-w${o.hashBits}`, '-c0', '-n'], { cwd: dir });
    if (pan.signal) throw new Error(`pan killed by ${pan.signal}`);
    const compile = sequence(a, cc);
    return { ...parsePanStats(pan.stdout), compile, verify: usage(pan), total: sequence(compile, pan) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Rumur

export interface RumurStats {
  verdict: Verdict;
  states: number;
  transitions: number;
}

/** The Rumur verifier's summary: "N states, M rules fired in Ts.", and a deadlock if it reports one. */
export function parseRumur(out: string): RumurStats {
  const m = /(\d+) states, (\d+) rules fired in/.exec(out);
  if (!m) throw new Error(`the Rumur verifier printed no summary:\n${out.slice(-2000)}`);
  const errors = /\bdeadlock\b/.test(out);
  if (!errors && !/No error found/.test(out)) throw new Error(`the Rumur verifier reports an error other than a deadlock:\n${out.slice(-2000)}`);
  return { verdict: errors ? 'deadlock' : 'no deadlock', states: Number(m[1]), transitions: Number(m[2]) };
}

/** Rumur's settings for a complete search: symmetry on (its default heuristic, which matched the exhaustive
 * count on every instance here and is faster), one thread (as lockcheck's default), every error reported
 * without a trace (so a deadlocking model is searched whole), a deadlock = a state with no enabled rule. */
export const RUMUR_FLAGS = [
  '--symmetry-reduction',
  'heuristic',
  '--threads',
  '1',
  '--deadlock-detection',
  'stuck',
  '--max-errors',
  '1000000000',
  '--counterexample-trace',
  'off',
];

/** Rumur's README: `cc -std=c11 -O3 model.c -lpthread`, with -mcx16 for GCC on x86-64. */
export const RUMUR_CFLAGS = ['-std=c11', '-O3', ...(process.arch === 'x64' ? ['-mcx16'] : [])];

export function runRumur(murphi: string, flags: string[] = RUMUR_FLAGS): ToolRun {
  const dir = tmpdir();
  try {
    fs.writeFileSync(path.join(dir, 'model.m'), murphi);
    const gen = ok(measure('rumur', [...flags, '--output', 'model.c', 'model.m'], { cwd: dir }), 'rumur');
    const cc = ok(measure('gcc', [...RUMUR_CFLAGS, '-o', 'verifier', 'model.c', '-lpthread'], { cwd: dir }), 'gcc');
    const v = measure('./verifier', [], { cwd: dir });
    if (v.signal) throw new Error(`the Rumur verifier was killed by ${v.signal}`);
    const compile = sequence(gen, cc);
    return { ...parseRumur(v.stdout + v.stderr), compile, verify: usage(v), total: sequence(compile, v) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the equality relations a fair comparison rests on

/** what the equality relations compare: a search's deadlock verdict and its stored states */
export interface Counted {
  verdict: Verdict;
  states: number;
}

export interface Agreement {
  agree: boolean;
  detail: string;
}

/**
 * A Promela twin is step for step when pan without its reduction stores lockcheck's unreduced count, plus the
 * states of SPIN's init process if the twin has one (`initStates`: 0 for `active` processes), and the
 * deadlock verdicts agree.
 */
export function spinTwinAgrees(lockcheckUnreduced: Counted, panNoReduce: Counted, initStates: number): Agreement {
  const want = lockcheckUnreduced.states + initStates;
  const agree = panNoReduce.states === want && panNoReduce.verdict === lockcheckUnreduced.verdict;
  return {
    agree,
    detail: `lockcheck --no-por --no-symmetry --no-dead-vars ${lockcheckUnreduced.states} states (${lockcheckUnreduced.verdict}) + ${initStates} init, pan -DNOREDUCE ${panNoReduce.states} (${panNoReduce.verdict})`,
  };
}

/** A Murphi twin is step for step when Rumur (symmetry on, no POR) stores lockcheck's --no-por count. */
export function rumurTwinAgrees(lockcheckNoPor: Counted, rumur: Counted): Agreement {
  const agree = rumur.states === lockcheckNoPor.states && rumur.verdict === lockcheckNoPor.verdict;
  return {
    agree,
    detail: `lockcheck --no-por --no-dead-vars ${lockcheckNoPor.states} states (${lockcheckNoPor.verdict}), Rumur ${rumur.states} (${rumur.verdict})`,
  };
}
