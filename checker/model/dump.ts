// `lockcheck check --dump ir`: the compiled program as text, one line per instruction with its access set
// (the shared slots it reads and writes, the lock classes and RCU it touches) and whether it is a scheduling
// point or a local step, the role of an assignment the compiler inserted (a parameter's binding, a local's
// initialisation, a dead variable's reset, a temporary: model/ir.ts WriteRole), and the expressions it
// evaluates as the compiler resolved them (slots, constants, instance checks). What the link step turns into closures and the explorer and the partial-order reduction
// see, for people and golden tests.
import { Access, Instr, instrExpressions, IrModel, isSchedulingPoint } from './ir';
import { IrExpr, renderExpr } from './ir-expr';

type IrInstr = Instr<IrExpr>;

export function renderIr(m: IrModel): string {
  const slotName = new Map<number, string>();
  for (const g of m.globals) for (let k = 0; k < g.size; k++) slotName.set(g.offset + k, g.size > 1 ? `${g.name}[${k}]` : g.name);
  const slots = (xs: readonly number[]) => ranges(xs, slotName).join(' ') || '-';
  const access = (a: Access) =>
    [`reads ${slots(a.reads)}`, `writes ${slots(a.writes)}`, `locks ${a.locks.map((c) => m.classes[c].name).join(' ') || '-'}`, ...(a.rcu ? ['rcu'] : [])].join(
      '; ',
    );
  const out: string[] = [];
  out.push(`model ${JSON.stringify(m.name)} (${m.file}): ${m.width} state slots, lock table at ${m.locksBase}, ${m.threads.length} threads`);
  out.push('shared vars:');
  for (const g of m.globals)
    out.push(
      `  ${g.name}: slots ${g.offset}..${g.offset + g.size - 1}${g.guard >= 0 ? `, guard ${m.instances[g.guard].name}` : g.guard === -2 ? ', guard rcu' : ''}`,
    );
  out.push('lock classes:');
  for (const c of m.classes) out.push(`  ${c.name}: ${c.kind}${c.hasInstances ? `, instances ${c.instances.map((i) => m.instances[i].short).join(' ')}` : ''}`);
  const printed = new Map<IrInstr[], string>();
  for (const th of m.threads) {
    out.push(`thread ${th.name} (slots from ${th.base}${th.worker ? ', a work queue worker' : ''}):`);
    const same = printed.get(th.code);
    if (same) {
      out.push(`  the code of ${same}`);
      continue;
    }
    printed.set(th.code, th.name);
    const localName = new Map<number, string[]>();
    for (const l of th.localNames)
      for (let k = 0; k < l.size; k++) {
        const names = localName.get(l.offset + k) ?? [];
        const n = l.size > 1 ? `${l.name}[${k}]` : l.name;
        if (!names.includes(n)) names.push(n);
        localName.set(l.offset + k, names);
      }
    // the locals a step ending here zeroes (dead here); at `end` that is every local
    const forgets = (pc: number) => {
      const dead = th.code[pc].op === 'end' ? [] : (th.deadLocals?.[pc] ?? []);
      return dead.length ? `  forgets ${dead.map((o) => (localName.get(o) ?? [`slot ${o}`]).join('/')).join(' ')}` : '';
    };
    th.code.forEach((i, pc) => {
      const kind = isSchedulingPoint(i) ? 'step ' : 'local';
      const instance = (id: number) => m.instances[id]?.name ?? String(id);
      // a lock named outright is a constant instance id: show its name
      const show = (field: string, x: IrExpr) =>
        x.e === 'const' && field !== 'value' && field !== 'cond' && field !== 'set' && field !== 'index' && field !== 'item' ? instance(x.v) : renderExpr(x);
      const resolved = instrExpressions(i).map(([field, x]) => `${field} ${show(field, x)}`);
      out.push(
        `  ${String(pc).padStart(3)} ${kind} ${i.op.padEnd(11)} ${i.text}${target(i)}${i.op === 'assign' && i.role ? ` (${i.role})` : ''}  {${access(i.access)}}${resolved.length ? `  [${resolved.join('; ')}]` : ''}${forgets(pc)}  ${i.src.file}:${i.src.line}:${i.src.col}`,
      );
    });
  }
  return out.join('\n') + '\n';
}

function target(i: IrInstr): string {
  switch (i.op) {
    case 'jump':
      return ` -> ${i.target}`;
    case 'branch':
      return ` (else -> ${i.elseTarget})`;
    case 'choose':
      return ` -> ${i.targets.join(', ')}`;
    case 'acquire':
    case 'release':
    case 'assign':
    case 'pick':
    case 'assert':
    case 'assert_held':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'sync_begin':
    case 'sync_wait':
    case 'wait':
    case 'idle':
    case 'work_return':
    case 'flush_begin':
    case 'flush_wait':
    case 'completion':
    case 'end':
      return '';
  }
}

/** Consecutive slots of one array as name[a..b]. */
function ranges(xs: readonly number[], names: Map<number, string>): string[] {
  const out: string[] = [];
  for (let k = 0; k < xs.length;) {
    let j = k;
    const base = (n: string | undefined) => n?.replace(/\[\d+\]$/, '');
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1 && base(names.get(xs[j + 1])) === base(names.get(xs[k])) && names.get(xs[k])?.endsWith(']')) j++;
    const first = names.get(xs[k]) ?? `slot ${xs[k]}`;
    out.push(j > k ? `${base(first)}[${first.match(/\[(\d+)\]$/)![1]}..${names.get(xs[j])!.match(/\[(\d+)\]$/)![1]}]` : first);
    k = j + 1;
  }
  return out;
}
