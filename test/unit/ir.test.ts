// The compiler's output is a data IR: plain objects with no closures anywhere, which the link step alone
// turns into what the explorer runs. So the IR survives a JSON round trip, and linking the copy explores the
// same state space as linking the original.
import test from 'ava';
import fg from 'fast-glob';
import * as path from 'path';
import { frontEnd } from '../../checker/pipeline';
import { nodeHost } from '../../checker/spec/host';
import { explore } from '../../checker/explore/explore';
import { IrModel } from '../../checker/model/ir';
import { link } from '../../checker/model/link';

const ROOT = path.join(__dirname, '..', '..');
const specs = fg.sync('specs/!(invalid|schema)/**/*.json', { cwd: ROOT }).sort();

/** Paths (e.g. threads.0.code.3.cond) of every function inside a value. */
function functionsIn(x: unknown, at = '', seen = new Set<unknown>()): string[] {
  if (typeof x === 'function') return [at];
  if (x === null || typeof x !== 'object' || seen.has(x)) return [];
  seen.add(x);
  return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) => functionsIn(v, at ? `${at}.${k}` : k, seen));
}

test('the IR of every bundled spec holds no closure', (t) => {
  t.true(specs.length > 100);
  let linkedClosures = 0;
  for (const file of specs) {
    const front = frontEnd(nodeHost, path.join(ROOT, file));
    t.truthy(front.ir, file);
    t.deepEqual(functionsIn(front.ir).slice(0, 3), [], file);
    linkedClosures += functionsIn(front.model).length;
  }
  t.true(linkedClosures > 1000, 'the linked models run closures (so the walk would see them)');
});

test('linking a JSON copy of the IR explores exactly what linking the IR does', (t) => {
  for (const file of specs.filter((f) => /regress|kernel|rtnl\/nets-unsorted-after|selftest\/.*(ww|srcu|rcu)/.test(f))) {
    const front = frontEnd(nodeHost, path.join(ROOT, file));
    const copy = JSON.parse(JSON.stringify(front.ir)) as IrModel;
    // copies of a thread share one program by identity, which a JSON copy does not keep: compare without symmetry
    const options = { symmetry: false, maxStates: 200_000 };
    const a = explore(link(front.ir!), options);
    const b = explore(link(copy), options);
    t.is(b.store.count, a.store.count, file);
    t.is(b.transitions, a.transitions, file);
    t.is(b.deadlocks.length, a.deadlocks.length, file);
    t.is(b.events.length, a.events.length, file);
  }
});
