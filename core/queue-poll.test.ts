import { describe, expect, it } from 'vitest';
import { PultConfigSchema, DEMO_CONFIG } from '../shared/config.js';
import { eventsBetween, readExport } from './queue-poll.js';

const pollOf = (poll: Record<string, unknown>) =>
  PultConfigSchema.parse({
    ...DEMO_CONFIG,
    queue: { token: 'queue-token-0123456789abcdef', poll: { url: 'http://127.0.0.1:9/', ...poll } },
  }).queue!.poll!;

describe('the polling adapter: a ticket export read into queue events', () => {
  it("reads a vendor's own field and state names, this window's tickets only, oldest change first", () => {
    const poll = pollOf({
      listAt: 'items',
      fields: { ticket: 'number', window: 'counter', operatorId: 'clerk', status: 'state', at: 'changed' },
      statuses: { started: ['IN_SERVICE'], finished: ['CLOSED'] },
    });
    const body = {
      items: [
        { number: 'А-2', counter: '5', clerk: 7, state: 'IN_SERVICE', changed: '2026-12-03T10:05:00Z' },
        { number: 'А-1', counter: '5', clerk: 7, state: 'CLOSED', changed: '2026-12-03T10:00:00Z' },
        { number: 'Б-9', counter: '6', clerk: 8, state: 'CLOSED', changed: '2026-12-03T10:01:00Z' },
        { number: 'А-3', counter: '5', clerk: 7, state: 'WAITING' },
        'not a ticket',
      ],
    };
    const tickets = readExport(body, poll, '5', '2026-12-03');
    expect(tickets).toEqual([
      {
        key: '2026-12-03:А-1',
        step: 'finished',
        at: Date.parse('2026-12-03T10:00:00Z'),
        event: { ticket: 'А-1', operatorId: '7' },
      },
      {
        key: '2026-12-03:А-2',
        step: 'started',
        at: Date.parse('2026-12-03T10:05:00Z'),
        event: { ticket: 'А-2', operatorId: '7' },
      },
    ]);
    expect(readExport({ items: 3 }, poll, '5', '2026-12-03')).toEqual({ invalid: '"items" is not a list of tickets' });
  });

  it('moves a ticket on from where it was applied: first seen finished → called, started, finished; never back', () => {
    const ticket = { key: 'v1', step: 'finished' as const, at: 1_000, event: { ticket: 'А-1', operatorId: '7', visitId: 'v1' } };
    expect(eventsBetween(-1, ticket).map((e) => e.type)).toEqual(['called', 'started', 'finished']);
    expect(eventsBetween(1, ticket).map((e) => e.type)).toEqual(['finished']);
    expect(eventsBetween(2, ticket)).toEqual([]);
    expect(eventsBetween(2, { ...ticket, step: 'called' })).toEqual([]);
    expect(eventsBetween(0, { ...ticket, step: 'noshow' })).toEqual([
      { type: 'noshow', ticket: 'А-1', operatorId: '7', visitId: 'v1', at: 1_000 },
    ]);
    expect(eventsBetween(-1, { ...ticket, step: 'noshow' })).toEqual([]); // never called here: nothing to end
    expect(eventsBetween(3, { ...ticket, step: 'noshow' })).toEqual([]);
  });
});
