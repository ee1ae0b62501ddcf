// Seeded random spec generator over the whole lockcheck spec language (small specs, bounded loops).
import seedrandom from 'seedrandom';

type Rng = () => number;
interface LockInfo {
  name: string;
  kind: string;
  insts: string[] | null;
}

export interface GenOptions {
  // flush_work, cancel_work_sync and completions (default on). Off, the generator consumes its random numbers
  // exactly as before they existed, so a seed gives the same spec as it did then (the check of the old constructs).
  constructs?: boolean;
}

export function generateSpec(seed: string | number, opts: GenOptions = {}): any {
  const NEW = opts.constructs !== false;
  const rng: Rng = seedrandom(String(seed));
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)];
  const chance = (p: number) => rng() < p;

  // ---- locks
  const locks: Record<string, any> = {};
  const infos: LockInfo[] = [];
  const nplain = 1 + int(3);
  const kinds = ['mutex', 'mutex', 'spinlock', 'rwlock', 'rwsem'];
  for (let i = 0; i < nplain; i++) {
    const name = 'ABCD'[i];
    const kind = pick(kinds);
    locks[name] = { kind };
    infos.push({ name, kind, insts: null });
  }
  let cls: LockInfo | null = null;
  if (chance(0.45)) {
    const n = 2 + int(2);
    const insts = ['n0', 'n1', 'n2'].slice(0, n);
    const kind = pick(['mutex', 'mutex', 'spinlock', 'rwsem']);
    const def: any = { kind, instances: insts };
    if (chance(0.7)) {
      const addr: Record<string, number> = {};
      const vals = [100, 200, 300];
      for (const x of insts) addr[x] = chance(0.12) ? 100 : pick(vals) + int(3);
      def.attrs = { addr };
      const cmp: any[] = [];
      if (chance(0.5)) cmp.push({ first: pick(insts) });
      cmp.push({ by: 'addr', order: pick(['asc', 'desc']) });
      def.cmp = cmp;
    }
    locks.q = def;
    cls = { name: 'q', kind, insts };
  }
  let srcu: string | null = null;
  if (chance(0.2)) {
    srcu = 'ss';
    locks.ss = { kind: 'srcu' };
  }
  const plainLocks = infos;
  const exclLocks = infos;
  const guardable = infos.filter((l) => l.kind === 'mutex' || l.kind === 'spinlock');

  // ---- shared vars
  const vars: Record<string, any> = {};
  const scalars: { name: string; guard: string | null }[] = [];
  const nvars = int(3);
  for (let i = 0; i < nvars; i++) {
    const name = ['x', 'y', 'z'][i];
    const r = rng();
    let guard: string | null = null;
    const def: any = {};
    if (r < 0.5 && guardable.length) {
      guard = pick(guardable).name;
      def.guard = guard;
    } else if (r < 0.65) {
      guard = 'rcu';
      def.guard = 'rcu';
    } else if (r < 0.8) def.guard = 'none';
    if (chance(0.6)) def.init = int(3);
    vars[name] = def;
    scalars.push({ name, guard: guard });
  }
  let arr: { name: string; len: number; guard: string | null } | null = null;
  if (chance(0.3)) {
    const len = 2;
    const def: any = { array: len };
    let guard: string | null = null;
    if (chance(0.5) && guardable.length) {
      guard = pick(guardable).name;
      def.guard = guard;
    }
    if (chance(0.5)) def.init = [int(2), int(2)];
    vars.arr = def;
    arr = { name: 'arr', len, guard };
  }
  const params: Record<string, number> = {};
  if (chance(0.3)) params.K = 1 + int(2);

  const procedures: Record<string, any> = {};
  const notifiers: Record<string, any> = {};
  const works: Record<string, any> = {};

  // ---- statements
  interface Env {
    locals: string[];
    self: boolean;
    inProc: boolean;
    depth: number;
    budget: { n: number };
    params: string[];
    arrays: string[];
    inWork?: string; // the works entry whose work function this is
  }
  const lockRef = (env: Env): { ref: string; info: LockInfo } => {
    if (cls && chance(0.35)) {
      const locIdx = env.locals.filter((l) => l.startsWith('n'));
      if (locIdx.length && chance(0.4)) return { ref: `q[${pick(locIdx)}]`, info: cls };
      return { ref: `q[${pick(cls.insts!)}]`, info: cls };
    }
    const l = pick(exclLocks);
    return { ref: l.name, info: l };
  };
  const expr = (env: Env, allowShared = true): string => {
    const atoms: string[] = [String(int(3))];
    for (const l of env.locals) if (!l.startsWith('n')) atoms.push(l);
    for (const p of env.params) atoms.push(p);
    if (allowShared) {
      for (const v of scalars) atoms.push(v.name);
      if (arr) atoms.push(`${arr.name}[${int(arr.len)}]`);
    }
    for (const a of env.arrays) atoms.push(`${a}[${int(2)}]`);
    if (params.K !== undefined) atoms.push('K');
    if (env.self) atoms.push('self');
    const a = pick(atoms);
    const r = rng();
    if (r < 0.35) return a;
    if (r < 0.6) return `${a} ${pick(['+', '-'])} ${int(2) + 1}`;
    if (r < 0.85) return `${a} ${pick(['==', '!=', '<', '>='])} ${pick(atoms)}`;
    return `${a} > 0 ? ${pick(atoms)} : ${int(3)}`;
  };
  const target = (env: Env): { t: string; guard: string | null } => {
    const opts: { t: string; guard: string | null }[] = [];
    for (const v of scalars) opts.push({ t: v.name, guard: v.guard });
    if (arr) opts.push({ t: `${arr.name}[${int(arr.len)}]`, guard: arr.guard });
    for (const l of env.locals) if (!l.startsWith('n')) opts.push({ t: l, guard: null });
    for (const a of env.arrays) opts.push({ t: `${a}[${int(2)}]`, guard: null });
    return opts.length ? pick(opts) : { t: '', guard: null };
  };

  function wrapGuard(guard: string | null, inner: any[]): any[] {
    if (!guard || guard === 'rcu') {
      if (guard === 'rcu' && chance(0.5)) return [{ rcu_read_lock: {} }, ...inner, { rcu_read_unlock: {} }];
      return inner;
    }
    if (chance(0.85)) return [{ lock: guard }, ...inner, { unlock: guard }];
    return inner; // unguarded write: an assertion
  }

  function stmt(env: Env): any[] {
    env.budget.n--;
    const leaf = env.depth >= 2 || env.budget.n <= 0;
    if (NEW && chance(0.16)) return newStmt(env, leaf);
    const r = int(leaf ? 12 : 24);
    switch (r) {
      case 0:
      case 1: {
        // lock block
        const { ref, info } = lockRef(env);
        const st: any = { lock: ref };
        if (info.kind === 'rwlock' || info.kind === 'rwsem') {
          if (chance(0.5)) st.read = true;
        }
        if (info === cls && chance(0.3) && !st.read) st.subclass = 1;
        if (info === cls && chance(0.25) && !st.subclass) st.nest_lock = pick(plainLocks).name;
        const inner = leaf ? [] : body(env, 1);
        const out: any[] = [st, ...inner];
        if (chance(0.9)) out.push({ unlock: ref });
        if (chance(0.05)) out.push({ unlock: ref });
        return out;
      }
      case 2:
        return seqStmt(env);
      case 3: {
        // trylock into
        const { ref } = lockRef(env);
        const ok = env.locals.find((l) => l === 'ok');
        if (ok)
          return [
            { trylock: ref, into: 'ok' },
            { if: 'ok', then: [...(leaf ? [] : body(env, 1)), { unlock: ref }] },
          ];
        return [{ trylock: ref }];
      }
      case 4:
      case 5: {
        // assign
        const t = target(env);
        if (!t.t) return [];
        return wrapGuard(t.guard, [{ assign: t.t, value: expr(env) }]);
      }
      case 6: {
        // check then use (TOCTOU shape)
        const v = scalars.find((s) => s.guard) || null;
        const loc = env.locals.find((l) => !l.startsWith('n') && l !== 'ok');
        if (!v || !loc) return [{ assert: expr(env), message: 'm' }];
        const read = wrapGuard(v.guard, [{ assign: loc, value: v.name }]);
        const use = { assert: `${loc} == ${v.name}`, message: 'stale' };
        // the use after the guard was dropped and retaken, or never retaken
        return [...read, ...(v.guard !== 'rcu' && chance(0.5) ? [{ lock: v.guard! }, use, { unlock: v.guard! }] : [use])];
      }
      case 7:
        return [{ assert: expr(env), message: 'a' }];
      case 8: {
        const { ref } = lockRef(env);
        return [{ assert_held: ref }];
      }
      case 9: {
        // rcu
        const inner: any[] = [];
        const k = rng();
        if (k < 0.25) inner.push({ synchronize_rcu: {} });
        else if (k < 0.6) {
          const { ref } = lockRef(env);
          inner.push({ lock: ref }, { unlock: ref });
        } else if (scalars.length) {
          const v = pick(scalars);
          const loc = env.locals.find((l) => !l.startsWith('n') && l !== 'ok');
          if (loc) inner.push({ assign: loc, value: v.name });
        }
        const out: any[] = [{ rcu_read_lock: {} }, ...inner];
        if (chance(0.92)) out.push({ rcu_read_unlock: {} });
        return out;
      }
      case 10: {
        // srcu
        if (!srcu) return [{ synchronize_rcu: {} }];
        const k = rng();
        if (k < 0.4) {
          const { ref } = lockRef(env);
          return [{ lock: ref }, { synchronize_srcu: srcu }, { unlock: ref }];
        }
        const inner: any[] = [];
        if (chance(0.5)) {
          const { ref } = lockRef(env);
          inner.push({ lock: ref }, { unlock: ref });
        }
        if (chance(0.15)) inner.push({ synchronize_srcu: srcu });
        const out: any[] = [{ srcu_read_lock: srcu }, ...inner];
        if (chance(0.92)) out.push({ srcu_read_unlock: srcu });
        return out;
      }
      case 11: {
        // wait_until
        if (!scalars.length) return [{ assert: expr(env) }];
        const v = pick(scalars);
        return [{ wait_until: `${v.name} ${pick(['==', '!=', '>='])} ${int(2)}` }];
      }
      case 12:
      case 13:
        return [{ if: expr(env), then: body(env, 1), ...(chance(0.5) ? { else: body(env, 1) } : {}) }];
      case 14:
        return [{ choose: [body(env, 1), body(env, 1)] }];
      case 15: {
        if (!cls) return [{ choose: [body(env, 1), []] }];
        const nloc = env.locals.find((l) => l.startsWith('n'));
        if (!nloc) return [];
        const from = chance(0.5) ? 'all(q)' : `{${cls.insts!.slice(0, 2).join(', ')}}`;
        return [{ pick: nloc, from }, { lock: `q[${nloc}]` }, ...(leaf ? [] : body(env, 1)), { unlock: `q[${nloc}]` }];
      }
      case 16: {
        const i = env.locals.find((l) => l === 'i');
        if (!i) return [];
        const to = chance(0.5) ? String(1 + int(2)) : scalars.length ? `${pick(scalars).name} % 2 + 1` : 'K';
        const to2 = to === 'K' && params.K === undefined ? '2' : to;
        const e2: Env = { ...env, locals: env.locals.filter((l) => l !== 'i') };
        return [{ for: 'i', from: 0, to: to2, do: body(e2, 1) }];
      }
      case 17: {
        if (!cls) return [];
        const nloc = env.locals.find((l) => l.startsWith('n'));
        if (!nloc) return [];
        const set = chance(0.5) ? 'all(q)' : `{${[...cls.insts!].reverse().slice(0, 2).join(', ')}}`;
        const e2: Env = { ...env, locals: env.locals.filter((l) => l !== nloc) };
        return [
          { foreach: nloc, in: set, do: [{ lock: `q[${nloc}]` }, ...(leaf ? [] : body(e2, 1))] },
          { foreach: nloc, in: set, do: [{ unlock: `q[${nloc}]` }] },
        ];
      }
      case 18:
      case 19: {
        // call
        if (env.inProc) return [{ assert: expr(env) }];
        const p = makeProc(env);
        return [p];
      }
      case 20: {
        if (env.inProc) return [];
        return [makeNotify(env)];
      }
      case 21:
      case 22: {
        if (env.inProc) return [];
        return [makeQueue(env)];
      }
      default:
        return [{ assert: expr(env), message: 'b' }];
    }
  }
  function seqStmt(env0: Env): any[] {
    const env: Env = { ...env0, locals: [] };
    const n = 1 + int(3);
    const held: string[] = [];
    const steps: string[] = [];
    for (let i = 0; i < n; i++) {
      const { ref, info } = lockRef(env);
      const sref = ref;
      const k = rng();
      if (k < 0.5) steps.push(`L(${sref})`);
      else if (k < 0.62 && (info.kind === 'rwlock' || info.kind === 'rwsem')) steps.push(`R(${sref})`);
      else if (k < 0.78) steps.push(`T(${sref})`);
      else if (k < 0.88 && info === cls) steps.push(`S(${sref},${1 + int(2)})`);
      else if (info === cls) steps.push(`N(${sref},${pick(plainLocks).name})`);
      else steps.push(`L(${sref})`);
      held.push(sref);
    }
    while (held.length) {
      const x = chance(0.8) ? held.pop()! : held.shift()!;
      if (chance(0.93)) steps.push(`U(${x})`);
    }
    return [{ seq: steps.join(' ') }];
  }
  function body(env: Env, n: number): any[] {
    const out: any[] = [];
    const e2 = { ...env, depth: env.depth + 1 };
    for (let i = 0; i < n; i++) out.push(...stmt(e2));
    return out;
  }

  let procN = 0;
  function procBody(params: string[], byRef: string[], arrays: string[], inWork?: string): { body: any[]; locals: any } {
    const locals: any = { t: 0 };
    if (chance(0.3) && scalars.length) locals.t = pick(scalars).name; // initialiser reading a shared var
    // 'm' holds a lock instance: its integer value is not part of the language's contract, so it is never used as a number
    const env: Env = {
      locals: ['t', ...(cls ? ['n'] : [])],
      self: false,
      inProc: true,
      depth: 1,
      budget: { n: 3 },
      params: params.filter((p) => !arrays.includes(p) && p !== 'm'),
      arrays,
      ...(inWork ? { inWork } : {}),
    };
    if (cls) locals.n = pick(cls.insts!);
    const b: any[] = [];
    for (const br of byRef) if (chance(0.8)) b.push({ assign: br, value: `${br} + 1` });
    for (const a of arrays) if (chance(0.8)) b.push({ assign: `${a}[${int(2)}]`, value: expr(env) });
    b.push(...body(env, 1 + int(2)));
    return { body: b, locals };
  }
  function makeProc(env: Env): any {
    const name = 'p' + procN++;
    const nparams = int(3);
    const ps: string[] = [];
    const byRef: string[] = [];
    const arrays: string[] = [];
    const args: any[] = [];
    const byRefCands = [
      ...scalars.map((s) => ({ name: s.name, guard: s.guard })),
      ...env.locals.filter((l) => !l.startsWith('n') && l !== 'ok').map((l) => ({ name: l, guard: null })),
    ];
    for (let i = 0; i < nparams; i++) {
      const pn = 'a' + i;
      const r = rng();
      if (r < 0.3 && byRefCands.length) {
        const c = pick(byRefCands);
        // a by_ref write to a guarded shared var is made under its guard
        ps.push(pn);
        byRef.push(pn);
        args.push(c.name);
      } else if (r < 0.45 && (arr || env.arrays.length || env.locals.includes('la'))) {
        const cand = [...(arr ? [arr.name] : []), ...env.arrays, ...(env.locals.includes('la') ? ['la'] : [])];
        ps.push(pn);
        arrays.push(pn);
        args.push(pick(cand));
      } else {
        ps.push(pn);
        args.push(chance(0.5) ? expr(env) : int(3));
      }
    }
    const pb = procBody(ps, byRef, arrays);
    // guard by_ref / array writes where the actual is guarded
    const guards = new Set<string>();
    args.forEach((a, i) => {
      if (!byRef.includes(ps[i]) && !arrays.includes(ps[i])) return;
      const s = scalars.find((x) => x.name === a);
      if (s && s.guard && s.guard !== 'rcu') guards.add(s.guard);
      if (arr && a === arr.name && arr.guard) guards.add(arr.guard);
    });
    let b = pb.body;
    for (const g of guards) if (chance(0.85)) b = [{ lock: g }, ...b, { unlock: g }];
    const into = env.locals.find((l) => l === 'r');
    const ret = chance(0.6) && into;
    if (ret)
      b.push({ return: chance(0.5) ? 't' : expr({ ...env, self: false, locals: ['t'], params: ps.filter((p) => !arrays.includes(p)), arrays, inProc: true }) });
    procedures[name] = { params: ps, ...(byRef.length ? { by_ref: byRef } : {}), locals: pb.locals, body: b };
    const call: any = { call: name, args };
    if (ret) call.into = 'r';
    return call;
  }
  function makeNotify(_env: Env): any {
    const chain = 'chain';
    if (!notifiers[chain]) {
      const hs: string[] = [];
      const nh = 1 + int(2);
      for (let i = 0; i < nh; i++) {
        const name = 'h' + i;
        const pb = procBody(['ev'], [], []);
        procedures[name] = { params: ['ev'], locals: pb.locals, body: pb.body };
        hs.push(name);
      }
      notifiers[chain] = { params: ['ev'], handlers: hs };
    }
    return { call_notifiers: chain, args: [int(3)] };
  }
  function makeQueue(env: Env): any {
    if (Object.keys(works).length === 0) makeWork();
    if (works.w.per) {
      const nloc = env.locals.find((l) => l.startsWith('n'));
      return { queue_work: `w[${nloc && chance(0.4) ? nloc : pick(cls!.insts!)}]` };
    }
    return { queue_work: 'w' };
  }

  // the first works entry, w (per q sometimes); with the new constructs its work function more often takes a lock
  // (which a flush or cancel may be made under) and completes a completion (which a thread waits for)
  const workLocks: string[] = [];
  function makeWork() {
    const per = cls && chance(0.4);
    const name = 'wfn';
    works.w = per ? { proc: name, per: 'q' } : { proc: name }; // before its body: statements inside may flush it
    const pb = procBody(per ? ['m'] : [], [], [], 'w');
    if (per) pb.body.unshift({ lock: 'q[m]' }, ...(chance(0.85) ? [{ unlock: 'q[m]' }] : []));
    if (NEW && chance(0.6)) {
      const l = pick(plainLocks).name;
      workLocks.push(l);
      pb.body.splice(int(pb.body.length + 1), 0, { lock: l }, { unlock: l });
    }
    if (NEW && chance(0.25)) pb.body.push({ complete: compRef(per ? 'm' : null) });
    procedures[name] = { params: per ? ['m'] : [], locals: pb.locals, body: pb.body };
  }
  // a second entry, v, whose work function flushes or cancels w (and so may be flushed by w's: the maps nest)
  function makeWork2() {
    works.v = { proc: 'vfn' };
    const pb = procBody([], [], [], 'v');
    pb.body.splice(int(pb.body.length + 1), 0, flushOf('w', { ...baseEnv(), inProc: true, inWork: 'v' }));
    procedures.vfn = { locals: pb.locals, body: pb.body };
  }
  const baseEnv = (): Env => ({ locals: [], self: false, inProc: true, depth: 2, budget: { n: 0 }, params: [], arrays: [] });
  const workItem = (name: string, env: Env): string => {
    if (!works[name].per) return name;
    const nloc = env.locals.find((l) => l.startsWith('n'));
    if (env.inWork === name && chance(0.3)) return `${name}[m]`; // its own item
    return `${name}[${nloc && chance(0.4) ? nloc : pick(cls!.insts!)}]`;
  };
  function flushOf(name: string, env: Env): any {
    const st: any = chance(0.55) ? { flush_work: workItem(name, env) } : { cancel_work_sync: workItem(name, env) };
    const into = env.locals.filter((l) => !l.startsWith('n') && l !== 'i' && l !== 'ok');
    if (into.length && chance(0.4)) st.into = pick(into);
    return st;
  }
  // completions: c, per q sometimes; the waits and completes made, for the fix-up below
  const completions: Record<string, any> = {};
  const waited = new Set<string>();
  const completed = new Set<string>();
  function compRef(inst: string | null): string {
    if (!completions.c) completions.c = cls && chance(0.3) ? { per: 'q' } : {};
    if (!completions.c.per) return 'c';
    return `c[${inst ?? pick(cls!.insts!)}]`;
  }
  function newStmt(env: Env, leaf: boolean): any[] {
    const r = rng();
    if (r < 0.42) {
      // flush or cancel: of w, or from inside w's run of v; sometimes under a lock the work takes
      if (!works.w) makeWork();
      let name = 'w';
      if (env.inWork === 'w' && (works.v || chance(0.5))) {
        if (!works.v && env.inWork === 'w') {
          works.v = { proc: 'vfn' };
          const pb = procBody([], [], [], 'v');
          procedures.vfn = { locals: pb.locals, body: pb.body };
        }
        if (chance(0.85)) name = 'v'; // else a self-flush (rare)
      }
      const st = flushOf(name, env);
      if (chance(0.5)) {
        const l = workLocks.length && chance(0.75) ? pick(workLocks) : lockRef(env).ref;
        return [{ lock: l }, st, { unlock: l }];
      }
      return [st];
    }
    if (r < 0.58) {
      // queue: w, or v (created here, so that runs of v flush w)
      if (env.inWork) return [];
      if (!works.w) makeWork();
      if (works.v || chance(0.3)) {
        if (!works.v) makeWork2();
        return [{ queue_work: chance(0.5) ? 'v' : workItem('w', env) }];
      }
      return [{ queue_work: workItem('w', env) }];
    }
    // completions
    const inst = env.inWork === 'w' && works.w?.per && chance(0.5) ? 'm' : null;
    const ref = compRef(inst);
    const k = rng();
    if (k < 0.45) {
      waited.add(ref);
      const st = { wait_for_completion: ref };
      if (chance(0.3)) {
        const { ref: l } = lockRef(env);
        return [{ lock: l }, st, { unlock: l }];
      }
      return [st];
    }
    completed.add(ref);
    if (k < 0.8) return [{ complete: ref }];
    if (k < 0.92) return [{ complete_all: ref }];
    return [{ reinit_completion: ref }, ...(leaf ? [] : [{ complete: ref }])];
  }

  // ---- threads
  const threads: any[] = [];
  const nth = 2 + (chance(0.3) ? 1 : 0);
  for (let t = 0; t < nth; t++) {
    const name = 't' + t;
    const replicated = t === 0 && chance(0.2);
    if (chance(0.35)) {
      // shorthand thread
      const env: Env = { locals: [], self: false, inProc: false, depth: 0, budget: { n: 1 }, params: [], arrays: [] };
      const parts: string[] = [];
      if (chance(0.5)) {
        // a nested pair, the lock-order shape of lockdep's selftests
        const x = lockRef(env),
          y = lockRef(env);
        const acq = (l: { ref: string; info: LockInfo }) =>
          ((l.info.kind === 'rwlock' || l.info.kind === 'rwsem') && chance(0.5) ? 'R' : chance(0.15) ? 'T' : 'L') + `(${l.ref})`;
        parts.push(`${acq(x)} ${acq(y)} U(${y.ref}) U(${x.ref})`);
      } else parts.push(seqStmt(env)[0].seq);
      if (chance(0.4)) parts.push(seqStmt(env)[0].seq);
      const th: any = { name, seq: parts.join(' ') };
      if (replicated) th.count = 2;
      threads.push(th);
      continue;
    }
    const locals: any = { v: int(2), ok: 0, r: 0, i: 0 };
    if (cls) locals.n = pick(cls.insts!);
    const arrays: string[] = [];
    if (chance(0.25)) {
      locals.la = { array: 2 };
      arrays.push('la');
    }
    const env: Env = {
      locals: Object.keys(locals).filter((l) => l !== 'la'),
      self: replicated,
      inProc: false,
      depth: 0,
      budget: { n: 3 + int(3) },
      params: [],
      arrays,
    };
    const b: any[] = [];
    const n = 1 + int(3);
    for (let i = 0; i < n && env.budget.n > 0; i++) b.push(...stmt(env));
    if (!b.length) b.push({ seq: 'L(A) U(A)' });
    const th: any = { name, locals, body: b };
    if (replicated) th.count = params.K !== undefined && chance(0.5) ? 'K' : 2;
    threads.push(th);
  }
  // a completion waited on and never completed would only ever be a deadlock: usually some thread completes it
  if (NEW)
    for (const ref of [...waited].sort())
      if (!completed.has(ref) && !completed.has(ref.replace(/\[.*\]$/, '[m]')) && chance(0.8)) {
        const bodies = threads.filter((t) => t.body);
        const target = ref.endsWith('[m]') ? `c[${pick(cls!.insts!)}]` : ref; // a work function's own instance, m
        const st = chance(0.2) ? { complete_all: target } : { complete: target };
        if (bodies.length && chance(0.8)) {
          const b = pick(bodies).body;
          b.splice(int(b.length + 1), 0, st);
        } else threads.push({ name: 'tc', body: [st] });
      }
  const spec: any = { name: `gen-${seed}`, locks, threads };
  if (Object.keys(params).length) spec.params = params;
  if (Object.keys(vars).length) spec.vars = vars;
  if (Object.keys(procedures).length) spec.procedures = procedures;
  if (Object.keys(notifiers).length) spec.notifiers = notifiers;
  if (Object.keys(works).length) spec.works = works;
  if (Object.keys(completions).length) spec.completions = completions;
  if (scalars.length && chance(0.2)) spec.final = [{ assert: `${pick(scalars).name} ${pick(['<=', '!='])} ${1 + int(3)}`, message: 'final' }];
  return spec;
}
