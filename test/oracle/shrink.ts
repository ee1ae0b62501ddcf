// Shrinks a disagreeing spec by hand-free delta steps: removes statements, threads, shorthand steps, optional
// members, while lockcheck (in the given mode) and the oracle keep disagreeing in the same way.
//   npx ts-node --transpile-only test/oracle/shrink.ts SPEC.json [MODE] [OUT.json]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MODES, compare, parseLc, ROOT } from './harness';
import { runOracle } from './oracle';

const [file, modeName = 'default', outFile] = process.argv.slice(2);
const mode = MODES.find((m) => m.name === modeName)!;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-shrink-'));

function verdictOf(spec: any): string | null {
  const f = path.join(tmp, 'c.json');
  fs.writeFileSync(f, JSON.stringify(spec));
  const o = runOracle(f, 20000);
  if (o.error || !o.complete) return null;
  let out: string;
  try {
    const cli = (args: string[]): string => {
      try {
        return execFileSync('node', [path.join(ROOT, 'bin/lockcheck.js'), ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      } catch (e: any) {
        if (e.status === 1 || e.status === 3) return e.stdout.toString();
        throw e;
      }
    };
    if (mode.shards) {
      const parts: string[] = [];
      for (let i = 0; i < mode.shards; i++) {
        const pf = path.join(tmp, `shard-${i}.json`);
        fs.writeFileSync(pf, cli(['check', '--format', 'json', '--no-timings', '--shard', `${i}/${mode.shards}`, 'c.json']));
        parts.push(pf);
      }
      out = cli(['merge', '--format', 'json', ...parts]);
    } else out = cli(['check', '--format', 'json', '--no-timings', ...mode.args, 'c.json']);
  } catch {
    return null;
  }
  const lc = parseLc(out).get('c.json');
  if (!lc || lc.verdict === 'error') return null;
  const why = compare(mode, o, lc);
  return why ? why.replace(/oracle [0-9]+ lockcheck [0-9]+/, 'LEN') : null;
}

function candidates(spec: any): any[] {
  const out: any[] = [];
  const walk = (node: any, pathTo: (string | number)[]) => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const c = JSON.parse(JSON.stringify(spec));
        let p: any = c;
        for (const k of pathTo) p = p[k];
        p.splice(i, 1);
        out.push(c);
      }
      node.forEach((x, i) => walk(x, [...pathTo, i]));
    } else if (node && typeof node === 'object') {
      for (const k of Object.keys(node)) {
        if (
          [
            'final',
            'else',
            'note',
            'message',
            'description',
            'count',
            'init',
            'guard',
            'subclass',
            'nest_lock',
            'read',
            'into',
            'cmp',
            'attrs',
            'params',
            'works',
            'notifiers',
          ].includes(k) ||
          (pathTo.length <= 1 && ['vars', 'procedures'].includes(k))
        ) {
          const c = JSON.parse(JSON.stringify(spec));
          let p: any = c;
          for (const kk of pathTo) p = p[kk];
          delete p[k];
          out.push(c);
        }
        if (k === 'seq' && typeof node[k] === 'string') {
          const steps = node[k].split(/\s+/);
          for (let i = 0; i < steps.length; i++) {
            const c = JSON.parse(JSON.stringify(spec));
            let p: any = c;
            for (const kk of pathTo) p = p[kk];
            const s2 = steps.filter((_: string, j: number) => j !== i);
            if (!s2.length) continue;
            p[k] = s2.join(' ');
            out.push(c);
          }
        }
        if (k === 'then' && Array.isArray(node[k])) {
          // replace the if by its then branch
          // handled through array removal of the if itself
        }
        walk(node[k], [...pathTo, k]);
      }
    }
  };
  walk(spec, []);
  return out;
}

let spec = JSON.parse(fs.readFileSync(file, 'utf8'));
const target = verdictOf(spec);
if (!target) {
  console.error('does not disagree in mode ' + modeName);
  process.exit(1);
}
console.error('disagreement:', target);
let progress = true;
while (progress) {
  progress = false;
  for (const c of candidates(spec)) {
    if (JSON.stringify(c).length >= JSON.stringify(spec).length) continue;
    if (verdictOf(c) === target) {
      spec = c;
      progress = true;
      break;
    }
  }
}
const text = JSON.stringify(spec, null, 1) + '\n';
if (outFile) fs.writeFileSync(outFile, text);
else process.stdout.write(text);
fs.rmSync(tmp, { recursive: true, force: true });
