// The CLI, kept thin: argv -> options -> pipeline -> reporter -> exit code.
// Exit codes (conformance contract): 0 every spec as expected, 1 a spec's findings differ from its
// expectation, 2 a bad spec or bad usage, 3 a bound was hit before the search finished.
import { Command, CommanderError, Option } from 'commander';
import fg from 'fast-glob';
import * as path from 'path';
import { checkFile, errorResult } from '../pipeline';
import { CheckResult } from '../result';
import { nodeHost } from '../spec/host';
import { diag } from '../diagnostics/diagnostic';
import { renderJson } from '../../reports/json';
import { renderDiagnostics, renderText } from '../../reports/text';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const processIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function exitCodeFor(result: CheckResult): number {
  const rs = result.results;
  if (rs.some((r) => r.verdict === 'error')) return 2;
  if (rs.some((r) => !r.matches && r.verdict !== 'incomplete')) return 1;
  if (rs.some((r) => r.verdict === 'incomplete')) return 3;
  return 0;
}

function collect(v: string, prev: string[]) {
  return [...prev, v];
}

function parseParams(list: string[]): Record<string, number> | string {
  const out: Record<string, number> = {};
  for (const p of list) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(-?[0-9]+)$/.exec(p);
    if (!m) return `--param expects NAME=INTEGER, got "${p}"`;
    out[m[1]] = Number(m[2]);
  }
  return out;
}

async function expandFiles(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of patterns) {
    if (fg.isDynamicPattern(p)) {
      const hits = await fg(p, { onlyFiles: true, dot: false });
      files.push(...hits.sort().map((f) => path.resolve(f)));
    } else files.push(path.resolve(p)); // a missing or directory path gets its own diagnostic
  }
  return [...new Set(files)];
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  const program = new Command('lockcheck')
    .description('Proves kernel locking schemes free of deadlock, or shows exactly how they break.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('check')
    .description('check specs: explore every interleaving and report deadlocks, lock-order cycles and more')
    .argument('<spec...>', 'spec files or globs, e.g. "specs/**/*.json"')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--max-states <n>', 'stop after storing this many states (verdict incomplete, exit 3)', (v) => Number(v))
    .option('--max-seconds <s>', 'stop after this many seconds per spec (verdict incomplete, exit 3)', (v) => Number(v))
    .option('--param <NAME=VALUE>', 'override a param (repeatable)', collect, [])
    .option('--without <lock>', 'drop every acquisition and release of this lock class (repeatable)', collect, [])
    .option('--no-traces', 'print findings without their traces (text format)')
    .action(async (patterns: string[], o: { format: string; maxStates?: number; maxSeconds?: number; param: string[]; without: string[]; traces: boolean }) => {
      for (const [flag, v] of [['--max-states', o.maxStates], ['--max-seconds', o.maxSeconds]] as const) {
        if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
          io.err(`lockcheck: ${flag} expects a positive number\n`);
          code = 2;
          return;
        }
      }
      const params = parseParams(o.param);
      if (typeof params === 'string') {
        io.err(`lockcheck: ${params}\n`);
        code = 2;
        return;
      }
      const files = await expandFiles(patterns);
      if (files.length === 0) {
        io.err(`lockcheck: no spec matches ${patterns.map((p) => JSON.stringify(p)).join(' ')}\n`);
        code = 2;
        return;
      }
      process.on('SIGINT', onSigint);
      const result: CheckResult = { results: [] };
      try {
        for (const f of files) {
          result.results.push(
            checkFile(nodeHost, f, { params, without: o.without, maxStates: o.maxStates, maxSeconds: o.maxSeconds, shouldStop: () => interrupted }),
          );
        }
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      const diags = renderDiagnostics(result);
      if (diags) io.err(diags + '\n');
      io.out(o.format === 'json' ? renderJson(result) : renderText(result, { traces: o.traces }));
      code = exitCodeFor(result);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const reason = e instanceof Error ? e.message : String(e);
    const r = errorResult('(lockcheck)', [diag('internal', { file: '(lockcheck)', line: 1, col: 1 }, { reason })]);
    io.err(renderDiagnostics({ results: [r] }) + '\n');
    return 2;
  }
  return code;
}
