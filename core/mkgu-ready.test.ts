import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnswerInputSchema } from '../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { systemClock } from './clock.js';
import { PultService } from './service.js';
import { useTempDirs } from '../tests/support/temp-dir.js';

/**
 * Which responses become forms (core/storage/mkgu-outbox.ts): only those that are over — nothing
 * added for the quiet time — whole, in order, never one twice, and a late answer of a response
 * already packed never makes a second form with its foreign-id.
 */
const tempDir = useTempDirs();
const T0 = Date.parse('2026-11-18T09:00:00Z');

async function consoleAt() {
  let now = T0;
  const service = await PultService.open({
    dataDir: tempDir(),
    config: PultConfigSchema.parse({ ...DEMO_CONFIG, flow: [{ type: 'mkgu' }] }),
    clock: { ...systemClock, wallMs: () => now },
  });
  // Responses named by a letter, for the test to read: each letter its own stable response id.
  const ids = new Map<string, string>();
  const idOf = (name: string) => ids.get(name) ?? (ids.set(name, crypto.randomUUID()), ids.get(name)!);
  const rate = async (name: string, indicator: number, atMs: number) => {
    now = atMs;
    await service.storeAnswer(
      AnswerInputSchema.parse({ question: `mkgu_${indicator}`, value: 4, responseId: idOf(name), locale: 'ru', source: 'touch' }),
      crypto.randomUUID(),
    );
  };
  const nameOf = (id: string) => [...ids].find(([, value]) => value === id)?.[0];
  return { service, rate, nameOf, mkgu: service.storage.mkgu };
}

const keepAll = async ({ mkgu, nameOf }: Awaited<ReturnType<typeof consoleAt>>, max: number, quietBeforeMs: number) => {
  const ready = await mkgu.ready(max, quietBeforeMs);
  expect(await mkgu.keep({ id: crypto.randomUUID(), body: ready.forms.length ? '<x/>' : null, ready, atMs: quietBeforeMs })).toBe(
    true,
  );
  return ready.forms.map((form) => [nameOf(form.responseId), form.rates.map((rate) => rate.indicator)]);
};

describe('forms ready to pack', () => {
  it('a response still going on waits, whole; the others go in order, at most max at a time, each once', async () => {
    const rig = await consoleAt();
    const { service, rate } = rig;
    for (const [index, id] of ['a', 'b', 'c'].entries())
      for (const indicator of [9, 10, 11]) await rate(id, indicator, T0 + index * 60_000 + indicator);
    // At T0 + 2 min only a and b are over (c's last rating is newer than the quiet time's start).
    expect(await keepAll(rig, 5, T0 + 120_000)).toEqual([
      ['a', [9, 10, 11]],
      ['b', [9, 10, 11]],
    ]);
    expect(await keepAll(rig, 5, T0 + 120_000)).toEqual([]);
    await rate('d', 9, T0 + 180_000);
    expect(await keepAll(rig, 1, T0 + 600_000)).toEqual([['c', [9, 10, 11]]]);
    // A late rating of a response already packed (the clock jumped back) makes no second form.
    await rate('a', 12, T0 + 190_000);
    expect(await keepAll(rig, 5, T0 + 600_000)).toEqual([['d', [9]]]);
    expect(await keepAll(rig, 5, T0 + 600_000)).toEqual([]);
    await service.close();
  });

  it('a packet made against a cursor someone else moved is not kept (no form is packed twice)', async () => {
    const { service, rate, mkgu } = await consoleAt();
    await rate('a', 9, T0);
    const first = await mkgu.ready(5, T0 + 60_000);
    const second = await mkgu.ready(5, T0 + 60_000);
    expect(await mkgu.keep({ id: 'p1', body: '<x/>', ready: first, atMs: T0 })).toBe(true);
    expect(await mkgu.keep({ id: 'p2', body: '<x/>', ready: second, atMs: T0 })).toBe(false);
    expect((await mkgu.next())?.id).toBe('p1');
    await service.close();
  });
});
