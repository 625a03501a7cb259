import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../shared/config.js';
import { LATEST_SCHEMA_VERSION } from '../core/storage/migrations.js';
import { spawnSync } from 'node:child_process';
import { PULT_BIN, runPult, startHost } from './support/host-process.js';
import { httpCall, QUICK_CONSOLE, tapWhenSettled } from './support/press.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * The electronic queue tells a real `pult serve` whose ticket is served at its window; a rating
 * while that ticket's rating is open carries the ticket and the operator, into the export and the
 * wire. Events that do not fit are answered, never stored as a visit.
 */
const tempDir = useTempDirs();
const TOKEN = 'queue-token-0123456789abcdef';

function consoleWithQueue(queue: Record<string, unknown> = {}) {
  const dir = tempDir();
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      ...QUICK_CONSOLE,
      window: { id: 'w-5', label: '5' },
      queue: { token: TOKEN, windowMs: 60_000, ...queue },
      supervisor: { exportOperators: true },
    }),
  );
  const dataDir = path.join(dir, 'data');
  const args = ['--config', config, '--data-dir', dataDir];
  const rows = async () =>
    (await runPult(['export', ...args, '--format', 'jsonl'])).stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as {
            ticket: string | null;
            operator_id: string | null;
            service_id: string | null;
            value: number;
            flags: string[];
          },
      );
  return { args, rows };
}

const post = (url: string, body: unknown, token: string | null = TOKEN, route = 'events') =>
  fetch(new URL(`queue/v1/${route}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
const event = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  ticket: 'А-123',
  operatorId: 'op-7',
  operatorName: 'Иванова И.',
  ...extra,
});

describe('the electronic queue and the console', () => {
  it('a rating while a ticket is served carries the ticket and the operator; before the call and after the next it does not', async () => {
    const rig = consoleWithQueue();
    let host = await startHost(rig.args);
    try {
      const call = httpCall(host.url);
      await tapWhenSettled(call, 3); // no ticket yet: stored unbound
      expect(await (await post(host.url, event('called'))).json()).toMatchObject({
        ok: true,
        value: { outcome: 'applied', ratingOpenFor: null },
      });
      expect(await (await post(host.url, event('started', { serviceId: '7700000010000012345' }))).json()).toMatchObject({
        value: { outcome: 'applied', ratingOpenFor: 'А-123' },
      });
      // The same event twice is applied once; one for another ticket or window changes nothing, and says so.
      expect(await (await post(host.url, event('started', { serviceId: '7700000010000012345' }))).json()).toMatchObject({
        value: { outcome: 'repeated' },
      });
      expect(await (await post(host.url, event('finished', { ticket: 'Б-9' }))).json()).toMatchObject({
        value: { outcome: 'ignored', reason: 'not_current', ratingOpenFor: 'А-123' },
      });
      expect(await (await post(host.url, event('called', { window: 'w-6', ticket: 'В-1' }))).json()).toMatchObject({
        value: { outcome: 'ignored', reason: 'other_window' },
      });
      await tapWhenSettled(call, 5);

      // A restart in the middle of an open ticket keeps it open.
      await host.stop();
      host = await startHost(rig.args);
      await tapWhenSettled(httpCall(host.url), 4);
      expect(await (await post(host.url, event('noshow'))).json()).toMatchObject({
        value: { outcome: 'applied', ratingOpenFor: null },
      });
      await tapWhenSettled(httpCall(host.url), 2);
    } finally {
      await host.stop();
    }
    const csi = (await rig.rows()).map((row) => [row.value, row.ticket, row.operator_id, row.service_id]);
    expect(csi).toEqual([
      [3, null, null, null],
      [5, 'А-123', 'op-7', '7700000010000012345'],
      [4, 'А-123', 'op-7', '7700000010000012345'],
      [2, null, null, null],
    ]);
  }, 60_000);

  it('refuses an event without the token, with a wrong one, or one that is not an event — and keeps nothing of it', async () => {
    const rig = consoleWithQueue();
    const host = await startHost(rig.args);
    try {
      expect((await post(host.url, event('called'), null)).status).toBe(401);
      expect((await post(host.url, event('called'), `${TOKEN}x`)).status).toBe(401);
      const bad = await post(host.url, { type: 'served', ticket: 'А-1' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toMatch(/type|operatorId/);
      expect(await (await post(host.url, event('started'))).json()).toMatchObject({
        value: { outcome: 'ignored', reason: 'not_current' },
      });
      await tapWhenSettled(httpCall(host.url), 5);
    } finally {
      await host.stop();
    }
    expect((await rig.rows()).map((row) => row.ticket)).toEqual([null]);
  }, 60_000);

  it('pult queue-sim drives the console as a queue system would: c calls the next ticket, s starts it', async () => {
    const rig = consoleWithQueue();
    const host = await startHost(rig.args);
    try {
      const sim = spawnSync(
        process.execPath,
        [PULT_BIN, 'queue-sim', '--url', host.url, '--token', TOKEN, '--operator', 'op-3'],
        {
          input: 'c\ns\nq\n',
          encoding: 'utf8',
          env: { ...process.env, PULT_LANG: 'en' },
          timeout: 20_000,
        },
      );
      expect(sim.status, sim.stderr).toBe(0);
      expect(sim.stdout).toMatch(/started А-101 → HTTP 200 .*"ratingOpenFor":"А-101"/);
      await tapWhenSettled(httpCall(host.url), 5);
    } finally {
      await host.stop();
    }
    expect((await rig.rows()).map((row) => [row.ticket, row.operator_id])).toEqual([['А-101', 'op-3']]);
  }, 60_000);

  it('a database from before the service column is exported as it is (read-only) and gets the column at the next start', async () => {
    const rig = consoleWithQueue();
    let host = await startHost(rig.args);
    await tapWhenSettled(httpCall(host.url), 5);
    await host.stop();
    const file = path.join(rig.args[3]!, 'pult.sqlite');
    const db = new Database(file);
    db.exec('ALTER TABLE answers DROP COLUMN service_id');
    db.pragma('user_version = 8');
    db.close();
    expect((await rig.rows()).map((row) => [row.value, row.service_id])).toEqual([[5, null]]);
    host = await startHost(rig.args);
    await host.stop();
    const migrated = new Database(file, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect((migrated.pragma('table_info(answers)') as { name: string }[]).map((c) => c.name)).toContain('service_id');
    migrated.close();
  }, 60_000);

  it('Qmatic Orchestra: its visit events, translated, bind the rating to the visit, staff member and service', async () => {
    const rig = consoleWithQueue({ servicePoint: '5' });
    const host = await startHost(rig.args);
    const orchestra = (evnt: string, prm: Record<string, unknown> = {}) =>
      post(
        host.url,
        {
          E: {
            evnt,
            prm: {
              visitId: 4711,
              ticket: 'A017',
              servicePointId: 5,
              serviceExternalId: '7700000010000000001',
              userId: 12,
              ...prm,
            },
          },
        },
        TOKEN,
        'qmatic',
      ).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown }));
    try {
      expect((await orchestra('VISIT_CREATE')).body).toMatchObject({ value: { outcome: 'ignored', reason: 'not_mapped' } });
      expect((await orchestra('VISIT_CALL')).body).toMatchObject({ value: { outcome: 'applied', ratingOpenFor: null } });
      expect((await orchestra('VISIT_CALL', { servicePointId: 6, ticket: 'B1' })).body).toMatchObject({
        value: { outcome: 'ignored', reason: 'other_window' },
      });
      expect((await orchestra('VISIT_CONFIRM')).body).toMatchObject({ value: { outcome: 'applied', ratingOpenFor: 'A017' } });
      const bad = await orchestra('VISIT_END', { ticket: undefined });
      expect(bad).toMatchObject({ status: 400, body: { error: { message: 'prm.ticket: the event names no ticket' } } });
      await tapWhenSettled(httpCall(host.url), 4);
      expect((await post(host.url, {}, TOKEN, 'nonsense')).status).toBe(404);
    } finally {
      await host.stop();
    }
    expect((await rig.rows()).map((row) => [row.value, row.ticket, row.operator_id, row.service_id])).toEqual([
      [4, 'A017', '12', '7700000010000000001'],
    ]);
  }, 60_000);

  it("the polling adapter reads a queue's ticket export; a restart reads the same export and applies nothing twice", async () => {
    const tickets: Record<string, unknown>[] = [];
    let reads = 0;
    const exporter = http.createServer((request, response) => {
      reads++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ tickets }));
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/tickets`;
    const rig = consoleWithQueue({ poll: { url, everyMs: 1_000, listAt: 'tickets' } });
    // JSON lines as under systemd: the core's own events (each queue event applied) are in the output.
    const journal = { PULT_LOG_FORMAT: 'json' };
    let host = await startHost(rig.args, journal);
    const readsFrom = async (count: number) => {
      const from = reads;
      await vi.waitFor(() => expect(reads).toBeGreaterThanOrEqual(from + count), { timeout: 10_000 });
    };
    try {
      tickets.push({ ticket: 'А-5', visitId: 'v5', window: 'w-5', operatorId: 'op-2', status: 'serving', at: Date.now() });
      tickets.push({ ticket: 'Б-1', visitId: 'b1', window: 'w-6', operatorId: 'op-9', status: 'serving', at: Date.now() });
      const call = httpCall(host.url);
      await vi.waitFor(async () => expect(await call('getSession', {})).toMatchObject({ value: { ticket: { number: 'А-5' } } }), {
        timeout: 10_000,
      });
      await tapWhenSettled(call, 5);
      tickets[0]!.status = 'finished';
      await readsFrom(2);
      await host.stop();
      const applied = (output: string) => output.match(/"msg":"queue event"/g)?.length ?? 0;
      const polled = (output: string) => output.match(/"msg":"queue export moved a ticket on"/g)?.length ?? 0;
      expect(applied(host.output())).toBe(3); // called, started, finished: each once
      expect(polled(host.output())).toBe(2); // serving (called + started), then finished
      host = await startHost(rig.args, journal);
      await readsFrom(2);
      expect([applied(host.output()), polled(host.output())]).toEqual([0, 0]);
      // Still open for the rest of its window: a second response for the ticket is a repeat.
      await tapWhenSettled(httpCall(host.url), 2);
    } finally {
      await host.stop();
      exporter.close();
    }
    const rows = await rig.rows();
    expect(rows.map((row) => [row.value, row.ticket, row.operator_id, row.flags])).toEqual([
      [5, 'А-5', 'op-2', []],
      [2, 'А-5', 'op-2', ['repeat']],
    ]);
  }, 60_000);
});
