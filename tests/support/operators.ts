import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AnswerInputSchema } from '../../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../../shared/config.js';
import { PultService } from '../../core/service.js';
import { answerRow } from '../../core/storage/answers.js';
import { DATABASE_FILE } from '../../core/storage/database.js';
import { ledger } from '../../core/storage/ledger.js';

/** One operator's ratings in a seed: `n` CSI scores, `satisfied` of them 4–5 (the rest 1–3). */
export interface OperatorSeed {
  operatorId: string;
  name?: string;
  n: number;
  satisfied: number;
  /** The ФРГУ service of the tickets (all of them), if any. */
  serviceId?: string;
  serviceName?: string;
}

/** Scores of a seed, in a fixed order: 5, 4, 5, 4… for the satisfied, then 3, 2, 1, 3… */
export const seedScores = (seed: Pick<OperatorSeed, 'n' | 'satisfied'>): number[] =>
  Array.from({ length: seed.n }, (_, i) => (i < seed.satisfied ? 5 - (i % 2) : 3 - ((i - seed.satisfied) % 3)));

/**
 * A console database holding operators' ratings as the queue would have bound them (answers
 * carrying operator, ticket and service, written through the tap's own ledger, so the rollups are
 * the real ones), spread over the hours before `atMs`, and the names the queue gave them.
 */
export async function seedOperators(
  dataDir: string,
  seeds: readonly OperatorSeed[],
  options: {
    atMs: number;
    windowId?: string;
    timeZone?: string;
    unbound?: number;
    repeats?: number;
    question?: 'csi' | 'mkgu_11';
  },
): Promise<void> {
  const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  await (await PultService.open({ dataDir, config })).close();
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    const { append } = ledger(db, config.timeZone);
    const name = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    let ticket = 0;
    const store = (value: number, stamp: { operatorId: string | null; serviceId?: string }, flags: string[] = []) => {
      ticket++;
      const answer = AnswerInputSchema.parse({
        question: options.question ?? 'csi',
        value,
        responseId: crypto.randomUUID(),
        locale: 'ru',
        source: 'touch',
        flags,
      });
      append(
        answerRow(answer, {
          id: crypto.randomUUID(),
          officeId: config.office.id,
          windowId: options.windowId ?? config.window.id,
          operatorId: stamp.operatorId,
          ticket: stamp.operatorId ? `А-${ticket}` : null,
          serviceId: stamp.serviceId ?? null,
          // A rating every 7 s back from atMs: thousands stay within the office day.
          createdAtMs: options.atMs - ticket * 7_000,
          monoMs: ticket,
          bootId: 'seed',
        }),
        crypto.randomUUID(),
      );
    };
    for (const seed of seeds) {
      for (const value of seedScores(seed)) store(value, seed);
      if (seed.name) name.run(`name:operator:${seed.operatorId}`, seed.name);
      if (seed.serviceId && seed.serviceName) name.run(`name:service:${seed.serviceId}`, seed.serviceName);
    }
    for (let i = 0; i < (options.unbound ?? 0); i++) store(1, { operatorId: null });
    const first = seeds[0];
    for (let i = 0; i < (options.repeats ?? 0) && first; i++) store(1, first, ['repeat']);
  } finally {
    db.close();
  }
}

/** Ten operators as an office might have them after a month: one new (12 ratings), one busy (400). */
export const TEN_OPERATORS: readonly OperatorSeed[] = [
  {
    operatorId: 'op-01',
    name: 'Иванова А. С.',
    n: 400,
    satisfied: 372,
    serviceId: '7700000010000000001',
    serviceName: 'Паспорт РФ',
  },
  { operatorId: 'op-02', name: 'Петров Б. В.', n: 180, satisfied: 171, serviceId: '7700000010000000002', serviceName: 'СНИЛС' },
  { operatorId: 'op-03', name: 'Сидорова В. Г.', n: 150, satisfied: 129 },
  { operatorId: 'op-04', name: 'Кузнецов Г. Д.', n: 130, satisfied: 122 },
  { operatorId: 'op-05', name: 'Смирнова Д. Е.', n: 120, satisfied: 96 },
  { operatorId: 'op-06', name: 'Попов Е. Ж.', n: 110, satisfied: 101 },
  { operatorId: 'op-07', name: 'Волкова Ж. З.', n: 90, satisfied: 84 },
  { operatorId: 'op-08', name: 'Морозов З. И.', n: 60, satisfied: 51 },
  { operatorId: 'op-09', name: 'Новикова И. К.', n: 40, satisfied: 30 },
  { operatorId: 'op-10', name: 'Фёдоров К. Л.', n: 12, satisfied: 12 },
];
