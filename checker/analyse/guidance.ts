// What to try when a search ends without a proof: from what stopped it and how far it got, the options that
// may get further (a depth-first or random search for a bug, more room for a proof, a smaller model). Pure:
// the result carries it as `guidance` and the text report prints it.
import { assertNever } from '../assert-never';
import { Guidance, Suggestion } from '../result';

/** Why the search proves nothing: a bound stopped it, or its kind cannot prove absence. */
export type IncompleteCause = 'max-states' | 'max-seconds' | 'max-memory' | 'interrupted' | 'max-depth' | 'simulation' | 'swarm' | 'bitstate';

export interface GuidanceInput {
  cause: IncompleteCause;
  strategy: 'bfs' | 'dfs';
  states: number;
  /** the deepest level (breadth-first) or path (depth-first, walks) reached */
  depth: number;
  maxDepth?: number;
  /** states at the depth bound left unexpanded */
  depthCut?: number;
  maxStates?: number;
  maxSeconds?: number;
  /** the spec's params as the search used them */
  params: Record<string, number>;
  /** the params that count threads or lock instances (IrModel.sizeParams) */
  sizeParams: string[];
  por: boolean;
  symmetry: boolean;
  walks?: number;
  bitstateBits?: number;
  findings: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function guidance(g: GuidanceInput): Guidance {
  const cut = g.depthCut ? `, ${plural(g.depthCut, 'state')} at depth ${g.maxDepth} not expanded` : '';
  const covered =
    g.cause === 'simulation' || g.cause === 'swarm'
      ? `${plural(g.walks ?? 0, 'random walk')}, ${plural(g.states, 'distinct state')}, paths up to ${g.depth} steps`
      : `${plural(g.states, 'state')}, depth ${g.depth} reached${cut}`;
  const out: Suggestion[] = [];
  const bugHunt = () => {
    if (g.strategy !== 'dfs')
      out.push({
        try: `--strategy dfs --max-depth ${Math.max(2 * g.depth, 20)}`,
        why: `breadth-first enumerates every state of a level before the next, so a bug deeper than depth ${g.depth} is not reached; depth-first goes deep at once and keeps only its path, and the depth bound keeps it finite`,
      });
    out.push({
      try: '--strategy swarm',
      why: 'seeded random walks with random thread priorities, spread over --jobs: they often reach a deep deadlock in a second, but finding nothing proves nothing',
    });
  };
  const smaller = () => {
    // only the params that count threads or lock instances: lowering a constant (a table's size, an error
    // number) changes what the model means, not how big it is
    const big = Object.entries(g.params).filter(([k, v]) => g.sizeParams.includes(k) && v >= 2);
    if (big.length > 0)
      out.push({
        try: big.map(([k, v]) => `--param ${k}=${v - 1}`).join(' or '),
        why: 'the states grow with every copy of a thread or lock: a smaller instance may finish, and most locking bugs show with two or three copies',
      });
    if (!g.por || !g.symmetry)
      out.push({ try: 'drop --no-por / --no-symmetry', why: 'the reductions keep every finding and can cut the states by orders of magnitude' });
  };
  switch (g.cause) {
    case 'max-states':
    case 'max-memory':
      bugHunt();
      if (g.cause === 'max-states' && g.maxStates !== undefined)
        out.push({ try: `--max-states ${2 * g.maxStates}`, why: `the search stopped at its state bound, ${g.maxStates}; a larger one may let it finish` });
      if (g.bitstateBits === undefined)
        out.push({
          try: '--bitstate 30',
          why: 'two bits per state instead of a fingerprint and its links: far more states fit, at the risk of a collision hiding some',
        });
      smaller();
      break;
    case 'max-seconds':
    case 'interrupted':
      bugHunt();
      if (g.cause === 'max-seconds' && g.maxSeconds !== undefined)
        out.push({ try: `--max-seconds ${Math.ceil(4 * g.maxSeconds)}`, why: 'the search ran out of time; more time (and --jobs) may let it finish' });
      else out.push({ try: '--jobs auto', why: 'the same search on every core' });
      smaller();
      break;
    case 'max-depth':
      out.push({
        try: `--max-depth ${2 * (g.maxDepth ?? g.depth)}`,
        why: `${plural(g.depthCut ?? 0, 'state')} at the depth bound had moves left: a deeper bound, or none, explores past them`,
      });
      if (g.strategy === 'dfs') out.push({ try: '--strategy bfs', why: 'breadth-first without a depth bound proves absence if the model fits in memory' });
      out.push({ try: '--strategy swarm', why: 'random walks are not bounded by the depth: they reach deep states, but prove nothing' });
      break;
    case 'simulation':
    case 'swarm':
      out.push({
        try: 'the default search (no --simulate, --strategy bfs)',
        why: 'random walks never prove absence: an exhaustive search does, if the model fits',
      });
      out.push({ try: '--strategy dfs --max-depth 100', why: 'a depth-first search covers every path up to the bound, not a sample' });
      out.push({
        try: g.cause === 'swarm' ? '--walks 100000, or another --seed' : '--simulate 100000, or another --seed',
        why: 'more walks, or other ones, sample more schedules',
      });
      break;
    case 'bitstate':
      out.push({
        try: `--bitstate ${Math.min(32, (g.bitstateBits ?? 20) + 4)}`,
        why: 'a larger table makes collisions, and the states they hide, rarer',
      });
      out.push({
        try: 'the default search (no --bitstate)',
        why: 'fingerprints lose a state with a chance of about n^2 / 2^65: an exhaustive search proves absence if the model fits',
      });
      break;
    default:
      return assertNever(g.cause);
  }
  return { covered, suggestions: out };
}
