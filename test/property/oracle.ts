// What "well behaved on hostile input" means, checked on one result: a verdict, or an error verdict with
// FILE:LINE:COL diagnostics from the catalog; never an internal error (LC9xxx), a stack trace, a garbled
// message, or a reporter that throws. Returns the problems found (empty: fine), so properties can say why.
import { formatDiagnostic } from '../../checker/diagnostics/diagnostic';
import { CODES } from '../../checker/diagnostics/codes';
import { CheckResult, SpecResult } from '../../checker/result';
import { FINDING_KINDS } from '../../checker/spec/types';
import { renderJson } from '../../reports/json';
import { renderDiagnostics, renderText } from '../../reports/text';

const KNOWN_CODES = new Set<string>(Object.values(CODES).map((c) => c.code));
const VERDICTS = new Set(['ok', 'findings', 'incomplete', 'error']);
/** a JavaScript stack frame, or a value printed where a name was meant */
const GARBLED = [/^\s*at .+\.[cm]?[jt]s:\d+:\d+\)?$/m, /\[native code\]/, /\[object Object\]/];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first line of a diagnostic as the CLI prints it: FILE:LINE:COL: error: MESSAGE [LCnnnn] */
export function diagnosticLine(file: string): RegExp {
  return new RegExp(`^${escapeRe(file)}:[1-9][0-9]*:[1-9][0-9]*: error: .+ \\[LC[1-5][0-9]{3}\\]$`);
}

export function problemsWith(r: SpecResult, opts: { file: string; lines?: number }): string[] {
  const out: string[] = [];
  if (!VERDICTS.has(r.verdict)) out.push(`verdict ${JSON.stringify(r.verdict)}`);
  if (r.verdict === 'error') {
    if (r.diagnostics.length === 0) out.push('error verdict without a diagnostic');
    for (const d of r.diagnostics) {
      const text = formatDiagnostic(d);
      if (/^LC9/.test(d.code)) out.push(`internal error: ${text}`);
      else if (!KNOWN_CODES.has(d.code)) out.push(`code ${d.code} is not in the catalog`);
      if (d.severity !== 'error') out.push(`severity ${d.severity}`);
      if (!Number.isInteger(d.pos.line) || d.pos.line < 1 || !Number.isInteger(d.pos.col) || d.pos.col < 1) out.push(`bad position ${d.pos.line}:${d.pos.col}`);
      if (d.pos.file === opts.file && opts.lines !== undefined && d.pos.line > opts.lines + 1)
        out.push(`line ${d.pos.line} past the end of a ${opts.lines}-line file`);
      const first = text.split('\n')[0];
      if (!diagnosticLine(d.pos.file).test(first)) out.push(`not a FILE:LINE:COL: error: line: ${JSON.stringify(first)}`);
      for (const g of GARBLED) if (g.test(text)) out.push(`garbled diagnostic: ${JSON.stringify(text)}`);
    }
  } else {
    if (r.diagnostics.length > 0) out.push(`verdict ${r.verdict} with diagnostics: ${r.diagnostics.map(formatDiagnostic).join('; ')}`);
    if (!r.stats) out.push('no stats');
    if ((r.verdict === 'incomplete') !== (r.incomplete !== undefined)) out.push(`verdict ${r.verdict} but incomplete = ${JSON.stringify(r.incomplete)}`);
    if (r.verdict === 'ok' && r.findings.length > 0) out.push('verdict ok with findings');
    if (r.verdict === 'findings' && r.findings.length === 0) out.push('verdict findings without any');
    for (const f of r.findings) {
      if (!(FINDING_KINDS as readonly string[]).includes(f.kind)) out.push(`finding kind ${f.kind}`);
      if (typeof f.message !== 'string' || f.message === '') out.push(`${f.kind} finding without a message`);
      for (const g of GARBLED) if (g.test(f.message)) out.push(`garbled finding: ${JSON.stringify(f.message)}`);
    }
  }
  // The reporters the CLI uses must take any result.
  const doc: CheckResult = { results: [r] };
  try {
    renderText(doc, { traces: true });
    JSON.parse(renderJson(doc));
    const diags = renderDiagnostics(doc);
    if (r.verdict === 'error')
      for (const line of diags.split('\n').filter((l) => l !== '' && !/^\s/.test(l)))
        if (!/^.+:[1-9][0-9]*:[1-9][0-9]*: error: /.test(line)) out.push(`diagnostic output line ${JSON.stringify(line)}`);
  } catch (e) {
    out.push(`a reporter throws: ${e instanceof Error ? e.stack : String(e)}`);
  }
  return out;
}
