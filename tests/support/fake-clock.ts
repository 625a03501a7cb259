import type { Clock } from '../../core/clock.js';

/** A clock that moves only when told: timers fire in order as `advance` passes their time. */
export function fakeClock(startWallMs = Date.UTC(2026, 10, 26, 9, 0)) {
  let mono = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fire: () => void }>();
  const clock: Clock = {
    wallMs: () => startWallMs + mono,
    monoMs: () => mono,
    setTimer(delayMs, fire) {
      const id = nextId++;
      timers.set(id, { at: mono + Math.max(0, delayMs), fire });
      return () => void timers.delete(id);
    },
  };
  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  const advance = async (ms: number): Promise<void> => {
    const until = mono + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      mono = Math.max(mono, due[1].at);
      due[1].fire();
      await new Promise((resolve) => setImmediate(resolve));
    }
    mono = until;
  };
  return { clock, advance, pending: () => timers.size };
}
