import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { operatorStats, periodStats, windowStats } from '../stats.js';
import { DATABASE_FILE, openWritable } from './database.js';
import { ledger } from './ledger.js';
import { countersTable } from './counters.js';
import { asReadable } from './readable.js';
import { lastCsiScores } from './stats-queries.js';
import { syncOutbox } from './sync-outbox.js';

/**
 * The tap path and the statistics must not read more as the console ages (a million answers):
 * no statement they prepare may walk the answers table. Asserted on SQLite's own plan
 * (`EXPLAIN QUERY PLAN`), not on a comment's word.
 */
const tempDir = useTempDirs();

/** Every statement `use` prepares on `db`. */
function prepared(db: Database.Database, use: () => void): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof db.prepare;
  try {
    use();
  } finally {
    db.prepare = prepare;
  }
  return seen;
}

/** SQLite's plan of a statement, its parameters bound to null (the plan does not depend on them). */
function plan(db: Database.Database, sql: string): string[] {
  const named = [...new Set([...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (
    named.length > 0
      ? statement.all(Object.fromEntries(named.map((name) => [name, null])))
      : statement.all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null))
  ) as { detail: string }[];
  return rows.map((row) => row.detail);
}

const walksAnswers = (detail: string) => /^SCAN answers\b/.test(detail);

function freshDb(): Database.Database {
  const dir = tempDir();
  fs.mkdirSync(dir, { recursive: true });
  return openWritable(path.join(dir, DATABASE_FILE), {});
}

describe('query plans: nothing on the tap path or in the statistics walks the answers table', () => {
  it('the tap: the answer, its outbox row, its rollups, the press look-up, the counters', () => {
    const db = freshDb();
    const statements = prepared(db, () => {
      ledger(db, 'Europe/Moscow');
      countersTable(db);
    });
    expect(statements.length).toBeGreaterThan(5);
    for (const sql of statements) expect({ sql, plan: plan(db, sql).filter(walksAnswers) }).toEqual({ sql, plan: [] });
    db.close();
  });

  it("the sync's look-ups by batch search the batch index, which holds no row a tap has just added", () => {
    const db = freshDb();
    const byBatch = prepared(db, () => syncOutbox(db)).filter((sql) => /(WHERE|AND) (o\.)?batch_id = [?b]/.test(sql));
    expect(byBatch.length).toBeGreaterThanOrEqual(4);
    const plans = byBatch.map((sql) => ({ sql, plan: plan(db, sql).filter((detail) => /\b(outbox|o)\b/.test(detail)) }));
    // Each one searches (by the batch index or by seq), none walks the outbox.
    for (const { sql, plan } of plans)
      expect({ sql, walks: plan.filter((detail) => !detail.startsWith('SEARCH')) }).toEqual({ sql, walks: [] });
    expect(
      plans.filter(({ plan }) => plan.some((detail) => detail.includes('INDEX outbox_by_batch (batch_id=?'))).length,
    ).toBeGreaterThanOrEqual(3);
    const index = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox_by_batch'").pluck().get();
    expect(index).toMatch(/WHERE batch_id IS NOT NULL/);
    db.close();
  });

  it("the supervisor's figures (a period, every window) and the alerts' last CSI scores", () => {
    const db = freshDb();
    const period = { from: '2026-11-01', to: '2026-11-30', windowId: 'w1' };
    const statements = prepared(db, () => {
      periodStats(asReadable(db), period);
      windowStats(asReadable(db), period);
      lastCsiScores(asReadable(db), 'w1', 3);
    });
    expect(statements.length).toBeGreaterThan(3);
    for (const sql of statements) expect({ sql, plan: plan(db, sql).filter(walksAnswers) }).toEqual({ sql, plan: [] });
    db.close();
  });

  it("the operators' figures read a range of the operator rollups, never the whole table", () => {
    const db = freshDb();
    const statements = prepared(db, () => {
      operatorStats(asReadable(db), { from: '2026-11-01', to: '2026-11-30', criterion: 'csi', priorStrength: 40 });
    }).filter((sql) => sql.includes('operator_rollups'));
    expect(statements).toHaveLength(2);
    for (const sql of statements)
      expect(plan(db, sql).filter((detail) => detail.includes('operator_rollups'))).toEqual([
        expect.stringMatching(
          /^SEARCH operator_rollups USING PRIMARY KEY \(unit=\? AND question=\? AND bucket>\? AND bucket<\?\)/,
        ),
      ]);
    db.close();
  });

  it('can fail: a query that walks the answers table is caught', () => {
    const db = freshDb();
    expect(plan(db, "SELECT count(*) FROM answers WHERE comment = 'x'").some(walksAnswers)).toBe(true);
    db.close();
  });
});
