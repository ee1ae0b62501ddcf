// JUnit XML reporter (--format junit), for CI systems that show test results: one <testsuite> per run, one
// <testcase> per spec, one <failure> per unexpected finding (and one per expected kind that was not found),
// an <error> for a bad spec or an incomplete search (a bound hit is never a pass). Expected findings are
// listed in <system-out>. Times are the measured search seconds; nothing else varies between runs.
import { expectationText, isUnexpected } from '../checker/analyse/expect';
import { formatDiagnostic } from '../checker/diagnostics/diagnostic';
import { CheckResult, Finding, SpecResult } from '../checker/result';
import { renderFinding } from './text';

export interface JunitOptions {
  /** the testsuite's name (default "lockcheck") */
  suiteName?: string;
}

/** XML 1.0 text: escapes markup and drops characters XML cannot carry. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const attrs = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

/** "specs/rtnl/x.json" -> classname "specs.rtnl", as JUnit viewers group test cases by package. */
function classname(file: string): string {
  const dir = file.replace(/\\/g, '/').split('/').slice(0, -1).join('.');
  return dir || 'specs';
}

function findingText(f: Finding): string {
  return renderFinding(f).join('\n');
}

interface Case {
  xml: string;
  failures: number;
  errors: number;
  seconds: number;
}

function testcase(r: SpecResult): Case {
  const seconds = r.stats?.seconds ?? 0;
  const head = `    <testcase${attrs({ classname: classname(r.file), name: r.file, time: seconds.toFixed(3) })}`;
  const body: string[] = [];
  let failures = 0;
  let errors = 0;
  if (r.verdict === 'error') {
    errors++;
    const text = r.diagnostics.map(formatDiagnostic).join('\n');
    body.push(
      `      <error${attrs({ type: 'bad-spec', message: `the spec has ${r.diagnostics.length} problem${r.diagnostics.length === 1 ? '' : 's'}` })}>${xmlEscape(text)}</error>`,
    );
  } else {
    if (r.verdict === 'incomplete') {
      errors++;
      body.push(`      <error${attrs({ type: 'incomplete', message: `search incomplete: ${r.incomplete ?? 'a bound was hit'}` })}/>`);
    }
    for (const f of r.findings.filter((x) => isUnexpected(r, x))) {
      failures++;
      body.push(`      <failure${attrs({ type: f.kind, message: `unexpected ${f.kind}: ${f.message}` })}>${xmlEscape(findingText(f))}</failure>`);
    }
    for (const k of r.missing) {
      failures++;
      body.push(`      <failure${attrs({ type: 'missing', message: `expected ${k}, but the search found none` })}/>`);
    }
    for (const e of r.unmatched ?? []) {
      failures++;
      body.push(`      <failure${attrs({ type: 'missing', message: `expected ${expectationText(e)}, but the search found none` })}/>`);
    }
    const expected = r.findings.filter((x) => !isUnexpected(r, x));
    if (expected.length)
      body.push(`      <system-out>${xmlEscape(expected.map((f) => `${f.known ? 'known' : 'expected'} ${f.kind}: ${f.message}`).join('\n'))}</system-out>`);
  }
  const xml = body.length ? `${head}>\n${body.join('\n')}\n    </testcase>` : `${head}/>`;
  // The suite's counts are of test cases (as JUnit's schema has them), not of <failure> elements.
  return { xml, failures: errors === 0 && failures > 0 ? 1 : 0, errors: errors > 0 ? 1 : 0, seconds };
}

export function renderJunit(result: CheckResult, opts: JunitOptions = {}): string {
  const cases = result.results.map(testcase);
  const sum = (k: 'failures' | 'errors' | 'seconds') => cases.reduce((a, c) => a + c[k], 0);
  const totals = { tests: cases.length, failures: sum('failures'), errors: sum('errors'), skipped: 0, time: sum('seconds').toFixed(3) };
  const name = opts.suiteName ?? 'lockcheck';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, ...totals })}>`,
    `  <testsuite${attrs({ name, ...totals })}>`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
