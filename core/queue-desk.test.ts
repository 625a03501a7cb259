import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import type { SessionView } from '../shared/session.js';
import { fakeClock } from '../tests/support/fake-clock.js';
import { QUICK_CONSOLE, tap, type Call } from '../tests/support/press.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { PultService } from './service.js';
import { officeToday, readPeriodStats } from './stats.js';

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
  const dataDir = tempDir();
  const service = await PultService.open({ dataDir, config, clock: time.clock });
  const call: Call = (method, input) => service.link.invoke(method, input);
  const view = async () => ((await call('getSession', {})) as { value: SessionView }).value;
  const event = (type: string, extra: Record<string, unknown> = {}) =>
    service.link.queueEvent({ type, ticket: 'А-123', operatorId: 'op-7', operatorName: 'Иванова И.', ...extra });
  return { service, call, view, event, time, dataDir };
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

  it('one rating per ticket: a second response while the same ticket is open is stored flagged repeat and never counted', async () => {
    const c = await consoleWith({});
    try {
      await c.event('called');
      await c.event('started');
      expect((await tap(c.call, 5)).outcome).toBe('stored');
      await c.time.advance(600); // «Спасибо!» is over: the next person taps
      expect((await tap(c.call, 1)).outcome).toBe('stored');
      await c.time.advance(600);
      await c.event('called', { ticket: 'А-124' });
      await c.event('started', { ticket: 'А-124' });
      expect((await tap(c.call, 4)).outcome).toBe('stored');
      const db = new Database(path.join(c.dataDir, 'pult.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT value, ticket, flags FROM answers ORDER BY seq').all();
      const counted = db
        .prepare("SELECT question, value, count FROM rollups WHERE question IN ('csi', 'repeat') ORDER BY question, value")
        .all();
      db.close();
      expect(rows).toEqual([
        { value: 5, ticket: 'А-123', flags: '[]' },
        { value: 1, ticket: 'А-123', flags: '["repeat"]' },
        { value: 4, ticket: 'А-124', flags: '[]' },
      ]);
      expect(counted).toEqual([
        { question: 'csi', value: '4', count: 1 },
        { question: 'csi', value: '5', count: 1 },
        { question: 'repeat', value: 'csi', count: 1 },
      ]);
      // The figures count the ticket once and the repeat apart.
      const day = officeToday('Europe/Moscow', c.time.clock.wallMs());
      expect(readPeriodStats(c.dataDir, { from: day, to: day })).toMatchObject({ csi: { responses: 2 }, repeats: 1, misuse: 0 });
    } finally {
      await c.service.close();
    }
  });
});
