import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnswerInputSchema } from '../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { officeDayOf } from '../shared/office-time.js';
import { systemClock } from './clock.js';
import { PultService } from './service.js';
import { readOperatorStats, readPeriodStats } from './stats.js';
import { seedOperators, TEN_OPERATORS } from '../tests/support/operators.js';
import { useTempDirs } from '../tests/support/temp-dir.js';

/** The federal criteria in the figures: each criterion's distribution and mean; operators ranked on criterion 11. */
const tempDir = useTempDirs();
const config = PultConfigSchema.parse({ ...DEMO_CONFIG, flow: [{ type: 'mkgu' }] });
const NOON = Date.parse('2026-11-18T09:00:00Z');
const DAY = officeDayOf(NOON, config.timeZone);

describe('the federal criteria in the statistics', () => {
  it("each criterion answered has its own 1–5 distribution and mean; CSI's figures do not take them in", async () => {
    const dataDir = tempDir();
    const service = await PultService.open({ dataDir, config, clock: { ...systemClock, wallMs: () => NOON } });
    const given: [string, number][] = [
      ['mkgu_9', 5],
      ['mkgu_9', 4],
      ['mkgu_9', 1],
      ['mkgu_11', 5],
      ['mkgu_13', 2],
    ];
    for (const [question, value] of given)
      await service.storeAnswer(
        AnswerInputSchema.parse({ question, value, responseId: crypto.randomUUID(), locale: 'ru', source: 'touch' }),
        crypto.randomUUID(),
      );
    await service.close();
    const stats = readPeriodStats(dataDir, { from: DAY, to: DAY });
    expect(stats.csi).toBeNull();
    expect(stats.criteria.map((c) => [c.indicator, c.figures.responses, c.figures.mean, c.figures.distribution])).toEqual([
      [9, 3, 10 / 3, [1, 0, 0, 1, 1]],
      [11, 1, 5, [0, 0, 0, 0, 1]],
      [13, 1, 2, [0, 1, 0, 0, 0]],
    ]);
  });

  it('the operators can be ranked on «вежливость и компетентность» (11)', async () => {
    const dataDir = tempDir();
    await seedOperators(dataDir, TEN_OPERATORS.slice(0, 3), { atMs: NOON, question: 'mkgu_11' });
    const on11 = readOperatorStats(dataDir, { from: DAY, to: DAY, criterion: 'mkgu_11', priorStrength: 40 });
    expect(on11.operators.map((o) => [o.operatorId, o.figures.n, o.figures.satisfied])).toEqual(
      expect.arrayContaining(TEN_OPERATORS.slice(0, 3).map((o) => [o.operatorId, o.n, o.satisfied])),
    );
    expect(readOperatorStats(dataDir, { from: DAY, to: DAY, criterion: 'csi', priorStrength: 40 }).operators).toEqual([]);
  });
});
