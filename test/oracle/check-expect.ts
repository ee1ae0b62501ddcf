import { runOracle } from './oracle';
import * as fs from 'fs';
const files = process.argv.slice(2);
for (const f of files) {
  const exp = JSON.parse(fs.readFileSync(f, 'utf8')).expect?.findings ?? [];
  const r = runOracle(f);
  const got = Object.keys(r.kinds).sort();
  const ok = JSON.stringify(got) === JSON.stringify([...exp].sort());
  console.log(ok ? 'OK ' : 'BAD', f, JSON.stringify(r.kinds), 'exp', exp.join(','), r.states, r.error ?? '');
}
