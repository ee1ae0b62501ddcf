// The progress line of the CLI: states, states/s, depth, frontier and memory of the running search, on stderr,
// drawn by cli-progress. On a TTY it appears once a search has run for a second and is erased when the search
// ends; in CI (not a TTY, or CI set) nothing is printed unless --progress asks for it, and then it prints a
// line every two seconds and one per finished spec, so logs stay short. The explorer calls onProgress every
// few hundred states, synchronously: redraws are rate-limited here, and memory is read only when drawing.
// cli-progress is loaded when the first line is drawn: most runs draw none.
import type { SingleBar } from 'cli-progress';

export interface SearchProgressOptions {
  stream: NodeJS.WriteStream;
  /** the stream is a terminal */
  tty: boolean;
  /** --progress (true), --no-progress (false), or neither (undefined) */
  requested: boolean | undefined;
  /** the CI environment variable is set */
  ci: boolean;
  /** clock, injectable for tests (ms) */
  now?: () => number;
}

export interface ProgressSample {
  states: number;
  depth: number;
  frontier: number;
  seconds: number;
  /** seconds left, when the search can estimate it */
  eta?: number;
}

/** Whether to show progress at all: --progress forces it, --no-progress forbids it, else a TTY outside CI. */
export function progressWanted(o: Pick<SearchProgressOptions, 'tty' | 'requested' | 'ci'>): boolean {
  if (o.requested !== undefined) return o.requested;
  return o.tty && !o.ci;
}

const mib = (bytes: number) => Math.round(bytes / (1024 * 1024));

export function progressLine(file: string, p: ProgressSample, rssBytes: number): string {
  const rate = p.seconds > 0 ? Math.round(p.states / p.seconds) : 0;
  // an estimate from the growth of the levels: shown only where the search could make one
  const eta = p.eta !== undefined ? `, about ${formatSeconds(p.eta)} left (estimate)` : '';
  return `lockcheck ${file}: ${p.states} states, ${rate} states/s, depth ${p.depth}, frontier ${p.frontier}, ${mib(rssBytes)} MiB, ${p.seconds.toFixed(1)} s${eta}`;
}

/** 42 s, 7 min, 3.5 h. */
export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export class SearchProgress {
  private bar: SingleBar | undefined;
  private file = '';
  private last: ProgressSample = { states: 0, depth: 0, frontier: 0, seconds: 0 };
  private lastDraw = 0;
  private readonly now: () => number;
  private readonly enabled: boolean;
  /** on a TTY without --progress, a search must run this long (s) before its line appears */
  private readonly delay: number;

  constructor(private readonly o: SearchProgressOptions) {
    this.now = o.now ?? Date.now;
    this.enabled = progressWanted(o);
    this.delay = o.requested ? 0 : 1;
  }

  /** The onProgress callback for one spec's search (undefined when progress is off). */
  begin(file: string): ((p: ProgressSample) => void) | undefined {
    this.finishBar();
    if (!this.enabled) return undefined;
    this.file = file;
    this.last = { states: 0, depth: 0, frontier: 0, seconds: 0 };
    return (p) => this.sample(p);
  }

  private makeBar(): SingleBar {
    const file = this.file;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
    const bar = new SingleBar({
      stream: this.o.stream,
      format: (_opts, _params, payload: ProgressSample) => progressLine(file, payload, process.memoryUsage().rss),
      hideCursor: this.o.tty,
      clearOnComplete: true,
      linewrap: false,
      gracefulExit: false,
      noTTYOutput: !this.o.tty,
      notTTYSchedule: 2000,
      fps: 10,
    });
    bar.start(0, 0, this.last);
    return bar;
  }

  private sample(p: ProgressSample): void {
    this.last = p;
    if (!this.bar) {
      if (p.seconds < this.delay) return;
      this.bar = this.makeBar();
      this.lastDraw = this.now();
      return;
    }
    // On a TTY cli-progress redraws during update() (rate-limited); off a TTY its timer cannot fire while the
    // synchronous search runs, so draw every two seconds here.
    this.bar.update(0, p);
    if (!this.o.tty && this.now() - this.lastDraw >= 2000) {
      this.bar.render();
      this.lastDraw = this.now();
    }
  }

  private finishBar(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
  }

  /** A spec's search ended: erase the line (TTY), or with --progress off a TTY print the final figures. */
  end(states?: number, seconds?: number): void {
    const shown = this.bar !== undefined;
    this.finishBar();
    if (this.enabled && !this.o.tty && (shown || this.o.requested) && states !== undefined) {
      const final = { ...this.last, states, seconds: seconds ?? this.last.seconds, frontier: 0, eta: undefined };
      this.o.stream.write(`${progressLine(this.file, final, process.memoryUsage().rss)} (done)\n`);
    }
  }
}
