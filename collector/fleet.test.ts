import { describe, expect, it } from 'vitest';
import { ALERT_LIMITS, causesOf, fleetConsole, fleetState, unseenDevice } from './fleet.js';
import type { DeviceFacts } from './store.js';

const thresholds = { lateAfterMs: 180_000, offlineAfterMs: 600_000 };
/** Wednesday 2 December 2026, 12:00 in Moscow (09:00 UTC). */
const NOON = Date.parse('2026-12-02T09:00:00Z');
const office = { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' };
const device = (facts: Partial<DeviceFacts> = {}): DeviceFacts => ({
  ...unseenDevice({ id: 'd1', office: null, window: null }),
  office: 'mfc-1',
  window: 'w-1',
  lastHeartbeatAt: NOON - 10_000,
  outboxDepth: 0,
  clockOffsetMs: 0,
  officeHours: office,
  ...facts,
});
const kinds = (facts: Partial<DeviceFacts>, nowMs = NOON, recent = new Map<string, number>()) =>
  causesOf(device(facts), { nowMs, thresholds, recentAnswers: recent }).map((cause) => cause.kind);

describe('a console’s state on the fleet', () => {
  it('is online, then late after the late threshold, offline after the offline one; never when it never beat', () => {
    expect(fleetState(NOON, NOON + 179_999, thresholds)).toBe('online');
    expect(fleetState(NOON, NOON + 180_000, thresholds)).toBe('late');
    expect(fleetState(NOON, NOON + 599_999, thresholds)).toBe('late');
    expect(fleetState(NOON, NOON + 600_000, thresholds)).toBe('offline');
    expect(fleetState(null, NOON, thresholds)).toBe('never');
  });

  it('lists device times on the collector’s clock (the console’s last offset applied)', () => {
    const listed = fleetConsole(device({ lastAnswerAt: 1_000, oldestUnsentAt: 2_000, clockOffsetMs: 500 }), NOON, thresholds, []);
    expect(listed).toMatchObject({ lastAnswerAt: 1_500, oldestUnsentAt: 2_500, state: 'online' });
  });
});

describe('the causes of alerts', () => {
  it('offline alarms only while the office is open', () => {
    const gone = { lastHeartbeatAt: NOON - 700_000 };
    expect(kinds(gone)).toContain('offline');
    // 22:00 in Moscow, and a Saturday noon: closed, no alarm.
    expect(kinds({ lastHeartbeatAt: Date.parse('2026-12-02T18:50:00Z') }, Date.parse('2026-12-02T19:00:00Z'))).not.toContain(
      'offline',
    );
    expect(kinds({ lastHeartbeatAt: NOON - 700_000 + 3 * 86_400_000 }, NOON + 3 * 86_400_000)).not.toContain('offline');
    // Registered and never seen: no alarm at all.
    expect(
      causesOf(unseenDevice({ id: 'd2', office: null, window: null }), { nowMs: NOON, thresholds, recentAnswers: new Map() }),
    ).toEqual([]);
  });

  it('a backlog above 500 answers or older than 15 minutes', () => {
    expect(kinds({ outboxDepth: 500 })).not.toContain('backlog');
    expect(kinds({ outboxDepth: 501 })).toContain('backlog');
    expect(kinds({ outboxDepth: 3, oldestUnsentAt: NOON - ALERT_LIMITS.oldestUnsentMs - 1 })).toContain('backlog');
    expect(kinds({ outboxDepth: 3, oldestUnsentAt: NOON - 60_000 })).not.toContain('backlog');
  });

  it('a disconnected box must last 5 minutes (the hold), one cause per box', () => {
    const causes = causesOf(
      device({
        boxes: [
          { id: 'left', connected: false, lastPressAt: null, invalidFrames: 0 },
          { id: 'right', connected: true, lastPressAt: null, invalidFrames: 0 },
        ],
      }),
      { nowMs: NOON, thresholds, recentAnswers: new Map() },
    );
    expect(causes).toEqual([{ kind: 'box_disconnected', detail: 'left', holdMs: ALERT_LIMITS.boxAwayMs }]);
  });

  it('a clock more than 2 minutes off, either way', () => {
    expect(kinds({ clockOffsetMs: 120_000 })).not.toContain('clock_offset');
    expect(kinds({ clockOffsetMs: -120_001 })).toContain('clock_offset');
  });

  it('silent for 2 opening hours only if it usually gets answers', () => {
    const lastAnswerAt = NOON - 2.5 * 3_600_000;
    // Five open days of 12 hours in the last week: 60 opening hours.
    expect(kinds({ lastAnswerAt }, NOON, new Map([['d1', 600]]))).toContain('silent');
    expect(kinds({ lastAnswerAt }, NOON, new Map([['d1', 10]]))).not.toContain('silent');
    expect(kinds({ lastAnswerAt: NOON - 3_600_000 }, NOON, new Map([['d1', 600]]))).not.toContain('silent');
    // The night does not count: the last answer at 19:00 yesterday, now 08:30.
    const morning = Date.parse('2026-12-03T05:30:00Z');
    expect(
      kinds({ lastAnswerAt: Date.parse('2026-12-02T16:00:00Z'), lastHeartbeatAt: morning }, morning, new Map([['d1', 600]])),
    ).not.toContain('silent');
  });

  it('a refused config bundle, with what was refused', () => {
    const causes = causesOf(device({ refusedConfig: 'version 4: expired' }), {
      nowMs: NOON,
      thresholds,
      recentAnswers: new Map(),
    });
    expect(causes).toEqual([{ kind: 'config_refused', detail: 'version 4: expired', holdMs: 0 }]);
  });
});
