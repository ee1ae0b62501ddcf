// Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first).
import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** Every reduction off: the engine alone bounds the speed of a search, so a big instance runs for minutes. */
export const UNREDUCED = ['--no-por', '--no-symmetry', '--no-dead-vars'];
/** A search that runs for minutes and grows past gigabytes: for the tests of bounds, signals and progress. */
export const LONG_SEARCH = [...UNREDUCED, '--param', 'N=4', '--param', 'P=3', 'specs/bench/scale-sorted.json'];

/** `lockcheck ARGS` in cwd (the repository by default), without colour; a timeout kills it (see `signal`). */
export function lockcheck(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockcheck.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: opts.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, error: r.error };
}
