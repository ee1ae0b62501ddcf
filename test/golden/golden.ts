// The golden-file check shared by the golden tests: compare with test/golden/expected/NAME, or accept the new
// output with UPDATE_GOLDEN=1. Line endings are normalised, so a checkout with CRLF still compares equal.
import * as fs from 'fs';
import * as path from 'path';

export interface GoldenT {
  is: (a: string, b: string, m?: string) => void;
  pass: (m?: string) => void;
}

export function golden(t: GoldenT, name: string, actual: string) {
  const file = path.join(__dirname, 'expected', name);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    t.pass('accepted');
    return;
  }
  t.is(actual, fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'), `${name} differs; accept with UPDATE_GOLDEN=1 if intended`);
}
