// The CLI, kept thin: argv -> options -> pipeline -> (baseline) -> reporters -> exit code.
// Exit codes (conformance contract): 0 every spec as expected, 1 a spec's findings differ from its
// expectation, 2 a bad spec or bad usage, 3 a bound was hit before the search finished.
// Files it writes (--report, --output) are written whole or not at all, and only where a file may go
// (write-file.ts); files it reads are regular files of a bounded size (spec/host.ts). SIGINT and SIGTERM stop
// a search the same way: verdict incomplete, exit 3, reports written.
import { Command, CommanderError, Option } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SWARM_WALKS, parseSearchFlags, SearchFlags, STRATEGIES } from './search-options';
import { CheckResult, errorResult, withoutTimings } from '../result';
import { MAX_SPEC_BYTES, nodeHost, readRegularFile } from '../spec/host';
import { fitsInt32 } from '../spec/expressions';
import { diag, Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic';
import type { ResultInput } from '../result-input';
import { load } from '../spec/load';
import { renderDiagnostics } from '../../reports/text';
import { FILE_FORMATS, FileFormat, Format, FORMATS, reporter } from '../../reports/index';
import { SearchProgress } from './progress';
import { knownNames, unknownName } from './known-names';
import { outputTarget, writeOutput } from './write-file';

// Modules loaded when first used, not at start-up: checking one spec path in text needs only the pipeline,
// and --help not even that. Glob expansion (fast-glob) is for patterns, the other reporters for the formats
// asked for; test/cli/startup.test.ts checks that a plain check loads none of them. `typeof import()` is a type:
// the compiler erases it.
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  fastGlob: () => require('fast-glob') as typeof import('fast-glob'),
  pipeline: () => require('../pipeline') as typeof import('../pipeline'),
  checkRunner: () => require('./check-runner') as typeof import('./check-runner'),
  dump: () => require('../model/dump') as typeof import('../model/dump'),
  parallel: () => require('../parallel') as typeof import('../parallel'),
  merge: () => require('../merge') as typeof import('../merge'),
  resultInput: () => require('../result-input') as typeof import('../result-input'),
  baseline: () => require('../../reports/baseline') as typeof import('../../reports/baseline'),
  htmlSources: () => require('../../reports/html/sources') as typeof import('../../reports/html/sources'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stdout is a terminal (colour) */
  outIsTTY?: boolean;
  /** where the progress line goes, and whether it is a terminal */
  progressStream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * A stream whose reader went away (`lockcheck check ... | head`): later writes are dropped, and the check
 * goes on to write its reports and exit with its own code, instead of dying of an unhandled EPIPE.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (s) => {
    if (!closed) stream.write(s);
  };
}

const processIo: Io = {
  out: quietWhenClosed(process.stdout),
  err: quietWhenClosed(process.stderr),
  outIsTTY: process.stdout.isTTY === true,
  progressStream: process.stderr,
  env: process.env,
};

export { FORMATS, type Format } from '../../reports/index';

export function exitCodeFor(result: CheckResult): number {
  const rs = result.results;
  if (rs.some((r) => r.verdict === 'error')) return 2;
  if (rs.some((r) => !r.matches && r.verdict !== 'incomplete')) return 1;
  if (rs.some((r) => r.verdict === 'incomplete')) return 3;
  return 0;
}

/**
 * Colour on stdout: never with NO_COLOR (non-empty, no-color.org); FORCE_COLOR forces it (but "0" or "false"
 * turn it off); else only on a terminal that is not "dumb".
 */
export function useColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** The CI environment variable, as CI services set it ("true", "1", ...). */
export const inCi = (env: NodeJS.ProcessEnv) => !!env.CI && env.CI !== '0' && env.CI !== 'false';

function collect(v: string, prev: string[]) {
  return [...prev, v];
}

function parseParams(list: string[]): Record<string, number> | string {
  const out: Record<string, number> = Object.create(null);
  for (const p of list) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(-?[0-9]+)$/.exec(p);
    if (!m) return `--param expects NAME=INTEGER, got "${p}"`;
    const v = Number(m[2]);
    if (!fitsInt32(v)) return `--param ${m[1]}: ${m[2]} is out of range (32-bit integers)`;
    out[m[1]] = v;
  }
  return out;
}

function parseOutputs(list: string[]): { format: FileFormat; file: string }[] | string {
  const out: { format: FileFormat; file: string }[] = [];
  for (const o of list) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (!m || !(FILE_FORMATS as readonly string[]).includes(m[1]))
      return `--output expects FORMAT=FILE with FORMAT one of ${FILE_FORMATS.join(', ')}, got "${o}"`;
    out.push({ format: m[1] as FileFormat, file: m[2] });
  }
  return out;
}

/**
 * Whether fast-glob may read `p` as a pattern: it has a character of glob syntax (* ? [ ] { } ( ) !, or a
 * backslash, which escapes one). A plain path has none, and is used as it is, without loading fast-glob.
 */
export const mayBePattern = (p: string) => /[*?[\]{}()!\\]/.test(p);

async function expandFiles(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of patterns) {
    if (mayBePattern(p) && lazy.fastGlob().isDynamicPattern(p)) {
      const hits = await lazy.fastGlob()(p, { onlyFiles: true, dot: false });
      files.push(...hits.sort().map((f) => path.resolve(f)));
    } else files.push(path.resolve(p)); // a missing or directory path gets its own diagnostic
  }
  return [...new Set(files)];
}

/** lockcheck's version, from the package.json above this file (in checker/cli/ or dist/checker/cli/). */
function toolVersion(): string | undefined {
  for (let dir = __dirname, k = 0; k < 5; k++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lockcheck') return pkg.version;
    } catch {
      // not here: look one level up
    }
  }
  return undefined;
}

/** The content hash of a spec file as it is now (what its shards must have checked), if it loads here. */
function currentSpecHash(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const { loaded } = load(nodeHost, file);
  return loaded ? lazy.pipeline().specHash(loaded) : undefined;
}

/** A --baseline or a shard result may be bigger than a spec (traces of many specs), but not unbounded. */
const MAX_RESULT_BYTES = 256 * 2 ** 20;

/** A file the CLI reads besides the specs: a regular file of at most maxBytes, as text, or why not. */
function readInput(file: string, maxBytes: number): { text: string } | { error: string } {
  const r = readRegularFile(file, maxBytes);
  if ('bytes' in r) return { text: Buffer.from(r.bytes).toString('utf8') };
  return { error: r.error.startsWith('is ') ? `${file} ${r.error}` : `cannot read ${file}: ${r.error}` };
}

function readSource(file: string): string | undefined {
  const r = readInput(file, MAX_SPEC_BYTES);
  return 'text' in r ? r.text : undefined;
}

// Diagnostics that say a file is not a valid spec (invalid JSON, not UTF-8, not a lockcheck file): the HTML
// report quotes no line of that file, which may hold anything.
const NOT_A_SPEC = new Set(['LC1002', 'LC1006', 'LC2002']);

/** The spec and model lines the HTML report may quote: those of files that loaded as lockcheck files. */
function quotableSources(result: CheckResult) {
  const unquotable = new Set(result.results.flatMap((r) => r.diagnostics.filter((d) => NOT_A_SPEC.has(d.code)).map((d) => d.pos.file)));
  return lazy.htmlSources().collectSources(result, (f) => (unquotable.has(f) ? undefined : readSource(f)));
}

/** `--allow-import`: folders as absolute paths, each one that exists, or a usage message. */
function parseAllowImport(list: string[]): string[] | string {
  const out: string[] = [];
  for (const d of list) {
    if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) return `--allow-import expects a folder, got "${d}"`;
    out.push(path.resolve(d));
  }
  return out;
}

const OUTPUT_RULE = 'an output replaces a regular file (or creates one), or writes to - or a character device such as /dev/null';

/**
 * Where each output goes, checked before the search so that a bad path fails at once. Stdout carries one
 * output: the --format one, or one sent to `-` (or /dev/stdout) in its place.
 */
function checkOutputs(outputs: { format: FileFormat; file: string }[], formatGiven: boolean): { toStdout: boolean } | string {
  let toStdout = 0;
  for (const out of outputs) {
    const t = outputTarget(out.file);
    if (t.kind === 'refused') return `cannot write ${out.file}: ${t.reason}; ${OUTPUT_RULE}`;
    if (t.kind === 'stdout') toStdout++;
  }
  if (toStdout > 1 || (toStdout === 1 && formatGiven)) return 'only one output can go to stdout: --format, or one --output/--report to -';
  return { toStdout: toStdout === 1 };
}

interface CheckCliOptions extends SearchFlags {
  format: Format;
  output: string[];
  report?: string;
  baseline?: string;
  progress?: boolean;
  maxStates?: number;
  maxSeconds?: number;
  param: string[];
  allowImport: string[];
  without: string[];
  traces: boolean;
  dump?: string;
  timings: boolean;
  replay?: string;
}

/** The signals that stop a check cleanly (exit 3, verdict incomplete, the reports written). */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs f with `handler` listening to SIGNALS. A synchronous stage hears a signal only when it returns: the
 * event loop turns once before the handler is removed, or removing it would drop the signal unheard.
 */
async function listening<T>(handler: () => void, f: () => T): Promise<T> {
  for (const s of SIGNALS) process.on(s, handler);
  try {
    return f();
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    for (const s of SIGNALS) process.removeListener(s, handler);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  let interrupted = false;
  const env = io.env ?? {};
  const onSignal = () => {
    interrupted = true;
  };
  const program = new Command('lockcheck')
    .description('Proves kernel locking schemes free of deadlock, or shows exactly how they break.')
    .version(toolVersion() ?? 'unknown', '-V, --version', 'print the version of lockcheck')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('check')
    .description('check specs: explore every interleaving and report deadlocks, lock-order cycles and more')
    .argument('<spec...>', 'spec files or globs, e.g. "specs/**/*.json"')
    .addOption(new Option('--format <format>', 'output format on stdout').choices([...FORMATS]).default('text'))
    .option('--report <file.html>', 'also write the HTML report (self-contained, opens offline) to this file')
    .option('--output <FORMAT=FILE>', `also write FORMAT (${FILE_FORMATS.join(', ')}) to FILE (repeatable)`, collect, [])
    .option('--baseline <old.json>', 'report only findings that this earlier --format json result does not have')
    .option('--progress', 'show a progress line on stderr, even when it is not a terminal or CI is set')
    .option('--no-progress', 'never show the progress line')
    .option('--max-states <n>', 'stop after storing this many states (verdict incomplete, exit 3)', (v) => Number(v))
    .option('--max-seconds <s>', 'stop after this many seconds per spec (verdict incomplete, exit 3)', (v) => Number(v))
    .option('--param <NAME=VALUE>', 'override a param (repeatable)', collect, [])
    .option('--allow-import <dir>', "also allow imports from this folder, outside the spec's project root (repeatable)", collect, [])
    .option('--without <lock>', 'drop every acquisition and release of this lock class (repeatable)', collect, [])
    .option('--no-traces', 'print findings without their traces (text format)')
    .addOption(
      new Option('--dump <what>', 'print the compiled program (ir: every instruction with the state slots it reads and writes) instead of searching').choices([
        'ir',
      ]),
    )
    .option('--no-timings', 'leave out wall-clock figures (seconds, states/s): the same spec and options then give byte-identical reports')
    .option('--no-por', 'switch partial-order reduction off')
    .option('--no-symmetry', 'switch symmetry reduction (over copies of a thread) off')
    .option('--no-dead-vars', 'keep the values of dead thread-local variables (switch dead-variable reduction off)')
    .option('--interpret', 'run the reference interpreter instead of generated code (slower; for cross-checking)')
    .option('--exact', 'keep every state vector and compare vectors, not 64-bit fingerprints')
    .option('--bitstate <bits>', 'supertrace: visited states as bits in a table of 2^bits bits (10-32)')
    .option('--simulate <walks>', 'seeded random walks instead of an exhaustive search')
    .option('--seed <seed>', 'the seed of --simulate (default 0)')
    .option('--walk <k>', 'with --simulate: replay walk k only (from a reproduce line)')
    .option('--shard <i/n>', 'explore shard i of n of the search (merge the n results with lockcheck merge)')
    .option('--jobs <n>', 'split each search into n shards on n worker threads, and merge them; auto: one per core')
    .option('--max-memory <size>', 'stop when the process uses more memory than this, e.g. 1g (verdict incomplete, exit 3)')
    .addOption(
      new Option(
        '--strategy <s>',
        'bfs: breadth-first, shortest traces (default); dfs: depth-first; swarm: seeded random walks with random thread weights',
      ).choices([...STRATEGIES]),
    )
    .option('--max-depth <n>', 'explore at most this many steps deep (a search cut by it proves nothing: exit 3 unless it finds something)')
    .option('--walks <n>', `with --strategy swarm: the number of walks, spread over --jobs (default ${DEFAULT_SWARM_WALKS})`)
    .option('--replay <path>', 'run one trace from its path: line (e.g. 0.0:1.0:0.1) without searching, and report the finding at its end')
    .action(async (patterns: string[], o: CheckCliOptions, command: Command) => {
      const usage = (msg: string) => {
        io.err(`lockcheck: ${msg}\n`);
        code = 2;
      };
      for (const [flag, v] of [
        ['--max-states', o.maxStates],
        ['--max-seconds', o.maxSeconds],
      ] as const) {
        if (v !== undefined && !(Number.isFinite(v) && v > 0)) return usage(`${flag} expects a positive number`);
      }
      const params = parseParams(o.param);
      if (typeof params === 'string') return usage(params);
      const search = parseSearchFlags(o);
      if (typeof search === 'string') return usage(search);
      for (const w of search.warnings) io.err(`lockcheck: warning: ${w}\n`);
      const allowImport = parseAllowImport(o.allowImport);
      if (typeof allowImport === 'string') return usage(allowImport);
      const outputs = parseOutputs(o.output);
      if (typeof outputs === 'string') return usage(outputs);
      if (o.report) outputs.push({ format: 'html', file: o.report });
      const targets = checkOutputs(outputs, command.getOptionValueSource('format') === 'cli');
      if (typeof targets === 'string') return usage(targets);
      let baseline: ReturnType<typeof import('../../reports/baseline').parseBaseline> | undefined;
      if (o.baseline) {
        const input = readInput(o.baseline, MAX_RESULT_BYTES);
        if ('error' in input) return usage(`--baseline ${o.baseline}: ${input.error}`);
        const checked = lazy.resultInput().readResult(o.baseline, input.text);
        if (checked.diagnostics.length > 0) {
          io.err(checked.diagnostics.map(formatDiagnostic).join('\n') + '\n');
          code = 2;
          return;
        }
        baseline = lazy.baseline().parseBaseline(input.text);
        if (typeof baseline === 'string') return usage(`--baseline ${o.baseline}: ${baseline}`);
      }
      const files = await expandFiles(patterns);
      if (files.length === 0) return usage(`no spec matches ${patterns.map((p) => JSON.stringify(p)).join(' ')}`);
      // the names are read only when there are names to check: reading them parses every spec (and its models)
      // once more on the main thread, seconds for a spec of a few MiB; a signal meanwhile marks every spec
      // interrupted, as one during the search does
      const typo =
        Object.keys(params).length > 0 || o.without.length > 0
          ? await listening(onSignal, () => unknownName(knownNames(nodeHost, files), params, o.without))
          : undefined;
      if (typo) return usage(typo);
      if (o.dump === 'ir') {
        for (const f of files) {
          const display = path.relative(process.cwd(), f) || f;
          const front = lazy.pipeline().frontEnd(nodeHost, f, { params, without: o.without, allowImport });
          if (front.ir) io.out(lazy.dump().renderIr(front.ir));
          else {
            io.err(renderDiagnostics({ results: [errorResult(display, front.diagnostics)] }) + '\n');
            code = 2;
          }
        }
        return;
      }

      if (o.replay !== undefined) {
        // one path, no search: the options that shape a search do not apply
        if (o.strategy || search.options.simulate || search.options.shard || search.jobs > 1 || o.maxDepth)
          return usage('--replay runs one path: it excludes --strategy, --simulate, --shard, --jobs and --max-depth');
        let result: CheckResult = { results: [] };
        for (const f of files)
          result.results.push(lazy.pipeline().replayFile(nodeHost, f, { params, without: o.without, allowImport, ...search.options }, o.replay));
        if (!o.timings) result = withoutTimings(result);
        const diags = renderDiagnostics(result);
        if (diags) io.err(diags + '\n');
        const color = o.format === 'text' && useColor(env, io.outIsTTY === true);
        io.out(await reporter(o.format === 'json' ? 'json' : 'text').render(result, { traces: o.traces, color, sources: () => ({}) }));
        if (code === 0) code = exitCodeFor(result);
        return;
      }

      const stream = io.progressStream ?? process.stderr;
      const progress = new SearchProgress({ stream, tty: stream.isTTY === true, requested: o.progress, ci: inCi(env) });
      // A long search runs on a worker thread (check-runner.ts; with --jobs, on several), so that SIGINT is
      // heard during it: it stops it cleanly, with verdict incomplete and exit 3, and the specs after it at once.
      // SIGTERM, what CI runners and Kubernetes send before they kill, does the same: the reports still get written.
      const stop = new SharedArrayBuffer(4);
      const stopFlag = new Int32Array(stop);
      const onInterrupt = () => {
        onSignal();
        Atomics.store(stopFlag, 0, 1);
      };
      for (const s of SIGNALS) process.on(s, onInterrupt);
      if (interrupted) Atomics.store(stopFlag, 0, 1);
      const runner = search.jobs > 1 ? undefined : new (lazy.checkRunner().CheckRunner)(stop);
      let result: CheckResult = { results: [] };
      try {
        for (const f of files) {
          const display = path.relative(process.cwd(), f) || f;
          const onProgress = progress.begin(display);
          const options = { params, without: o.without, allowImport, maxStates: o.maxStates, maxSeconds: o.maxSeconds, ...search.options };
          const r = interrupted
            ? lazy.pipeline().checkFile(nodeHost, f, { ...options, shouldStop: () => true })
            : runner
              ? await runner.check(f, options, onProgress)
              : await lazy.parallel().checkFileParallel(f, display, options, search.jobs, stop, onProgress);
          progress.end(r.stats?.states, r.stats?.seconds);
          result.results.push(r);
        }
      } finally {
        progress.end();
        await runner?.close();
        for (const s of SIGNALS) process.removeListener(s, onInterrupt);
      }
      if (baseline && typeof baseline !== 'string') {
        const b = lazy.baseline().applyBaseline(result, baseline);
        result = b.result;
        const gone = b.absent > 0 ? `, ${b.absent} no longer found` : '';
        io.err(`lockcheck: baseline ${o.baseline}: ${b.known} known finding${b.known === 1 ? '' : 's'}, ${b.fresh} new${gone}\n`);
        // a pull request that renames or removes a spec must not break the gate: a note, not an error
        for (const f of b.unchecked) io.err(`lockcheck: note: baseline ${o.baseline} has findings of ${f}, which this run does not check\n`);
      }
      if (!o.timings) result = withoutTimings(result);
      const diags = renderDiagnostics(result);
      if (diags) io.err(diags + '\n');

      const version = toolVersion();
      const render = async (format: FileFormat, color: boolean): Promise<string> =>
        reporter(format).render(result, { traces: o.traces, color, toolVersion: version, sources: quotableSources });
      for (const out of outputs) {
        try {
          writeOutput(out.file, await render(out.format, false), io);
        } catch (e) {
          io.err(`lockcheck: cannot write ${out.file}: ${e instanceof Error ? e.message : String(e)}\n`);
          code = 2;
        }
      }
      if (!targets.toStdout) io.out(await render(o.format, o.format === 'text' && useColor(env, io.outIsTTY === true)));
      if (code === 0) code = exitCodeFor(result);
    });
  program
    .command('merge')
    .description('merge the --format json results of the shards of a split search (lockcheck check --shard i/n)')
    .argument('<result...>', 'JSON result files, one per shard')
    .addOption(new Option('--format <format>', 'output format on stdout').choices(['text', 'json']).default('text'))
    .action(async (files: string[], o: { format: string }) => {
      // every input is checked, and the shards against each other, before anything is merged
      const inputs: ResultInput[] = [];
      const problems: Diagnostic[] = [];
      for (const f of files) {
        const input = readInput(f, MAX_RESULT_BYTES);
        if ('error' in input) {
          io.err(`lockcheck: ${input.error}\n`);
          code = 2;
          return;
        }
        const r = lazy.resultInput().readResult(f, input.text);
        problems.push(...r.diagnostics);
        if (r.input) inputs.push(r.input);
      }
      if (problems.length === 0) problems.push(...lazy.resultInput().checkShards(inputs, currentSpecHash));
      if (problems.length > 0) {
        io.err(problems.map(formatDiagnostic).join('\n') + '\n');
        code = 2;
        return;
      }
      const merged = lazy.merge().mergeResults(inputs.map((i) => i.doc));
      const color = o.format === 'text' && useColor(env, io.outIsTTY === true);
      io.out(await reporter(o.format === 'json' ? 'json' : 'text').render(merged, { traces: false, color, sources: () => ({}) }));
      code = exitCodeFor(merged);
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
