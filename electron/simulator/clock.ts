// The simulated clock. 'running' follows real time (Training mode: ticketing resolves by itself);
// 'manual' moves only by advance() so tests can step exactly past deadlines.

export class SimClock {
  readonly mode: 'running' | 'manual';
  #base: number;
  #realStart = performance.now();
  #offset = 0;

  constructor(startTime: number, mode: 'running' | 'manual') {
    this.#base = startTime;
    this.mode = mode;
  }

  now(): number {
    const real = this.mode === 'running' ? performance.now() - this.#realStart : 0;
    return Math.floor(this.#base + real + this.#offset);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('advanceClock needs a finite, non-negative number of ms');
    this.#offset += ms;
  }
}
