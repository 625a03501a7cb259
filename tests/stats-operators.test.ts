import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../shared/config.js';
import { runPult } from './support/host-process.js';
import { seedOperators, TEN_OPERATORS } from './support/operators.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * `pult stats --by operator` and `pult export --format xlsx` as IT staff and scripts run them,
 * against a console seeded with ten operators (the tap's own ledger, so the real rollups).
 */
const tempDir = useTempDirs();
const NOON = Date.parse('2026-11-18T09:00:00Z'); // 12:00 Moscow
const DAY = '2026-11-18';

async function seeded() {
  const dataDir = tempDir();
  await seedOperators(dataDir, TEN_OPERATORS, { atMs: NOON, unbound: 4, repeats: 1 });
  return dataDir;
}

describe('pult stats --by operator', () => {
  it('--json: each operator flat, as a KPI sheet takes it, ranked ones first with a place', async () => {
    const dataDir = await seeded();
    const run = await runPult(['stats', '--data-dir', dataDir, '--by', 'operator', '--from', DAY, '--to', DAY, '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as {
      operators: {
        operatorId: string;
        n: number;
        satisfied: number;
        share: number;
        interval: { low: number; high: number };
        shrunk: number;
        ranked: boolean;
        place: number | null;
      }[];
      pooledShare: number;
      unbound: number;
      repeats: number;
    };
    const k = TEN_OPERATORS.reduce((sum, o) => sum + o.satisfied, 0);
    const n = TEN_OPERATORS.reduce((sum, o) => sum + o.n, 0);
    expect(stats.pooledShare).toBeCloseTo(k / n, 12);
    expect(stats).toMatchObject({ unbound: 4, repeats: 1 });
    const busy = stats.operators.find((o) => o.operatorId === 'op-01')!;
    expect(busy).toMatchObject({ n: 400, satisfied: 372, share: 0.93, ranked: true });
    expect(busy.shrunk).toBeCloseTo((372 + (k / n) * 40) / 440, 12);
    expect(stats.operators.find((o) => o.operatorId === 'op-10')).toMatchObject({ n: 12, ranked: false, place: null });
    expect(stats.operators.filter((o) => o.ranked).map((o) => o.place)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('for people: a line per operator and per service; a wrong --by or --criterion is named, exit 2', async () => {
    const dataDir = await seeded();
    const run = await runPult(['stats', '--data-dir', dataDir, '--by', 'operator', '--from', DAY, '--to', DAY], {
      PULT_LANG: 'en',
    });
    expect(run.stdout).toMatch(/^\d\. Иванова А\. С\. \(op-01\): 400 ratings, mean 4\.33, satisfied 93\.0 %/m);
    expect(run.stdout).toMatch(/^— Фёдоров К\. Л\. \(op-10\): 12 ratings.*\(few data\)$/m);
    expect(run.stdout).toContain('service Паспорт РФ: 400 ratings');
    expect(run.stdout).toContain("ratings without a ticket (in no operator's figures): 4");
    const by = await runPult(['stats', '--data-dir', dataDir, '--by', 'window'], { PULT_LANG: 'en' });
    expect([by.code, by.stderr]).toEqual([2, expect.stringContaining('--by: "window" is not a grouping')]);
    const criterion = await runPult(['stats', '--data-dir', dataDir, '--by', 'operator', '--criterion', 'ces'], {
      PULT_LANG: 'en',
    });
    expect([criterion.code, criterion.stderr]).toEqual([2, expect.stringContaining('--criterion: "ces" is not a criterion')]);
  });
});

describe('pult export --format xlsx', () => {
  it('a workbook with readable column names in the reader language, no operators unless the config allows', async () => {
    const dataDir = await seeded();
    const dir = tempDir();
    const file = path.join(dir, 'answers.xlsx');
    const run = await runPult(['export', '--data-dir', dataDir, '--format', 'xlsx', '--out', file], { PULT_LANG: 'en' });
    expect(run.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Answers')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['No.', 'Question', 'Score', 'Ticket', 'Service (FRGU)', 'Time (UTC)']));
    expect(header).not.toContain('Operator');
    expect(sheet.rowCount - 1).toBe(TEN_OPERATORS.reduce((sum, o) => sum + o.n, 0) + 5);

    const config = path.join(dir, 'console.json');
    fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, supervisor: { exportOperators: true } }));
    const jsonl = await runPult(['export', '--config', config, '--data-dir', dataDir, '--format', 'jsonl']);
    expect(JSON.parse(jsonl.stdout.split('\n')[0]!)).toMatchObject({ operator_id: 'op-01' });
    const plain = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl']);
    expect(JSON.parse(plain.stdout.split('\n')[0]!)).not.toHaveProperty('operator_id');
  });
});
