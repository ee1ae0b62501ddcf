// The lock-sequence shorthand of the conformance contract: "L(A) R(B) T(C) U(A) N(X,Y) S(X,k)".

export type ShortOp = 'L' | 'R' | 'T' | 'U' | 'N' | 'S';

export interface ShortStep {
  op: ShortOp;
  /** lock reference text, e.g. "A" or "net[init_net]" */
  lock: string;
  /** N: the nest lock reference; S: the subclass */
  nest?: string;
  subclass?: number;
  /** offset of the step in the string, and of the lock reference */
  at: number;
  lockAt: number;
  nestAt?: number;
}

export class ShorthandError extends Error {
  constructor(
    message: string,
    public at: number,
  ) {
    super(message);
  }
}

const REF = String.raw`[A-Za-z_][A-Za-z0-9_]*(?:\[\s*[A-Za-z_0-9]+\s*\])?`;
const STEP = new RegExp(String.raw`^([LRTUNS])\(\s*(${REF})\s*(?:,\s*(${REF}|[0-9]+)\s*)?\)`);

export function parseShorthand(src: string): ShortStep[] {
  const steps: ShortStep[] = [];
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i])) {
      i++;
      continue;
    }
    const m = STEP.exec(src.slice(i));
    if (!m) {
      const word = /^\S+/.exec(src.slice(i))![0];
      throw new ShorthandError(`cannot read step "${word}"`, i);
    }
    const op = m[1] as ShortOp;
    const lockAt = i + m[0].indexOf(m[2], 2);
    const step: ShortStep = { op, lock: m[2], at: i, lockAt };
    const second = m[3];
    if (op === 'N') {
      if (second === undefined || /^[0-9]+$/.test(second)) throw new ShorthandError('N(X,Y) needs a nest lock Y', i);
      step.nest = second;
      step.nestAt = i + m[0].lastIndexOf(second);
    } else if (op === 'S') {
      if (second === undefined || !/^[0-9]+$/.test(second)) throw new ShorthandError('S(X,k) needs a subclass number k', i);
      step.subclass = Number(second);
      if (step.subclass > 7) throw new ShorthandError('subclasses run from 0 to 7, as in lockdep', i);
    } else if (second !== undefined) {
      throw new ShorthandError(`${op}(X) takes one lock`, i);
    }
    steps.push(step);
    i += m[0].length;
    if (i < src.length && !/\s/.test(src[i])) throw new ShorthandError('steps are separated by white space', i);
  }
  return steps;
}
