import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDevice } from '../../collector/tokens.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { startCluster, type Cluster } from '../support/postgres.js';

/**
 * Two `pult collector serve` processes on one PostgreSQL (as behind a load balancer) receive the
 * same batch at the same moment: one row per answer, one `accepted`, one `duplicate`, never a 500.
 */

describe('two collector processes on one PostgreSQL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-two-'));
  const tokens = path.join(dir, 'tokens.json');
  const deviceId = crypto.randomUUID();
  let cluster: Cluster;
  let collectors: { url: string; stop: () => Promise<void> }[] = [];
  let token = '';

  beforeAll(async () => {
    cluster = await startCluster();
    token = addDevice(tokens, deviceId);
    collectors = await Promise.all([0, 1].map(() => startCollectorProcess(['--db', cluster.url, '--tokens', tokens])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
    cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the same batch at the same moment: one accepted and one duplicate per answer, never a 500', async () => {
    const bootId = crypto.randomUUID();
    for (let round = 0; round < 10; round++) {
      const answers = Array.from({ length: 50 }, (_, i) => ({
        id: crypto.randomUUID(),
        seq: round * 50 + i + 1,
        responseId: crypto.randomUUID(),
        question: 'nps',
        value: i % 11,
        locale: 'ru',
        source: 'touch',
        flags: [],
        createdAt: Date.now(),
        monoMs: i,
        bootId,
      }));
      const body = JSON.stringify({
        schema: 1,
        device: { id: deviceId, office: 'o', window: 'w', appVersion: '0.1.0', bootId },
        batchId: crypto.randomUUID(),
        sentAt: Date.now(),
        answers,
      });
      const replies = await Promise.all(
        collectors.map((c) =>
          fetch(`${c.url}v1/batches`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      const verdicts = (await Promise.all(replies.map((r) => r.json()))) as { accepted: string[]; duplicate: string[] }[];
      const ids = answers.map((a) => a.id).sort();
      expect(verdicts.flatMap((v) => v.accepted).sort()).toEqual(ids);
      expect(verdicts.flatMap((v) => v.duplicate).sort()).toEqual(ids);
    }
  }, 60_000);
});
