// The README stays true (issue 13.7): its examples are literate. A fenced block line that starts with `$ ` is a
// command, run from the repository's root; the lines after it, up to the next command or the fence, are its
// output (stdout, then stderr), where a line `...` stands for any number of lines left out. A command may end
// with `# exit N`, the exit code it must give (0 otherwise). The command lists (blocks without `$`) are checked
// for drift too: every option they pass is one the CLI knows, every spec they name exists. The formats table
// lists exactly the reporters of the registry (reports/index.ts).
import test from 'ava';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers/cli';
import { FILE_FORMATS } from '../../reports/index';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

interface Block {
  /** the 1-based line of the opening fence */
  line: number;
  lang: string;
  lines: string[];
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  markdown.split('\n').forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!fence) {
      open?.lines.push(text);
      return;
    }
    if (open) {
      blocks.push(open);
      open = undefined;
    } else open = { line: i + 1, lang: fence[1], lines: [] };
  });
  return blocks;
}

interface Example {
  line: number;
  command: string;
  exit: number;
  output: string[];
}

function examples(blocks: Block[]): Example[] {
  const out: Example[] = [];
  for (const b of blocks) {
    let current: Example | undefined;
    b.lines.forEach((text, i) => {
      if (text.startsWith('$ ')) {
        const m = /^\$ (.*?)(?:\s+#\s*exit\s+(\d+))?\s*$/.exec(text)!;
        current = { line: b.line + 1 + i, command: m[1], exit: m[2] === undefined ? 0 : Number(m[2]), output: [] };
        out.push(current);
      } else current?.output.push(text);
    });
  }
  return out;
}

/** Does `actual` match `expected`, where an expected line `...` matches any run of lines (none included)? */
function matches(expected: string[], actual: string[]): boolean {
  const go = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '...') {
      for (let k = a; k <= actual.length; k++) if (go(e + 1, k)) return true;
      return false;
    }
    return a < actual.length && expected[e] === actual[a] && go(e + 1, a + 1);
  };
  return go(0, 0);
}

/** The output as lines, without the trailing empty line a final newline leaves. */
const asLines = (text: string) => {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

const blocks = fencedBlocks(README);
const runnable = examples(blocks);

test('the README has literate examples, and each names the lockcheck CLI', (t) => {
  t.true(runnable.length >= 5, `found ${runnable.length} examples`);
  for (const x of runnable) t.regex(x.command, /^node bin\/lockcheck\.js /, `README.md:${x.line}`);
});

for (const x of runnable) {
  test(`README.md:${x.line}: ${x.command}`, (t) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.CI; // the progress line is for CI logs, not for the terminal the README shows
    const r = spawnSync('bash', ['-c', x.command], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    const actual = [...asLines(r.stdout), ...asLines(r.stderr)];
    const expected = asLines(x.output.join('\n'));
    t.true(matches(expected, actual), `README.md:${x.line} shows\n${expected.join('\n')}\n\nthe CLI prints\n${actual.join('\n')}`);
    t.is(r.status, x.exit, `README.md:${x.line}: exit code`);
  });
}

test('the matcher: `...` stands for any run of lines, and nothing else is skipped', (t) => {
  t.true(matches(['a', '...', 'd'], ['a', 'b', 'c', 'd']));
  t.true(matches(['a', '...', 'b'], ['a', 'b']));
  t.false(matches(['a', 'd'], ['a', 'b', 'd']));
  t.false(matches(['a', '...'], ['b', 'c']));
  t.false(matches(['a'], ['a', 'b']));
});

test('the command lists of the README pass only options the CLI knows and name specs that exist', (t) => {
  const help = [[], ['check'], ['merge']]
    .map((c) => spawnSync(process.execPath, ['bin/lockcheck.js', ...c, '--help'], { cwd: ROOT, encoding: 'utf8' }).stdout)
    .join('\n');
  const known = new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
  t.true(known.has('--max-states') && known.has('--no-traces'), 'the help lists the options');
  let commands = 0;
  for (const b of blocks) {
    for (const text of b.lines) {
      const m = /(?:^|\s|\$ )node bin\/lockcheck\.js (.*)$/.exec(text.replace(/#.*$/, ''));
      if (!m) continue;
      commands++;
      for (const opt of m[1].matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)) t.true(known.has(opt[1]), `README.md:${b.line}: ${opt[1]} in "${text.trim()}"`);
      for (const spec of m[1].matchAll(/(?:^|\s)'?(specs\/[^\s'*{]+\.json)/g))
        t.true(fs.existsSync(path.join(ROOT, spec[1])), `README.md:${b.line}: ${spec[1]} does not exist`);
    }
  }
  t.true(commands >= 15, `found ${commands} commands`);
});

test("the README's formats table lists exactly the registry's reporters", (t) => {
  const section = README.slice(README.indexOf('| format | what |'));
  const rows = section.slice(0, section.indexOf('\n\n')).split('\n').slice(2);
  const names = rows.map((row) => /^\| `([a-z]+)`/.exec(row)?.[1]);
  t.deepEqual(names, [...FILE_FORMATS]);
});
