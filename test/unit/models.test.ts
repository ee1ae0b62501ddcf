// The model library: every procedure names the kernel code it models, and every procedure is exercised by
// at least one bundled spec (model procedures are checked where they are used).
import test from 'ava';
import fg from 'fast-glob';
import * as fs from 'fs';
import * as path from 'path';
import { frontEnd } from '../../checker/pipeline';
import { nodeHost } from '../../checker/spec/host';
import { ROOT } from '../helpers/cli';

const models = fg.sync('models/**/*.json', { cwd: ROOT }).sort();
const specs = fg.sync('specs/{rtnl,kernel,conformance}/**/*.json', { cwd: ROOT }).sort();

test('every model procedure says which kernel source it models, or what it is for', (t) => {
  for (const m of models) {
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, m), 'utf8'));
    for (const [name, p] of Object.entries(doc.procedures ?? {}) as [string, { source?: string; description?: string }][])
      t.true(!!(p.source || p.description), `${m}: ${name} has neither "source" nor "description"`);
  }
});

test('every model procedure is used by some spec', (t) => {
  const used = new Set<string>();
  for (const s of specs) {
    const { model, diagnostics } = frontEnd(nodeHost, path.join(ROOT, s));
    t.deepEqual(diagnostics, [], s);
    for (const th of model?.threads ?? []) for (const i of th.code) for (const f of i.frames) used.add(f);
  }
  for (const m of models) {
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, m), 'utf8'));
    for (const name of Object.keys(doc.procedures ?? {})) t.true(used.has(name), `${m}: ${name} is not used by any spec`);
  }
});
