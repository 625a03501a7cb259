import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AnswerInputSchema } from '../../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../../shared/config.js';
import { systemClock } from '../../core/clock.js';
import { PultService } from '../../core/service.js';

/** An office's mkgu section as the tests configure it. */
export const MKGU = { vendorId: 'pult-test', authorityId: '7700000000', serviceId: '7700000010000000001', okato: '45286560000' };
/** 12:00 in Moscow on 2026-11-18: the seeded answers' time (long over, so every response is ready to send). */
export const NOON = Date.parse('2026-11-18T09:00:00Z');

export interface SeededResponse {
  csi: number;
  criteria: Record<number, number>;
  misuse?: boolean;
}

/**
 * A console's data directory with these responses stored through the core (as taps store them),
 * and its config file: `args` are the `--config … --data-dir …` of every pult command on it.
 */
export async function seedCriteria(dir: string, responses: readonly SeededResponse[], mkgu: Record<string, unknown> = {}) {
  const dataDir = path.join(dir, 'data');
  const config = { ...DEMO_CONFIG, flow: [{ type: 'csi' }, { type: 'mkgu' }], mkgu: { ...MKGU, ...mkgu } };
  const configFile = path.join(dir, 'console.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
  const service = await PultService.open({
    dataDir,
    config: PultConfigSchema.parse(config),
    clock: { ...systemClock, wallMs: () => NOON },
  });
  const ids: string[] = [];
  for (const response of responses) {
    const responseId = crypto.randomUUID();
    ids.push(responseId);
    const store = (question: string, value: number, flags: string[] = []) =>
      service.storeAnswer(
        AnswerInputSchema.parse({ question, value, responseId, locale: 'ru', source: 'touch', flags }),
        crypto.randomUUID(),
      );
    await store('csi', response.csi);
    for (const [indicator, score] of Object.entries(response.criteria))
      await store(`mkgu_${indicator}`, score, response.misuse ? ['misuse'] : []);
  }
  await service.close();
  return { dir, dataDir, configFile, args: ['--config', configFile, '--data-dir', dataDir], ids };
}
