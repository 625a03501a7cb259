import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyQueueEvent,
  QUEUE_EVENT_TYPES,
  QueueEventSchema,
  ratingClosesAt,
  ratingOpen,
  visitKey,
  type QueueEvent,
  type Visit,
} from './queue.js';

const rules = { rateAfter: 'started' as const, windowMs: 120_000 };
const event = (type: QueueEvent['type'], extra: Partial<QueueEvent> = {}): QueueEvent => ({
  type,
  ticket: 'А-123',
  operatorId: 'op-7',
  ...extra,
});
const run = (events: QueueEvent[], windowId = 'w-5') =>
  events.reduce<Visit | null>((visit, e, n) => applyQueueEvent(visit, e, 1_000 * (n + 1), windowId).visit, null);

describe('the visit at a window, as the queue tells it', () => {
  it('called → started opens the rating; finished keeps it open for windowMs; the next call closes it', () => {
    const called = run([event('called')]);
    expect(ratingOpen(called, rules, 1_500)).toBe(false);
    const started = run([event('called'), event('started', { serviceId: '123', serviceName: 'Паспорт' })]);
    expect(ratingOpen(started, rules, 2_500)).toBe(true);
    expect(started).toMatchObject({ serviceId: '123', operatorId: 'op-7' });
    expect(ratingOpen(started, { ...rules, rateAfter: 'finished' }, 2_500)).toBe(false);
    const finished = run([event('called'), event('started'), event('finished')]);
    expect(ratingClosesAt(finished, rules)).toBe(3_000 + 120_000);
    expect(ratingOpen(finished, rules, 3_000 + 119_999)).toBe(true);
    expect(ratingOpen(finished, rules, 3_000 + 120_000)).toBe(false);
    const next = run([event('called'), event('finished'), event('called', { ticket: 'А-124' })]);
    expect(next).toMatchObject({ ticket: 'А-124', startedAt: null });
    expect(ratingOpen(next, rules, 4_000)).toBe(false);
  });

  it('a no-show or a transfer ends the visit; an event for another ticket, visit or window changes nothing and says why', () => {
    expect(run([event('called'), event('started'), event('noshow')])).toBeNull();
    expect(run([event('called'), event('transferred')])).toBeNull();
    const visit = run([event('called', { visitId: 'v1' })]);
    expect(applyQueueEvent(visit, event('started', { ticket: 'Б-1' }), 5, 'w-5')).toEqual({
      applied: false,
      reason: 'not_current',
      visit,
    });
    expect(applyQueueEvent(visit, event('started', { visitId: 'v2' }), 5, 'w-5')).toEqual({
      applied: false,
      reason: 'not_current',
      visit,
    });
    expect(applyQueueEvent(visit, event('called', { window: 'w-6' }), 5, 'w-5')).toEqual({
      applied: false,
      reason: 'other_window',
      visit,
    });
    const done = run([event('called'), event('finished')]);
    expect(applyQueueEvent(done, event('started'), 9, 'w-5')).toMatchObject({ applied: false, reason: 'out_of_order' });
  });

  it('the same event twice is the same visit (started and finished keep their first time)', () => {
    const once = run([event('called'), event('started'), event('finished')]);
    const twice = run([event('called'), event('started'), event('started'), event('finished'), event('finished')]);
    expect(twice).toMatchObject({ startedAt: once!.startedAt, finishedAt: 4_000 });
  });

  it('whatever the queue sends, a rating is open only for a visit that started (or finished within its window)', () => {
    const anyEvent = fc.record({
      type: fc.constantFrom(...QUEUE_EVENT_TYPES),
      ticket: fc.constantFrom('А-1', 'А-2'),
      operatorId: fc.constant('op'),
      visitId: fc.option(fc.constantFrom('v1', 'v2'), { nil: undefined }),
      window: fc.option(fc.constantFrom('w-5', 'w-6'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 12 }), fc.integer({ min: 0, max: 200_000 }), (events, later) => {
        const visit = run(events.map((e) => QueueEventSchema.parse(e)));
        const now = 1_000 * (events.length + 1) + later;
        if (ratingOpen(visit, rules, now)) {
          expect(visit!.startedAt ?? visit!.finishedAt).not.toBeNull();
          if (visit!.finishedAt !== null) expect(now).toBeLessThan(visit!.finishedAt + rules.windowMs);
        }
      }),
    );
  });

  it('two ratings are for the same ticket by the visit id, else by the ticket on that office day', () => {
    expect(visitKey({ ticket: 'А-1', visitId: 'v9' }, '2026-12-03')).toBe('visit:v9');
    expect(visitKey({ ticket: 'А-1', visitId: null }, '2026-12-03')).not.toBe(
      visitKey({ ticket: 'А-1', visitId: null }, '2026-12-04'),
    );
  });

  it('an event is refused by name when it is not one: an unknown type, no operator, control characters', () => {
    expect(QueueEventSchema.safeParse({ type: 'served', ticket: 'А-1', operatorId: 'op' }).success).toBe(false);
    expect(QueueEventSchema.safeParse({ type: 'called', ticket: 'А-1' }).success).toBe(false);
    expect(QueueEventSchema.safeParse({ type: 'called', ticket: 'А-1\u0000', operatorId: 'op' }).success).toBe(false);
  });
});
