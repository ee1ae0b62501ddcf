import { generateSpec } from './generator';
import * as fs from 'fs';
import * as path from 'path';
const [dir, n, seed] = process.argv.slice(2);
fs.mkdirSync(dir, { recursive: true });
for (let i = 0; i < Number(n); i++) fs.writeFileSync(path.join(dir, `g${i}.json`), JSON.stringify(generateSpec(`${seed}-${i}`), null, 1));
