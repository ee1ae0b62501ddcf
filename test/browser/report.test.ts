// The HTML report in a real browser: Debian's chromium, driven by playwright-core, opens the report made by
// the CLI, steps through each deadlock with the keyboard, the buttons and clicks, and checks what the page
// shows against the JSON result of the same run: the selected step's source line and the locks every thread
// holds, the blocked threads, the wait-for cycle and the lock-order cycle highlighted (in red, as rendered),
// the TOCTOU window's three steps, each step's call chain (a frame per line with its position) and its
// variables panel (every shared var and thread local with its value after the step, the changed ones
// highlighted, as the JSON's changes say). It also checks the page fetches nothing and logs no error.
// Without /usr/bin/chromium the tests are skipped with a message, except under CI=true, where they fail.
// The callbacks given to evaluate() and evaluateAll() run in the page: the DOM library types them (and
// playwright-core's Element-typed signatures). tsconfig.json (the engine's build) stays without it.
/// <reference lib="dom" />
import test, { ExecutionContext } from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { CheckResult, Finding, SpecResult, TraceStep, Value, VarChange, VarValue } from '../../checker/result';
import { toctouWindow } from '../../checker/facts';
import { graphvizLayout } from '../../reports/html/graphs';
import { renderHtml } from '../../reports/html/index';
import { lockcheck, ROOT } from '../helpers/cli';
import { fixture, fixtureSources } from '../reports/fixtures';

// LOCKCHECK_CHROMIUM points elsewhere (e.g. to try the skip path); CI and .ci/run use Debian's.
const CHROMIUM = process.env.LOCKCHECK_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const haveChromium = fs.existsSync(CHROMIUM);
const SPECS = [
  'specs/rtnl/exit-batch-dying-first.json',
  'specs/conformance/p07-abcabc-mutex.json',
  'specs/rtnl/nets-addr-any.json',
  'specs/kernel/macvlan-unregister-lock-upper.json',
].filter((f) => fs.existsSync(path.join(ROOT, f)));
const RED = 'rgb(193, 18, 31)';

const browserTest = haveChromium || inCi ? test.serial : test.skip;
if (!haveChromium && !inCi) {
  test.skip(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it, and under CI=true these tests run)`, () => {});
}

let context: BrowserContext | undefined;
let userDataDir = '';
let result: CheckResult;
let reportUrl = '';
let toctouUrl = '';
const problems: string[] = [];

async function openPage(url: string): Promise<Page> {
  if (!context) throw new Error(`chromium did not start (${CHROMIUM} ${haveChromium ? 'exists' : 'is missing'})`);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${url}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${url}: page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`${url}: requested ${r.url()}`);
  });
  await page.goto(url);
  return page;
}

test.before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-browser-'));
  const report = path.join(dir, 'report.html');
  const r = lockcheck(['check', '--format', 'json', '--report', report, ...SPECS]);
  if (r.code !== 0) throw new Error(`lockcheck exited ${r.code}: ${r.stderr}`);
  result = JSON.parse(r.stdout) as CheckResult;
  reportUrl = `file://${report}`;
  const toctou = path.join(dir, 'toctou.html');
  fs.writeFileSync(toctou, renderHtml(fixture('toctou'), { layout: await graphvizLayout(), sources: fixtureSources() }));
  toctouUrl = `file://${toctou}`;
  if (!haveChromium && !inCi) return;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
  });
});

test.after.always(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

/** The article of a spec's finding of a kind. */
const findingSel = (file: string, kind: string) => `section.spec[data-file="${file}"] article.finding[data-kind="${kind}"]`;

interface Shown {
  pos: number;
  selectedRows: number[];
  visiblePanels: number;
  title: string;
  caption: string;
  hereLine: string;
  held: Record<string, string[]>;
  blocked: string[];
  vars: { label: string; value: string; changed: boolean; background: string }[];
  stack: string[];
}

/** What the trace viewer of a finding shows now. */
async function shown(page: Page, sel: string): Promise<Shown> {
  return page
    .locator(`${sel} section.trace`)
    .first()
    .evaluate((tr) => {
      const panels = [...tr.querySelectorAll<HTMLElement>('.step-detail')].filter((p) => !p.hidden && p.offsetParent !== null);
      const panel = panels[0];
      const held: Record<string, string[]> = {};
      for (const row of panel?.querySelectorAll('table.held-now tr') ?? []) {
        held[row.getAttribute('data-thread') ?? ''] = [...row.querySelectorAll('.lock')].map((l) => l.textContent ?? '');
      }
      return {
        pos: Number(tr.getAttribute('data-current')),
        selectedRows: [...tr.querySelectorAll('tr.selected')].map((r) => Number(r.getAttribute('data-pos'))),
        visiblePanels: panels.length,
        title: panel?.querySelector('h5')?.textContent ?? '',
        caption: panel?.querySelector('figure.source figcaption')?.textContent ?? '',
        hereLine: (panel?.querySelector('.ln.here')?.textContent ?? '').replace(/^\s*\d+ > /, ''),
        held,
        blocked: [...(panel?.querySelectorAll('ul.blocked-list li') ?? [])].map((li) => li.textContent ?? ''),
        vars: [...(panel?.querySelectorAll('table.vars-now tr.var') ?? [])].map((row) => ({
          label: (row.querySelector('th')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          value: (row.querySelector('td')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          changed: row.classList.contains('changed'),
          background: getComputedStyle(row.querySelector('td')!).backgroundColor,
        })),
        stack: [...(panel?.querySelectorAll('ol.stack li') ?? [])].map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()),
      };
    });
}

function specLine(file: string, line: number): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')[line - 1];
}

const showValue = (v: Value) => (Array.isArray(v) ? `{${v.join(', ')}}` : String(v));
const change = (c: VarChange) =>
  (c.param ? '= ' : '') +
  (c.from === undefined || (c.param && showValue(c.from) === showValue(c.to)) ? showValue(c.to) : `${showValue(c.from)} → ${showValue(c.to)}`);

/**
 * What the variables panel must say after each of `steps`, replayed from the JSON alone: every shared var
 * and thread local with its value (a changed one as "old → new"), then the procedure locals the step wrote.
 */
function expectedVars(initial: VarValue[], steps: TraceStep[]): { label: string; value: string; changed: boolean }[][] {
  const key = (thread: string | undefined, name: string) => `${thread ?? ''}|${name}`;
  const values = new Map(initial.map((v) => [key(v.thread, v.var), { ...v }]));
  return steps.map((s) => {
    const own = new Map((s.changes ?? []).filter((c) => c.frame === undefined).map((c) => [key(c.thread, c.var), c]));
    for (const [k, c] of own) values.get(k)!.value = c.to;
    const rows = [...values.values()].map((v) => {
      const c = own.get(key(v.thread, v.var));
      return { label: v.thread === undefined ? v.var : `${v.thread} ${v.var}`, value: c ? change(c) : showValue(v.value), changed: !!c };
    });
    for (const c of (s.changes ?? []).filter((x) => x.frame !== undefined))
      rows.push({ label: `${c.thread} ${c.frame} ${c.var}`, value: change(c), changed: true });
    return rows;
  });
}

/** What the held-locks table must say after a step: every lane, its locks or none. */
function expectedHeld(f: Finding, held: Record<string, string[]>, shownThreads: string[]): Record<string, string[]> {
  return Object.fromEntries(shownThreads.map((th) => [th, held[th] ?? []]));
}

async function followDeadlock(t: ExecutionContext, page: Page, r: SpecResult) {
  const f = r.findings.find((x) => x.kind === 'deadlock')!;
  const trace = f.trace!;
  const sel = findingSel(r.file, 'deadlock');
  // the threads' leading local statements (step 0) come first, then the steps
  const setup = trace.setup ?? [];
  const all = [...setup, ...trace.steps];
  const steps = trace.steps;
  const total = all.length + 1;
  const vars = expectedVars(trace.initial ?? [], all);

  let s = await shown(page, sel);
  t.is(s.pos, 1, `${r.file}: the first step is selected at first`);
  t.deepEqual(s.selectedRows, [1]);
  const lanes = Object.keys(s.held);
  t.true(lanes.length >= 2, 'a lane per thread');

  // Keyboard: focus the trace and walk every step with the right arrow.
  await page.locator(`${sel} section.trace h4`).first().click();
  await page.keyboard.press('Home');
  for (let k = 0; k < all.length; k++) {
    if (k > 0) await page.keyboard.press('ArrowRight');
    s = await shown(page, sel);
    const st = all[k];
    t.is(s.pos, k + 1);
    t.deepEqual(s.selectedRows, [k + 1], 'exactly one row selected');
    t.is(s.visiblePanels, 1, 'exactly one step panel shown');
    t.true(s.title.startsWith(st.step === 0 ? `Before the first step: ${st.thread}` : `Step ${st.step} of ${steps.length}: ${st.thread}`), s.title);
    t.is(s.caption, `${st.src.file}:${st.src.line}:${st.src.col}`);
    t.is(s.hereLine, specLine(st.src.file, st.src.line), 'the step shows its source line');
    t.deepEqual(s.held, expectedHeld(f, st.held, lanes), `${r.file} step ${st.step}: the locks each thread holds`);
    // its call chain, outermost first, a frame per line with its file:line:col
    const chain = st.stack && st.stack.length > 1 ? st.stack.map((fr) => `${fr.name} ${fr.src.file}:${fr.src.line}:${fr.src.col}`) : [];
    t.deepEqual(s.stack, chain, `${r.file} step ${st.step}: the call chain`);
    // the variables panel agrees with the JSON, changed values marked and highlighted
    t.deepEqual(
      s.vars.map(({ label, value, changed }) => ({ label, value, changed })),
      vars[k],
      `${r.file} step ${st.step}: the variables`,
    );
    for (const v of s.vars) seenVars.push(v);
  }
  // The end: who is blocked on what.
  await page.keyboard.press('ArrowRight');
  s = await shown(page, sel);
  t.is(s.pos, total);
  t.regex(s.title, /^End: deadlock/);
  t.deepEqual(s.held, expectedHeld(f, steps[steps.length - 1].held, lanes));
  t.is(s.blocked.length, trace.blocked!.length);
  for (const [i, b] of trace.blocked!.entries()) t.true(s.blocked[i].startsWith(`${b.thread} waits for ${b.waitsFor}`), s.blocked[i]);
  await page.keyboard.press('ArrowRight');
  t.is((await shown(page, sel)).pos, total, 'stepping stops at the end');

  // The end row marks every blocked thread, and the cycle's members.
  const cycle = f.facts.threads;
  const endRow = page.locator(`${sel} section.trace tr.end`).first();
  t.is(await endRow.locator('td.blocked').count(), trace.blocked!.length);
  t.deepEqual((await endRow.locator('td.blocked.in-cycle').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-thread')))).sort(), [...cycle].sort());

  // Buttons and clicks.
  await page.locator(`${sel} button[data-act="first"]`).first().click();
  t.is((await shown(page, sel)).pos, 1);
  await page.locator(`${sel} button[data-act="next"]`).first().click();
  t.is((await shown(page, sel)).pos, 2);
  const target = Math.min(3, all.length);
  await page.locator(`${sel} section.trace tr[data-pos="${target}"] td.n`).first().click();
  s = await shown(page, sel);
  t.is(s.pos, target);
  t.deepEqual(s.held, expectedHeld(f, all[target - 1].held, lanes));
  await page.locator(`${sel} ol.story a.step-link[data-step="end"]`).first().click();
  t.is((await shown(page, sel)).pos, total, 'the story links to the end state');
  await page.keyboard.press('k');
  t.is((await shown(page, sel)).pos, total - 1, 'k steps back');

  // The wait-for graph: the cycle's edges and nodes in red, the rest not.
  const graph = page.locator(`${sel} figure.wait-for svg`);
  const hot = await graph.locator('g.edge.cycle').evaluateAll((gs) => gs.map((g) => ({ id: g.id, stroke: getComputedStyle(g.querySelector('path')!).stroke })));
  t.is(hot.length, 2 * cycle.length, 'waits-for and held-by edge per cycle member');
  for (const e of hot) t.is(e.stroke, RED, e.id);
  const cold = await graph.locator('g.edge:not(.cycle)').evaluateAll((gs) => gs.map((g) => getComputedStyle(g.querySelector('path')!).stroke));
  for (const c of cold) t.not(c, RED);
  const hotThreads = await graph.locator('g.node.cycle title').allTextContents();
  for (const th of cycle) t.true(hotThreads.includes(`thread:${th}`), `${th} highlighted`);
}

/** Every variables-panel row seen while following the deadlocks. */
const seenVars: Shown['vars'] = [];

browserTest('the deadlocks of the showcase specs (and of the macvlan spec) can be followed step by step', async (t) => {
  const page = await openPage(reportUrl);
  const summaryRows = await page.locator('table.summary.specs tbody tr').count();
  t.is(summaryRows, result.results.length, 'a summary row per spec');
  const findingRows = await page.locator('table.summary.findings tbody tr').count();
  t.is(
    findingRows,
    result.results.reduce((n, r) => n + r.findings.length, 0),
    'and one per finding',
  );
  for (const r of result.results) if (r.findings.some((f) => f.kind === 'deadlock')) await followDeadlock(t, page, r);
  // the panels are not vacuous: shared vars, thread locals and procedure locals were shown, and a changed
  // value stands out from the unchanged ones
  const changed = seenVars.filter((v) => v.changed);
  const unchanged = seenVars.filter((v) => !v.changed);
  t.true(changed.length > 0 && unchanged.length > 0, `${changed.length} changed and ${unchanged.length} unchanged rows`);
  t.true(
    changed.some((v) => / → /.test(v.value)),
    'some change shows old → new',
  );
  const plain = new Set(unchanged.map((v) => v.background));
  for (const v of changed) t.false(plain.has(v.background), `${v.label}: highlighted (${v.background})`);
  await page.close();
  t.deepEqual(problems, []);
});

browserTest('the lock-order graph highlights the cycle of the 3-lock spec', async (t) => {
  const page = await openPage(reportUrl);
  const r = result.results.find((x) => x.file === 'specs/conformance/p07-abcabc-mutex.json')!;
  const cyc = r.findings.find((f) => f.kind === 'lock-order-cycle')!;
  const classes = cyc.facts.classes;
  const g = page.locator(`section.spec[data-file="${r.file}"] figure.lock-order svg`);
  const hot = await g
    .locator('g.edge.cycle')
    .evaluateAll((gs) => gs.map((e) => ({ title: e.querySelector('title')?.textContent ?? '', stroke: getComputedStyle(e.querySelector('path')!).stroke })));
  const want = classes.map((c, i) => `${c}->${classes[(i + 1) % classes.length]}`).sort();
  t.deepEqual(hot.map((e) => e.title).sort(), want);
  for (const e of hot) t.is(e.stroke, RED);
  t.is(await g.locator('g.node.cycle').count(), classes.length);
  // Its chains step too.
  const chain = page.locator(`section.spec[data-file="${r.file}"] article.finding[data-kind="lock-order-cycle"] section.trace`).first();
  await chain.locator('h4').click();
  await page.keyboard.press('End');
  t.is(await chain.getAttribute('data-current'), String(cyc.chains![0].trace.steps.length));
  await page.close();
  t.deepEqual(problems, []);
});

browserTest('a TOCTOU window: the check, write and use steps are marked, and stepping reaches them', async (t) => {
  const page = await openPage(toctouUrl);
  const f = fixture('toctou').results[0].findings[0];
  const w = toctouWindow(f)!;
  const sel = findingSel(fixture('toctou').results[0].file, 'toctou');
  for (const [k, n] of Object.entries(w)) {
    const rows = await page.locator(`${sel} tr.win-${k}`).evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-step'))));
    t.deepEqual(rows, [n], k);
  }
  t.is(await page.locator(`${sel} tr.in-window`).count(), w.use - w.check - 1, 'the rows inside the window');
  await page.locator(`${sel} section.trace h4`).click();
  await page.keyboard.press('Home');
  for (let k = 1; k < w.write; k++) await page.keyboard.press('j');
  const s = await shown(page, sel);
  t.is(s.pos, w.write);
  t.regex(await page.locator(`${sel} .step-detail:not([hidden]) .win-line`).innerText(), /② write/);
  t.deepEqual(s.held, { reader: [], writer: ['g'] });
  await page.close();
  t.deepEqual(problems, []);
});
