/** Time as the core sees it; tests pass a fake one (tests/support/fake-clock.ts) and step it. */
export interface Clock {
  /** Wall clock: what the device believes the time is (it may be wrong). */
  wallMs(): number;
  /** Monotonic within this process run; orders answers and times the session even when the wall clock jumps. */
  monoMs(): number;
  /** Runs `fire` once after `delayMs` (monotonic); returns the cancel function. Never keeps the process alive. */
  setTimer(delayMs: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
  setTimer(delayMs, fire) {
    const timer = setTimeout(fire, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
