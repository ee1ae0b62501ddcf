// Runs SPIN on a Promela model: spin -a, gcc -O2 -DSAFETY, ./pan, each model in its own temporary directory,
// and reads pan's verdict. "invalid end state" is SPIN's deadlock: a state with no move where some process is
// blocked before its end (the twins end every process at its closing brace, a valid end state).
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface SpinResult {
  verdict: 'deadlock' | 'ok';
  /** states stored by pan */
  states: number;
  /** pan's full output, for reports */
  output: string;
}

export class SpinError extends Error {}

/** Are spin and gcc on PATH? */
export function spinAvailable(): { spin: boolean; gcc: boolean } {
  const has = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return !r.error;
  };
  return { spin: has('spin', ['-V']), gcc: has('gcc', ['--version']) };
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Parses pan's report: the verdict, or a SpinError when the search was not complete or not understood. */
export function parsePan(output: string): SpinResult {
  const errors = /^\s*State-vector .*errors: (\d+)/m.exec(output) ?? /errors: (\d+)/.exec(output);
  if (!errors) throw new SpinError(`pan printed no "errors:" line:\n${output}`);
  if (/max search depth too small/.test(output)) throw new SpinError('pan: max search depth too small (raise -m)');
  if (/out of memory|memory limit/i.test(output)) throw new SpinError(`pan ran out of memory:\n${output}`);
  const states = /([0-9.e+]+) states, stored/.exec(output);
  const n = Number(errors[1]);
  const result = { states: states ? Number(states[1]) : Number.NaN, output };
  if (n === 0) return { verdict: 'ok', ...result };
  if (/invalid end state/.test(output)) return { verdict: 'deadlock', ...result };
  throw new SpinError(`pan reports an error other than an invalid end state:\n${output}`);
}

export async function runSpin(
  promela: string,
  opts: { noReduce?: boolean; depth?: number; hashBits?: number; timeoutMs?: number; keep?: boolean } = {},
): Promise<SpinResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-spin-'));
  const timeout = opts.timeoutMs ?? 120_000;
  try {
    fs.writeFileSync(path.join(dir, 'model.pml'), promela);
    const a = await run('spin', ['-a', 'model.pml'], dir, timeout);
    if (a.code !== 0 || !fs.existsSync(path.join(dir, 'pan.c'))) throw new SpinError(`spin -a failed:\n${a.out}`);
    const cflags = ['-O2', '-DSAFETY', ...(opts.noReduce ? ['-DNOREDUCE'] : []), '-o', 'pan', 'pan.c'];
    const cc = await run('gcc', cflags, dir, timeout);
    if (cc.code !== 0) throw new SpinError(`gcc failed:\n${cc.out}`);
    // -m: depth bound (every twin is loop free, so its depth is at most the number of steps);
    // -n: no report of unreached code. pan stops at the first error, which is all a verdict needs.
    // -w: a hash table of 2^w slots (the twins are small; the default 2^24 costs more to clear than to search).
    const pan = await run('./pan', [`-m${opts.depth ?? 100000}`, `-w${opts.hashBits ?? 20}`, '-n'], dir, timeout);
    if (pan.code === null) throw new SpinError('pan timed out');
    return parsePan(pan.out);
  } finally {
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
