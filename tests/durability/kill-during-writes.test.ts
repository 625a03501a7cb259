import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEMO_CONFIG } from '../../shared/config.js';
import { startHost, stopProcess } from '../support/host-process.js';
import { useTempDirs } from '../support/temp-dir.js';
import { httpCall, QUICK_CONSOLE, tap } from '../support/press.js';

/**
 * The promise at the heart of Pult: an answer whose call resolved survives the process being
 * killed at any moment. Real process, real file, SIGKILL — no mocks. Each round starts the host,
 * has several screens press answers as fast as they can, kills the host at a random moment,
 * and then checks every acknowledged answer is in the file, once, and the file is sound.
 */
const ROUNDS = 12;
const CLIENTS = 4;

const tempDir = useTempDirs();

async function pressUntilKilled(url: string, acked: Set<string>, sent: { count: number }): Promise<void> {
  const call = httpCall(url);
  for (;;) {
    let reply: Awaited<ReturnType<typeof tap>>;
    try {
      reply = await tap(call, 1 + (sent.count++ % 5));
    } catch {
      return; // the host is gone
    }
    if (reply.outcome === 'stored' && reply.answer) acked.add(reply.answer.id);
  }
}

describe('durability under SIGKILL', () => {
  it(`loses no acknowledged answer over ${ROUNDS} kills`, async () => {
    const dataDir = tempDir();
    const config = path.join(tempDir(), 'console.json');
    fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE }));
    const acked = new Set<string>();
    const sent = { count: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const host = await startHost(['--config', config, '--data-dir', dataDir]);
      const clients = Array.from({ length: CLIENTS }, () => pressUntilKilled(host.url, acked, sent));
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
