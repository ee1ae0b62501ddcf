// The time a breadth-first search has left, from the growth of its levels: if each level is r times the one
// before, the levels after the current one hold level * (r + r^2 + ...) states, finite when r < 1 (the levels
// shrink) or when a depth bound cuts the sum. Growing levels without a bound give no estimate: nothing says
// when they stop growing. Pure, so that the rule is testable.

export interface LevelSample {
  /** states expanded so far, and in how many seconds */
  expanded: number;
  seconds: number;
  /** states of the current level not yet expanded */
  levelLeft: number;
  /** the current level's size and the one before it */
  level: number;
  previousLevel: number;
  /** levels after the current one that the depth bound allows (Infinity: no bound) */
  levelsLeft: number;
}

/** Seconds left, or undefined when no estimate is possible. */
export function estimateSecondsLeft(p: LevelSample): number | undefined {
  if (p.previousLevel <= 0 || p.level <= 0 || p.seconds <= 0 || p.expanded <= 0) return undefined;
  const r = p.level / p.previousLevel;
  let later: number;
  if (p.levelsLeft <= 0) later = 0;
  else if (Number.isFinite(p.levelsLeft)) later = r === 1 ? p.level * p.levelsLeft : (p.level * r * (1 - r ** p.levelsLeft)) / (1 - r);
  else if (r < 1) later = (p.level * r) / (1 - r);
  else return undefined;
  const left = p.levelLeft + later;
  return Number.isFinite(left) ? left / (p.expanded / p.seconds) : undefined;
}
