import { describe, expect, it } from 'vitest';
import { adminText } from '../shared/admin/text.js';
import { describeStats } from './stats-text.js';
import type { PeriodStats } from '../core/stats.js';

/** `pult stats` in words: reasons by their names (the office's own from its config), counts with their plural forms. */
describe('pult stats as text', () => {
  const stats = {
    from: '2026-11-01',
    to: '2026-11-30',
    windowId: 'w',
    csi: null,
    nps: null,
    reasons: [
      { reason: 'waiting_time', count: 3 },
      { reason: 'parking', count: 1 },
    ],
    misuse: 0,
    repeats: 0,
  } as unknown as PeriodStats;

  it('names each reason in the reader’s language, the office’s own by its label', () => {
    const labels = { parking: { ru: 'Парковка', en: 'Parking' } };
    expect(describeStats(stats, adminText('ru'), labels, 'ru')).toEqual(
      expect.arrayContaining(['  причина низкой оценки «время ожидания»: 3', '  причина низкой оценки «Парковка»: 1']),
    );
    expect(describeStats(stats, adminText('en'), labels, 'en')).toEqual(
      expect.arrayContaining(['  low-score reason waiting time: 3', '  low-score reason Parking: 1']),
    );
    // An id with no words anywhere (a reason since removed from the config) is shown as it is.
    expect(describeStats(stats, adminText('en'), {}, 'en')).toContain('  low-score reason parking: 1');
  });

  it('counts take their plural form: 1 оценка, 3 оценки, 12 оценок, 21 оценка', () => {
    const t = adminText('ru');
    expect([1, 3, 12, 21, 400].map((count) => t('stats.ratings', { count }))).toEqual([
      '1 оценка',
      '3 оценки',
      '12 оценок',
      '21 оценка',
      '400 оценок',
    ]);
    expect([1, 2].map((count) => adminText('en')('stats.ratings', { count }))).toEqual(['1 rating', '2 ratings']);
  });
});
