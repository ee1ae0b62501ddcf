// SARIF 2.1.0 reporter (--format sarif), for GitHub code scanning and other SARIF viewers. One result per
// finding, ruleId = the finding kind (rules with help text from reports/rules.ts). Its location is the
// innermost frame of its call chain inside the spec being checked (the file a pull request changes: a
// deadlock inside an imported model shows at the spec's call that leads there), the other frames (the model
// procedures, innermost first) are related locations, and the trace is a codeFlow with one threadFlow per
// thread: each step keeps its place in the interleaving as executionOrder, its call chain as stack, and the
// locks its thread holds and the variables it changed as state. A lock-order cycle has a codeFlow per edge. Findings a spec declares in
// expect.findings are level "note" and suppressed in source; unexpected ones are errors.
// Bad specs and incomplete searches are tool execution notifications. Pure, stable output.
import { Diagnostic, SourcePos } from '../checker/diagnostics/diagnostic';
import { CheckResult, Finding, SpecResult, StackFrame, Trace, TraceStep } from '../checker/result';
import { changesText } from './text';
import { FINDING_KINDS, FindingKind } from '../checker/spec/types';
import { fingerprint } from './fingerprint';
import { toctouWindow } from '../checker/facts';
import { isUnexpected } from '../checker/analyse/expect';
import { RULES } from './rules';

export interface SarifOptions {
  /** lockcheck's version, for tool.driver */
  toolVersion?: string;
}

type Json = Record<string, unknown>;

const SRCROOT = '%SRCROOT%';

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function toUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * Where a file is, for SARIF: relative paths (a spec under the directory lockcheck ran in) relative to
 * %SRCROOT%; an absolute path (a spec given from elsewhere) as a file: URI of its own, with no base, since a
 * relative reference under a base must not start with a slash (SARIF1004).
 */
export function artifactOf(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { uri: `file://${toUri(slashed)}` };
  if (/^[A-Za-z]:\//.test(slashed)) return { uri: `file:///${slashed.slice(0, 2)}${toUri(slashed.slice(2))}` };
  return { uri: toUri(slashed), uriBaseId: SRCROOT };
}

function physical(p: SourcePos | undefined, fallbackFile: string): Json {
  const artifactLocation = artifactOf(p?.file ?? fallbackFile);
  if (!p) return { artifactLocation };
  return { artifactLocation, region: { startLine: Math.max(1, p.line), startColumn: Math.max(1, p.col) } };
}

function rule(kind: FindingKind): Json {
  const m = RULES[kind];
  return {
    id: kind,
    name: m.name,
    shortDescription: { text: m.short },
    fullDescription: { text: m.help },
    help: { text: m.help, markdown: `**${kind}**: ${m.help}` },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['concurrency', 'locking', 'lockdep'], precision: 'very-high', 'problem.severity': 'error' },
  };
}

/** A call chain as a SARIF stack: innermost frame first. */
function sarifStack(stack: StackFrame[], specFile: string): Json {
  return {
    message: { text: stack.map((f) => f.name).join(' > ') },
    frames: [...stack].reverse().map((f) => ({ location: { physicalLocation: physical(f.src, specFile), message: { text: f.name } } })),
  };
}

function stepText(s: TraceStep): string {
  const held = s.held[s.thread]?.length ? `; holds ${s.held[s.thread].join(', ')}` : '';
  return `${s.step}. ${s.thread}: ${s.action}${s.detail ? ` -> ${s.detail}` : ''}${held}${s.note ? ` (${s.note})` : ''}`;
}

function kindsOf(action: string): string[] | undefined {
  if (/^(unlock\b|U\()/.test(action)) return ['release', 'lock'];
  if (/^(lock\b|trylock\b|L\(|R\(|T\(|N\(|S\()/.test(action)) return ['acquire', 'lock'];
  if (/^call\b/.test(action)) return ['call'];
  return undefined;
}

/** Thread order: first appearance in the steps, then threads that only show up blocked. */
function threadsOf(t: Trace): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  for (const s of t.steps) add(s.thread);
  for (const b of t.blocked ?? []) add(b.thread);
  return names;
}

function codeFlow(t: Trace, specFile: string, label: string, marks: Map<number, string>): Json {
  const last = t.steps.length;
  const threadFlows = threadsOf(t).map((th) => {
    const locations: Json[] = t.steps
      .filter((s) => s.thread === th)
      .map((s) => {
        const mark = marks.get(s.step);
        const loc: Json = {
          location: { physicalLocation: physical(s.src, specFile), message: { text: mark ? `${stepText(s)} [${mark}]` : stepText(s) } },
          executionOrder: s.step,
          nestingLevel: s.frames.length,
          importance: s.note || mark ? 'essential' : 'important',
          state: {
            held: { text: (s.held[th] ?? []).join(', ') || '(none)' },
            ...(s.changes?.length ? { changed: { text: changesText(s.changes) } } : {}),
          },
        };
        if (s.stack && s.stack.length > 1) loc.stack = sarifStack(s.stack, specFile);
        const kinds = kindsOf(s.action);
        if (kinds) loc.kinds = kinds;
        if (s.frames.length) loc.properties = { frames: s.frames };
        return loc;
      });
    for (const b of (t.blocked ?? []).filter((x) => x.thread === th)) {
      const by = b.heldBy.length ? `, ${b.readers ? 'for the readers' : 'held by'} ${b.heldBy.join(', ')}` : '';
      const behind = b.queuedBehind?.length ? `, queued behind ${b.queuedBehind.join(', ')}` : '';
      locations.push({
        location: { physicalLocation: physical(b.src, specFile), message: { text: `blocked: ${th} waits for ${b.waitsFor}${by}${behind}` } },
        executionOrder: last + 1,
        ...(b.stack && b.stack.length > 1 ? { stack: sarifStack(b.stack, specFile) } : {}),
        importance: 'essential',
        kinds: ['acquire', 'lock'],
      });
    }
    return { id: th, message: { text: th }, locations };
  });
  return { message: { text: `${label}; replay path ${t.path || '(initial state)'}` }, threadFlows };
}

/** The TOCTOU window's step marks, when the finding has one. */
function windowMarks(f: Finding): Map<number, string> {
  const w = toctouWindow(f);
  const marks = new Map<number, string>();
  if (w) for (const k of ['check', 'write', 'use'] as const) if (typeof w[k] === 'number') marks.set(w[k]!, `TOCTOU ${k}`);
  return marks;
}

function sarifResult(r: SpecResult, f: Finding): Json {
  const expected = !isUnexpected(r, f);
  const out: Json = {
    ruleId: f.kind,
    ruleIndex: FINDING_KINDS.indexOf(f.kind),
    level: expected ? 'note' : 'error',
    message: { text: f.message },
    locations: [{ physicalLocation: physical(primaryLocation(r, f), r.file) }],
    partialFingerprints: { 'lockcheck/v1': f.fingerprint ?? fingerprint(r.file, f) },
  };
  const related: Json[] = [];
  const stack = f.stack ?? [];
  const primary = primaryFrame(r, f);
  if (primary !== undefined) {
    // the frames below the spec's call, innermost first: where the finding is, and each call on the way
    for (let k = stack.length - 1; k > primary; k--) {
      const fr = stack[k];
      const text = k === stack.length - 1 ? `${f.kind} here, in ${fr.name}` : `${fr.name} calls ${stack[k + 1].name} here`;
      related.push({ id: related.length + 1, physicalLocation: physical(fr.src, r.file), message: { text } });
    }
  } else if (f.calledFrom) related.push({ id: 1, physicalLocation: physical(f.calledFrom, r.file), message: { text: `called from ${r.file}` } });
  if (f.location && f.location.file !== r.file && primary === undefined && !f.calledFrom)
    related.push({ id: 1, physicalLocation: physical(undefined, r.file), message: { text: 'the spec' } });
  if (related.length) out.relatedLocations = related;
  const flows: Json[] = [];
  if (f.trace && (f.trace.steps.length > 0 || f.trace.blocked?.length)) flows.push(codeFlow(f.trace, r.file, `${f.kind} in ${r.file}`, windowMarks(f)));
  for (const c of f.chains ?? []) if (c.trace.steps.length > 0) flows.push(codeFlow(c.trace, r.file, `chain ${c.label}`, new Map()));
  if (flows.length) out.codeFlows = flows;
  // a known finding (--baseline) is SARIF's "unchanged", not a suppression: code scanning keeps tracking it
  if (f.known !== undefined) out.baselineState = f.known ? 'unchanged' : 'new';
  if (expected && !f.known) out.suppressions = [{ kind: 'inSource', justification: `${r.file} declares ${f.kind} in expect.findings` }];
  out.properties = { spec: r.file, verdict: r.verdict, ...(f.order !== undefined ? { order: f.order } : {}) };
  return out;
}

/** The innermost frame of the finding's call chain that is in the spec being checked, if any. */
function primaryFrame(r: SpecResult, f: Finding): number | undefined {
  const stack = f.stack ?? [];
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k].src.file === r.file) return k;
  return undefined;
}

/** Where code scanning shows the finding: in the spec a pull request changes, when the call chain passes it. */
export function primaryLocation(r: SpecResult, f: Finding): SourcePos | undefined {
  const k = primaryFrame(r, f);
  return k === undefined ? f.location : f.stack![k].src;
}

function notification(level: 'error' | 'warning', text: string, pos: SourcePos | undefined, file: string, id?: string): Json {
  const n: Json = { level, message: { text }, locations: [{ physicalLocation: physical(pos, file) }] };
  if (id) n.descriptor = { id };
  return n;
}

export function renderSarif(result: CheckResult, opts: SarifOptions = {}): string {
  const notifications: Json[] = [];
  for (const r of result.results) {
    for (const d of r.diagnostics as Diagnostic[])
      notifications.push(
        notification(d.severity === 'warning' ? 'warning' : 'error', `${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`, d.pos, r.file, d.code),
      );
    if (r.verdict === 'incomplete')
      notifications.push(notification('warning', `${r.file}: search incomplete: ${r.incomplete ?? 'a bound was hit'}`, undefined, r.file));
  }
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lockcheck',
            ...(opts.toolVersion ? { version: opts.toolVersion, semanticVersion: opts.toolVersion } : {}),
            rules: FINDING_KINDS.map(rule),
          },
        },
        invocations: [{ executionSuccessful: !result.results.some((r) => r.verdict === 'error'), toolExecutionNotifications: notifications }],
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The directory lockcheck ran in; spec and model paths are relative to it.' } } },
        columnKind: 'utf16CodeUnits',
        results: result.results.flatMap((r) => r.findings.map((f) => sarifResult(r, f))),
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
