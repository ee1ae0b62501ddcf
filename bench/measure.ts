// Runs one command under GNU time and reads what the OS measured: user and system CPU seconds, wall seconds and
// the peak resident set size (wait4's ru_maxrss: the largest of the process and the children it waited for).
// The benchmark takes every time and memory figure from here, so that no tool reports on itself.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Usage {
  /** user + system CPU seconds */
  cpu: number;
  wall: number;
  /** peak RSS in KiB */
  rssKiB: number;
}

export interface Measured extends Usage {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const TIME = '/usr/bin/time';

/** GNU time's `-f '%U %S %e %M'` line (the last line: a failing command gets a status line before it). */
export function parseTime(text: string): Usage {
  const line = text.trim().split('\n').pop() ?? '';
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(line.trim());
  if (!m) throw new Error(`cannot read GNU time's output: ${JSON.stringify(text)}`);
  return { cpu: Number(m[1]) + Number(m[2]), wall: Number(m[3]), rssKiB: Number(m[4]) };
}

export function measure(cmd: string, args: string[], opts: { cwd: string; timeoutMs?: number }): Measured {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-time-')), 'time.txt');
  const r = spawnSync(TIME, ['-o', out, '-f', '%U %S %e %M', cmd, ...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 512 << 20,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.error) throw r.error;
  const usage = r.signal ? { cpu: NaN, wall: NaN, rssKiB: NaN } : parseTime(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { ...usage, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The OS's figures alone, without the output (what a saved result keeps). */
export function usage(m: Usage): Usage {
  return { cpu: m.cpu, wall: m.wall, rssKiB: m.rssKiB };
}

/** The sum of steps run one after the other (compile, then verify); the peak RSS is the largest. */
export function sequence(...steps: Usage[]): Usage {
  return {
    cpu: steps.reduce((s, u) => s + u.cpu, 0),
    wall: steps.reduce((s, u) => s + u.wall, 0),
    rssKiB: Math.max(...steps.map((u) => u.rssKiB)),
  };
}
