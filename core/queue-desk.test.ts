import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import type { SessionView } from '../shared/session.js';
import { fakeClock } from '../tests/support/fake-clock.js';
import { QUICK_CONSOLE, tap, type Call } from '../tests/support/press.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { PultService } from './service.js';

/**
 * `queue.mode: required` on a real core (real storage) and a fake clock: no ticket, no rating; the
 * ticket on the screen while its rating is open; the screen waits again once its window is over.
 */
const tempDir = useTempDirs();

async function consoleWith(queue: Record<string, unknown>) {
  const time = fakeClock();
  const config = PultConfigSchema.parse({
    ...DEMO_CONFIG,
    ...QUICK_CONSOLE,
    queue: { token: 'queue-token-0123456789abcdef', ...queue },
  });
  const service = await PultService.open({ dataDir: tempDir(), config, clock: time.clock });
  const call: Call = (method, input) => service.link.invoke(method, input);
  const view = async () => ((await call('getSession', {})) as { value: SessionView }).value;
  const event = (type: string, extra: Record<string, unknown> = {}) =>
    service.link.queueEvent({ type, ticket: 'А-123', operatorId: 'op-7', operatorName: 'Иванова И.', ...extra });
  return { service, call, view, event, time };
}

describe('queue.mode: required', () => {
  it('stores nothing without an open ticket; shows the ticket while it is open; waits again after its window', async () => {
    const c = await consoleWith({ mode: 'required', windowMs: 10_000, showOperator: true });
    try {
      expect(await c.view()).toMatchObject({ waitingForTicket: true, ticket: null });
      expect((await tap(c.call, 5)).outcome).toBe('ignored');
      await c.event('called');
      expect((await c.view()).waitingForTicket).toBe(true);
      await c.event('started');
      expect(await c.view()).toMatchObject({ waitingForTicket: false, ticket: { number: 'А-123', operator: 'Иванова И.' } });
      expect((await tap(c.call, 5)).outcome).toBe('stored');
      await c.event('finished');
      await c.time.advance(9_000);
      expect((await c.view()).ticket).toMatchObject({ number: 'А-123' });
      // The window ends by itself: the screen waits again, with no event from the queue.
      await c.time.advance(1_500);
      expect(await c.view()).toMatchObject({ waitingForTicket: true, ticket: null });
      expect((await tap(c.call, 4)).outcome).toBe('ignored');
      expect(c.service.status.read().answersStored).toBe(1);
    } finally {
      await c.service.close();
    }
  });

  it('bound mode takes ratings without a ticket; the operator’s name stays off the screen unless showOperator', async () => {
    const c = await consoleWith({});
    try {
      expect((await c.view()).waitingForTicket).toBe(false);
      expect((await tap(c.call, 3)).outcome).toBe('stored');
      await c.time.advance(600);
      await c.event('called', { ticket: 'Б-7' });
      await c.event('started', { ticket: 'Б-7' });
      expect((await c.view()).ticket).toEqual({ number: 'Б-7', operator: null });
    } finally {
      await c.service.close();
    }
  });
});
