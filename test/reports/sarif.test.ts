// SARIF 2.1.0: validated by Microsoft's SARIF multitool (`sarif-multitool validate`, which checks the JSON
// schema and the SARIF rules), and its shape checked here: a result per finding, a rule per kind with help
// text, the location in the spec being checked (the innermost frame of the call chain there, the model
// frames as related locations), one threadFlow per thread with each step's call chain, expected findings
// suppressed.
import test from 'ava';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckResult } from '../../checker/result';
import { FINDING_KINDS } from '../../checker/spec/types';
import { renderSarif } from '../../reports/sarif';
import { lockcheck, ROOT } from '../helpers/cli';
import { fixture, FIXTURES } from './fixtures';

const MULTITOOL = path.join(ROOT, 'node_modules', '.bin', 'sarif-multitool');

interface Issue {
  level: string;
  ruleId: string;
  text: string;
}

/** Runs `sarif-multitool validate` once over several documents; returns what it reports, each result's level resolved. */
function validate(docs: Record<string, string>): { issues: Issue[]; stdout: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-sarif-'));
  const inputs = Object.entries(docs).map(([name, doc]) => {
    const f = path.join(dir, `${name}.sarif`);
    fs.writeFileSync(f, doc);
    return f;
  });
  const output = path.join(dir, 'validation.sarif.log');
  const r = spawnSync(MULTITOOL, ['validate', ...inputs, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !fs.existsSync(output)) throw new Error(`sarif-multitool failed (exit ${r.status}): ${r.stdout}\n${r.stderr}\n${r.error ?? ''}`);
  const log = JSON.parse(fs.readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as {
    runs: {
      tool: { driver: { rules?: { id: string; defaultConfiguration?: { level?: string } }[] } };
      results?: { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[];
    }[];
  };
  const run = log.runs[0];
  const ruleLevel = new Map((run.tool.driver.rules ?? []).map((x) => [x.id, x.defaultConfiguration?.level ?? 'warning']));
  const issues = (run.results ?? []).map((x) => ({
    level: x.level ?? ruleLevel.get(x.ruleId) ?? 'warning',
    ruleId: x.ruleId,
    text: x.message.text ?? (x.message.arguments ?? []).join(' | '),
  }));
  fs.rmSync(dir, { recursive: true, force: true });
  return { issues, stdout: r.stdout };
}

const errorsOf = (v: { issues: Issue[] }) => v.issues.filter((i) => i.level === 'error');

test('sarif-multitool validate: no errors in the frozen results, nor in the live CLI output over the showcase specs and a bad spec', (t) => {
  const docs: Record<string, string> = Object.fromEntries(FIXTURES.map((name) => [name, renderSarif(fixture(name), { toolVersion: '0.1.0' })]));
  const r = lockcheck([
    'check',
    '--format',
    'sarif',
    'specs/rtnl/exit-batch-dying-first.json',
    'specs/conformance/p07-abcabc-mutex.json',
    'specs/rtnl/nets-addr-any.json',
    'specs/invalid/LC3001-unknown-lock.json',
  ]);
  t.is(r.code, 2, 'the bad spec makes it exit 2');
  docs.live = r.stdout;
  const v = validate(docs);
  t.deepEqual(errorsOf(v), [], v.stdout);
  t.notRegex(v.stdout, /: error /);
  t.regex(v.stdout, new RegExp(`Done\\. ${Object.keys(docs).length} files scanned`), 'it read every file');
});

test('sarif-multitool validate: specs given by absolute and relative paths from another working directory', (t) => {
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-cwd-'));
  const spec = path.join(ROOT, 'specs', 'rtnl', 'nets-unsorted-after.json');
  const absolute = lockcheck(['check', '--format', 'sarif', spec], { cwd: elsewhere });
  const relative = lockcheck(['check', '--format', 'sarif', path.relative(elsewhere, spec)], { cwd: elsewhere });
  for (const r of [absolute, relative]) t.is(r.code, 0);
  const uris = (doc: string) => [...doc.matchAll(/"uri": "([^"]+)"/g)].map((m) => m[1]);
  t.true(
    uris(absolute.stdout).every((u) => u.startsWith('file:///')),
    'an absolute path is a file: URI of its own, not under %SRCROOT%',
  );
  // the deadlock is inside models/: its location is the spec's call that leads there, in both
  const primary = (doc: string) => (JSON.parse(doc) as SarifDoc).runs[0].results.find((x) => x.ruleId === 'deadlock')!.locations[0].physicalLocation;
  for (const doc of [absolute.stdout, relative.stdout]) {
    t.regex(primary(doc).artifactLocation.uri, /specs\/rtnl\/nets-unsorted-after\.json$/);
    t.is(primary(doc).region!.startLine, 62);
  }
  const v = validate({ absolute: absolute.stdout, relative: relative.stdout });
  t.deepEqual(errorsOf(v), [], v.stdout);
});

test('the validation can fail: a result without a message and a line 0 are errors', (t) => {
  const doc = JSON.parse(renderSarif(fixture('showcase')));
  delete doc.runs[0].results[0].message;
  doc.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
  const rules = errorsOf(validate({ broken: JSON.stringify(doc) })).map((i) => i.ruleId);
  t.true(rules.length >= 2, `errors: ${rules.join(', ')}`);
});

interface SarifStack {
  frames: { location: SarifLoc & { message: { text: string } } }[];
}
interface SarifLoc {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn: number } };
}
interface SarifDoc {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string; markdown: string }; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: SarifLoc[];
      relatedLocations?: (SarifLoc & { id: number; message: { text: string } })[];
      partialFingerprints: Record<string, string>;
      suppressions?: unknown[];
      codeFlows?: {
        threadFlows: {
          id: string;
          locations: {
            executionOrder: number;
            location: SarifLoc & { message: { text: string } };
            state?: Record<string, { text: string }>;
            stack?: SarifStack;
          }[];
        }[];
      }[];
    }[];
  }[];
}

test('a result per finding, ruleId = kind with a rule (and help text) per kind, locations in the spec files', (t) => {
  const result: CheckResult = fixture('showcase');
  const doc = JSON.parse(renderSarif(result)) as SarifDoc;
  t.is(doc.version, '2.1.0');
  const run = doc.runs[0];
  t.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    [...FINDING_KINDS],
  );
  for (const rule of run.tool.driver.rules) {
    t.true(rule.help.text.length > 80, `${rule.id} has help text`);
    t.true(rule.shortDescription.text.length > 10);
  }
  const findings = result.results.flatMap((r) => r.findings.map((f) => ({ r, f })));
  t.is(run.results.length, findings.length);
  let inModels = 0;
  run.results.forEach((res, k) => {
    const { r, f } = findings[k];
    t.is(res.ruleId, f.kind);
    t.is(run.tool.driver.rules[res.ruleIndex].id, f.kind);
    t.is(res.message.text, f.message);
    // the innermost frame in the spec being checked: the file a pull request changes
    const k0 = f.stack ? f.stack.map((fr) => fr.src.file).lastIndexOf(r.file) : -1;
    const at = k0 >= 0 ? f.stack![k0].src : f.location!;
    const pl = res.locations[0].physicalLocation;
    t.is(pl.artifactLocation.uri, at.file);
    t.deepEqual(pl.region, { startLine: at.line, startColumn: at.col });
    if (k0 >= 0) t.is(at.file, r.file);
    // the frames below it (in the models), innermost first, as related locations
    const below = k0 >= 0 ? f.stack!.slice(k0 + 1).reverse() : [];
    if (below.length) {
      inModels++;
      t.deepEqual(
        res.relatedLocations!.map((l) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region!.startLine}`),
        below.map((fr) => `${fr.src.file}:${fr.src.line}`),
      );
      t.regex(res.relatedLocations![0].message.text, new RegExp(`^${f.kind} here, in ${below[0].name}$`));
    }
    t.regex(res.partialFingerprints['lockcheck/v1'], /^[0-9a-f]{16}$/);
  });
  t.true(inModels > 0, 'some finding of the showcase is inside a model procedure');
});

test('codeFlows: one threadFlow per thread, steps in interleaving order, blocked threads last', (t) => {
  const result = fixture('showcase');
  const doc = JSON.parse(renderSarif(result)) as SarifDoc;
  const deadlock = result.results[0].findings.find((f) => f.kind === 'deadlock')!;
  const res = doc.runs[0].results.find((r) => r.ruleId === 'deadlock')!;
  const flow = res.codeFlows![0];
  const threads = [...new Set([...deadlock.trace!.steps.map((s) => s.thread), ...deadlock.trace!.blocked!.map((b) => b.thread)])];
  t.deepEqual(flow.threadFlows.map((tf) => tf.id).sort(), [...threads].sort());
  const orders = flow.threadFlows.flatMap((tf) => tf.locations.map((l) => l.executionOrder)).sort((a, b) => a - b);
  const n = deadlock.trace!.steps.length;
  t.deepEqual(
    orders.filter((o) => o <= n),
    deadlock.trace!.steps.map((s) => s.step),
    'every step once, in its thread',
  );
  t.is(orders.filter((o) => o === n + 1).length, deadlock.trace!.blocked!.length, 'a blocked location per blocked thread');
  for (const tf of flow.threadFlows) {
    const last = tf.locations[tf.locations.length - 1];
    t.regex(last.location.message.text, /^blocked: /, `${tf.id} ends blocked`);
  }
  // Each step inside a procedure carries its call chain as a stack, innermost frame first.
  const stepsWithStack = deadlock.trace!.steps.filter((s) => (s.stack?.length ?? 0) > 1);
  t.true(stepsWithStack.length > 0);
  const byOrder = new Map(flow.threadFlows.flatMap((tf) => tf.locations.map((l) => [l.executionOrder, l] as const)));
  for (const s of stepsWithStack)
    t.deepEqual(
      byOrder.get(s.step)!.stack!.frames.map((fr) => `${fr.location.message.text} ${fr.location.physicalLocation.region!.startLine}`),
      [...s.stack!].reverse().map((fr) => `${fr.name} ${fr.src.line}`),
    );
  // A lock-order cycle has a codeFlow per edge.
  const cycle = doc.runs[0].results.find((r) => r.ruleId === 'lock-order-cycle')!;
  t.is(cycle.codeFlows!.length, 3);
});

test('expected findings are notes suppressed in source; unexpected ones are errors', (t) => {
  const doc = JSON.parse(renderSarif(fixture('mixed'))) as SarifDoc;
  const [deadlock, recursive] = doc.runs[0].results;
  t.is(deadlock.ruleId, 'deadlock');
  t.is(deadlock.level, 'error');
  t.is(deadlock.suppressions, undefined);
  t.is(recursive.level, 'note');
  t.is(recursive.suppressions?.length, 1);
});

test('a TOCTOU window marks its three steps in the thread flows', (t) => {
  const doc = JSON.parse(renderSarif(fixture('toctou'))) as SarifDoc;
  const texts = doc.runs[0].results[0].codeFlows![0].threadFlows.flatMap((tf) => tf.locations.map((l) => [l.executionOrder, l.location.message.text] as const));
  const marked = texts.filter(([, s]) => /\[TOCTOU /.test(s)).map(([o, s]) => `${o}:${/\[TOCTOU (\w+)\]/.exec(s)![1]}`);
  t.deepEqual(marked.sort(), ['2:check', '5:write', '8:use']);
});
