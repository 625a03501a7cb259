import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { NotAllowed } from '../errors.js';
import { SupervisorAccess } from './access.js';
import type { PinGate } from './pin.js';

describe('PIN sessions', () => {
  it('a call that finds its token ended also ends the pause, even before the expiry timer fires', async () => {
    let mono = 0;
    // Timers never fire here: the call alone must notice the session is over.
    const clock: Clock = { wallMs: () => mono, monoMs: () => mono, setTimer: () => () => undefined };
    const pausing: boolean[] = [];
    const access = new SupervisorAccess({
      gate: { check: async () => ({ ok: true }) } as unknown as PinGate,
      clock,
      idleMs: () => 10_000,
      onPausing: (paused) => pausing.push(paused),
    });
    const opened = await access.openWith('2468', { onConsole: true, who: 'console' });
    if (!('token' in opened)) throw new Error('not opened');
    expect(pausing).toEqual([true]);
    mono = 20_000;
    expect(() => access.check(opened.token)).toThrow(NotAllowed);
    expect(pausing).toEqual([true, false]);
  });
});
