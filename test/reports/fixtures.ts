// The frozen CheckResults the reporter tests read (made by make-fixtures.ts), and the source files they quote.
import * as fs from 'fs';
import * as path from 'path';
import { CheckResult } from '../../checker/result';
import { Sources } from '../../reports/html/sources';

export const FIXTURES = ['showcase', 'mixed', 'toctou'] as const;
export type FixtureName = (typeof FIXTURES)[number];

const dir = path.join(__dirname, 'fixtures');

/** A fresh copy each time: reporters must not mutate, and tests may. */
export function fixture(name: FixtureName): CheckResult {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.result.json`), 'utf8')) as CheckResult;
}

export function fixtureSources(): Sources {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'sources.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(raw).map(([f, text]) => [f, text.split('\n')]));
}
