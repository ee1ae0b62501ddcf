// The finding told in plain sentences, for a reader who never saw the spec: which thread takes which lock at
// which step (read off the held sets, so it holds for any spec), what each blocked thread waits for and who
// holds it, and why nobody can move. Lock-order cycles are told from their edges; TOCTOU from its window.
import { toctouWindow } from '../../checker/facts';
import { Finding, FindingOf, Trace } from '../../checker/result';
import { cycleThreads } from './graphs';
import { esc, lockChip, posText, threadName } from './markup';

interface Event {
  step: number;
  html: string;
}

/** Lock changes per step: what the acting thread took and released. */
function lockEvents(t: Trace): Event[] {
  const out: Event[] = [];
  t.steps.forEach((s, k) => {
    const before = k > 0 ? (t.steps[k - 1].held[s.thread] ?? []) : [];
    const now = s.held[s.thread] ?? [];
    const took = now.filter((l) => !before.includes(l));
    const released = before.filter((l) => !now.includes(l));
    const parts: string[] = [];
    if (took.length) parts.push(`takes ${took.map((l) => lockChip(l)).join(', ')}`);
    if (released.length) parts.push(`releases ${released.map((l) => lockChip(l)).join(', ')}`);
    if (parts.length === 0 && s.note) parts.push(esc(s.note));
    if (parts.length) {
      const keep = now.filter((l) => !took.includes(l));
      const holding = took.length && keep.length ? ` while holding ${keep.map((l) => lockChip(l)).join(', ')}` : '';
      const where = s.frames.length ? ` <span class="frames">(in ${s.frames.map(esc).join(' › ')})</span>` : '';
      out.push({ step: s.step, html: `${threadName(s.thread)} ${parts.join(' and ')}${holding}${where}.` });
    }
  });
  return out;
}

const li = (e: Event) => `<li><a class="step-link" href="#" data-step="${e.step}">step ${e.step}</a>: ${e.html}</li>`;

function deadlockStory(f: Finding): string {
  const t = f.trace!;
  const blocked = t.blocked ?? [];
  const cycle = cycleThreads(f);
  const events = lockEvents(t).map(li);
  const waits = blocked.map((b) => {
    const queued = b.queuedBehind?.length ? b.queuedBehind : undefined;
    const by = b.heldBy.length
      ? `, which ${b.heldBy.map((h) => threadName(h)).join(' and ')} ${b.readers ? 'must finish reading' : b.heldBy.length > 1 ? 'hold' : 'holds'}`
      : queued
        ? ''
        : ', which no live thread will release';
    const behind = queued ? `${b.heldBy.length ? ',' : ''} queued behind the waiting writer ${queued.map((w) => threadName(w)).join(', ')}` : '';
    // Where the thread stands: the procedures of its last step (the blocked statement itself has no step).
    const last = [...t.steps].reverse().find((s) => s.thread === b.thread);
    const where = last?.frames.length ? ` <span class="frames">(last step in ${last.frames.map(esc).join(' › ')})</span>` : '';
    return `${threadName(b.thread, cycle.has(b.thread) ? 'in-cycle' : '')}${where} waits for ${lockChip(b.waitsFor, 'wanted')}${by}${behind}`;
  });
  const why =
    f.kind === 'deadlock' && f.facts.category === 'self'
      ? 'A thread waits for a lock it holds itself: it can never move.'
      : cycle.size > 0
        ? `${[...cycle].map((th) => threadName(th, 'in-cycle')).join(' and ')} each wait for a lock the next one holds: a wait-for cycle, so none of them can ever move${blocked.length > cycle.size ? ', and the others wait behind them' : ''}.`
        : 'Every live thread waits, and nothing they wait for will be released.';
  return `<ol class="story">${events.join('')}<li class="end"><a class="step-link" href="#" data-step="end">end</a>: ${waits.join('; ')}.</li></ol><p class="why">${why}</p>`;
}

function cycleStory(f: FindingOf<'lock-order-cycle'>): string {
  const edges = f.facts.edges;
  const items = edges.map(
    (e) =>
      `<li>${threadName(e.thread)} takes ${lockChip(e.acquired)} while holding ${lockChip(e.held)}: class ${esc(e.from)} before ${esc(e.to)} (<span class="pos">${esc(posText(e.at))}</span>)</li>`,
  );
  const reached = f.facts.reached;
  const gates = f.facts.gates;
  const why = reached
    ? 'Run on as many CPUs at once, each path holds the lock the next one wants: the search reached that deadlock (see the deadlock finding).'
    : gates.length
      ? `No explored schedule deadlocks, because every path holds ${gates.map((g) => lockChip(g)).join(', ')} across its edge; lockdep still warns, and the deadlock comes back when that gate goes.`
      : 'No explored schedule deadlocks, but lockdep would warn: the order is inconsistent.';
  return `<ol class="story">${items.join('')}</ol><p class="why">${why}</p>`;
}

function toctouStory(f: Finding): string {
  const t = f.trace!;
  const w = toctouWindow(f);
  const at = (n?: number) => (n ? t.steps[n - 1] : undefined);
  const row = (label: string, n?: number) => {
    const s = at(n);
    return s
      ? `<li><a class="step-link" href="#" data-step="${s.step}">step ${s.step}</a> <span class="badge win">${label}</span>: ${threadName(s.thread)} ${esc(s.action)}${s.detail ? ` → ${esc(s.detail)}` : ''}${s.note ? ` (${esc(s.note)})` : ''}</li>`
      : '';
  };
  return `<ol class="story">${row('① check', w?.check)}${row('② write', w?.write)}${row('③ use', w?.use)}</ol><p class="why">The value checked at step ${w?.check ?? '?'} is no longer true when step ${w?.use ?? '?'} acts on it: another thread changed it in between.</p>`;
}

/** The story of a finding, or '' when there is nothing to tell beyond its message. */
export function renderStory(f: Finding): string {
  if (f.kind === 'deadlock' && f.trace?.blocked?.length) return deadlockStory(f);
  if (f.kind === 'lock-order-cycle') return cycleStory(f);
  if (f.kind === 'toctou' && f.trace) return toctouStory(f);
  if (f.trace && f.trace.steps.length > 0) {
    const events = lockEvents(f.trace);
    return events.length ? `<ol class="story">${events.map(li).join('')}</ol>` : '';
  }
  return '';
}
