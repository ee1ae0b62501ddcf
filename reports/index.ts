// The reporters, in one registry: the CLI's --format and --output, the determinism and start-up tests and the
// README's formats table (test/cli/readme-examples.test.ts checks it) all read this list, so a format is added
// in one place. Each reporter module is loaded when its format is asked for: a plain check loads text only.
import type { CheckResult } from '../checker/result';
import type { Sources } from './html/sources';
import { renderText } from './text';

/* eslint-disable @typescript-eslint/no-require-imports */

/** What a render may need beyond the result; reporters ignore what they do not use. */
export interface RenderContext {
  /** text: print each finding's traces */
  traces: boolean;
  /** text: ANSI colour */
  color: boolean;
  /** sarif: the tool version it names */
  toolVersion?: string;
  /** html: the spec and model lines it may quote */
  sources: (result: CheckResult) => Sources;
}

export interface Reporter {
  name: string;
  /** the usual file name ending, for --output FORMAT=FILE */
  extension: string;
  /** one line: what the format is for */
  description: string;
  /** --format can print it on stdout (html is written to a file: --report, --output html=FILE) */
  stdout: boolean;
  /** a module path under dist/ that only this format loads (the start-up test checks it stays unloaded) */
  module?: string;
  render(result: CheckResult, ctx: RenderContext): string | Promise<string>;
}

export const REPORTERS = [
  {
    name: 'text',
    extension: '.txt',
    description: "lockdep's words and each trace as a table (the default)",
    stdout: true,
    render: (r, c) => renderText(r, { traces: c.traces, color: c.color }),
  },
  {
    name: 'json',
    extension: '.json',
    description: 'the canonical result; what --baseline and lockcheck merge read',
    stdout: true,
    module: 'dist/reports/json.js',
    render: (r) => (require('./json') as typeof import('./json')).renderJson(r),
  },
  {
    name: 'sarif',
    extension: '.sarif',
    description: 'SARIF 2.1.0 for GitHub code scanning',
    stdout: true,
    module: 'dist/reports/sarif.js',
    render: (r, c) => (require('./sarif') as typeof import('./sarif')).renderSarif(r, { toolVersion: c.toolVersion }),
  },
  {
    name: 'junit',
    extension: '.xml',
    description: 'JUnit XML: a test case per spec',
    stdout: true,
    module: 'dist/reports/junit.js',
    render: (r) => (require('./junit') as typeof import('./junit')).renderJunit(r),
  },
  {
    name: 'itf',
    extension: '.itf.json',
    description: 'traces in the Informal Trace Format of Apalache and Quint',
    stdout: true,
    module: 'dist/reports/itf.js',
    render: (r) => (require('./itf') as typeof import('./itf')).renderItf(r),
  },
  {
    name: 'html',
    extension: '.html',
    description: 'one self-contained page that opens offline',
    stdout: false,
    module: 'dist/reports/html/',
    render: async (r, c) => {
      const graphs = require('./html/graphs') as typeof import('./html/graphs');
      const html = require('./html/index') as typeof import('./html/index');
      return html.renderHtml(r, { layout: await graphs.graphvizLayout(), sources: c.sources(r) });
    },
  },
] as const satisfies readonly Reporter[];
/* eslint-enable @typescript-eslint/no-require-imports */

export type FileFormat = (typeof REPORTERS)[number]['name'];
/** The formats --format prints on stdout. */
export type Format = Extract<(typeof REPORTERS)[number], { stdout: true }>['name'];

export const FILE_FORMATS: readonly FileFormat[] = REPORTERS.map((r) => r.name);
export const FORMATS: readonly Format[] = REPORTERS.filter((r): r is Extract<(typeof REPORTERS)[number], { stdout: true }> => r.stdout).map((r) => r.name);

export function reporter(name: FileFormat): Reporter {
  return REPORTERS.find((r) => r.name === name)!;
}
