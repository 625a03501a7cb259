import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startHost, stopProcess } from '../support/host-process.js';
import { useTempDirs } from '../support/temp-dir.js';
import { csiAnswer } from '../support/answers.js';

/**
 * The promise at the heart of Pult: an answer whose call resolved survives the process being
 * killed at any moment. Real process, real file, SIGKILL — no mocks. Each round starts the host,
 * has several clients record answers as fast as they can, kills the host at a random moment,
 * and then checks every acknowledged answer is in the file, once, and the file is sound.
 */
const ROUNDS = 12;
const CLIENTS = 4;

const tempDir = useTempDirs();

async function recordUntilKilled(url: string, acked: Set<string>, sent: { count: number }): Promise<void> {
  for (;;) {
    const answer = csiAnswer(1 + (sent.count++ % 5));
    let response: Response;
    try {
      response = await fetch(`${url}api/recordAnswer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
    } catch {
      return; // the host is gone
    }
    const result = (await response.json().catch(() => null)) as { ok: boolean; value: { id: string } } | null;
    if (result?.ok) acked.add(result.value.id);
  }
}

describe('durability under SIGKILL', () => {
  it(`loses no acknowledged answer over ${ROUNDS} kills`, async () => {
    const dataDir = tempDir();
    const acked = new Set<string>();
    const sent = { count: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const host = await startHost(['--data-dir', dataDir]);
      const clients = Array.from({ length: CLIENTS }, () => recordUntilKilled(host.url, acked, sent));
      const ackedBefore = acked.size;
      // Kill once this round has stored something, after a random further delay.
      while (acked.size === ackedBefore) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await stopProcess(host.child, 'SIGKILL');
      await Promise.all(clients);
    }

    const db = new Database(path.join(dataDir, 'pult.sqlite'));
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
      const stored = new Set(db.prepare('SELECT id FROM answers').pluck().all() as string[]);
      const lost = [...acked].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect(acked.size).toBeGreaterThan(ROUNDS);
      // Every stored answer has its outbox entry: none can be forgotten by the sync.
      expect(db.prepare('SELECT count(*) FROM answers a LEFT JOIN outbox o USING (seq) WHERE o.seq IS NULL').pluck().get()).toBe(
        0,
      );
      const seqs = db.prepare('SELECT seq FROM answers ORDER BY seq').pluck().all() as number[];
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      db.close();
    }
  }, 120_000);
});
