import { describe, expect, it } from 'vitest';
import { QueueEventSchema } from './queue.js';
import { translateQmatic } from './queue-qmatic.js';

/** Orchestra's visit events as its integrations show them: `E.evnt`, `E.prm`, `E.ts`. */
const orchestra = (evnt: string, prm: Record<string, unknown> = {}) => ({
  E: {
    evnt,
    ts: '2026-12-03T09:15:00.000+03:00',
    prm: {
      visitId: 4711,
      ticket: 'A017',
      servicePointId: 5,
      serviceExternalId: '7700000010000000001',
      serviceName: 'Паспорт',
      userId: 12,
      userName: 'Иванова И.',
      ...prm,
    },
  },
});

describe('the Qmatic Orchestra adapter', () => {
  it('turns a call into «called» with the visit, ticket, staff member and service, valid as any queue event', () => {
    const translated = translateQmatic(orchestra('VISIT_CALL'), '5');
    expect(translated).toEqual({
      event: {
        type: 'called',
        ticket: 'A017',
        visitId: '4711',
        operatorId: '12',
        operatorName: 'Иванова И.',
        serviceId: '7700000010000000001',
        serviceName: 'Паспорт',
        at: Date.parse('2026-12-03T06:15:00Z'),
      },
    });
    expect(QueueEventSchema.safeParse('event' in translated && translated.event).success).toBe(true);
  });

  it.each([
    ['VISIT_RECALL', 'called'],
    ['VISIT_CONFIRM', 'started'],
    ['VISIT_END', 'finished'],
    ['VISIT_NOSHOW', 'noshow'],
    ['VISIT_TRANSFER_TO_QUEUE', 'transferred'],
  ])('%s is «%s»', (evnt, type) => {
    expect(translateQmatic(orchestra(evnt), undefined)).toMatchObject({ event: { type } });
  });

  it('takes the unwrapped spelling and a staff member known by name only', () => {
    const translated = translateQmatic(
      { event: 'VISIT_END', parameters: { ticket: 'B2', userName: 'Петров' }, timeStamp: 1_700_000_000_000 },
      undefined,
    );
    expect(translated).toEqual({
      event: { type: 'finished', ticket: 'B2', operatorId: 'Петров', operatorName: 'Петров', at: 1_700_000_000_000 },
    });
  });

  it('another service point is another window; an event with no meaning here is named and ignored', () => {
    expect(translateQmatic(orchestra('VISIT_CALL'), '6')).toEqual({ ignored: 'other_window', name: 'VISIT_CALL' });
    expect(translateQmatic(orchestra('VISIT_CREATE'), '5')).toEqual({ ignored: 'not_mapped', name: 'VISIT_CREATE' });
  });

  it('what is not an Orchestra event is refused, naming what is wrong', () => {
    expect(translateQmatic({ E: { evnt: 'VISIT_CALL', prm: { userId: 1 } } }, undefined)).toEqual({
      invalid: 'prm.ticket: the event names no ticket',
    });
    expect(translateQmatic({ E: { evnt: 'VISIT_CALL', prm: { ticket: 'A1' } } }, undefined)).toMatchObject({
      invalid: /prm\.userId/,
    });
    expect(translateQmatic({ E: { prm: {} } }, undefined)).toMatchObject({ invalid: /evnt/ });
    expect(translateQmatic({ E: { evnt: 'VISIT_CALL', prm: { ticket: 'x'.repeat(40), userId: 1 } } }, undefined)).toMatchObject({
      invalid: /ticket/,
    });
    expect(translateQmatic('VISIT_CALL', undefined)).toMatchObject({ invalid: expect.any(String) });
  });
});
