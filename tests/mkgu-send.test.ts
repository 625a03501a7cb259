import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import form004 from '../shared/mkgu/form-0.0.4.json' with { type: 'json' };
import { PULT_BIN, runPult, startHost, stopProcess } from './support/host-process.js';
import type { SandboxCounts } from '../cli/mkgu-sandbox.js';
import { seedCriteria, type SeededResponse } from './support/mkgu.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * Delivery of the ИАС МКГУ packets (issue 19): `pult mkgu send` and the console in the background
 * against `pult mkgu sandbox` — a real local HTTP endpoint that knows forms by foreign-id and fails
 * on purpose (5xx, 429 with Retry-After, a reply lost after the forms were taken, a reply that
 * never comes while the sender is killed). Each form must reach it in one packet, counted once.
 */
const tempDir = useTempDirs();
const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => stopProcess(child, 'SIGKILL')));
});

/** Starts the sandbox on a free port; resolves with its address once it says where it listens. */
function sandbox(
  faults: string[],
  extra: string[] = [],
): Promise<{ rates: string; form: string; counted: () => Promise<SandboxCounts> }> {
  const child = spawn(process.execPath, [PULT_BIN, 'mkgu', 'sandbox', '--port', '0', '--faults', faults.join(','), ...extra], {
    env: { ...process.env, PULT_LANG: 'en' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(child);
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /packets to (\S+), a form at (\S+);/.exec(line);
      if (!match) return;
      const base = new URL(match[1]!);
      resolve({
        rates: match[1]!,
        form: match[2]!,
        counted: async () => (await (await fetch(new URL('/sandbox', base))).json()) as SandboxCounts,
      });
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
}

/** Polls a condition until it holds (a state, not a sleep), for at most 20 s. */
async function until<T>(read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not so after 20 s: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const responses = (count: number): SeededResponse[] =>
  Array.from({ length: count }, (_, i) => ({ csi: 1 + (i % 5), criteria: { 9: 1 + (i % 5), 11: 5 - (i % 5) } }));

interface PacketRow {
  id: string;
  forms: number;
  status: string;
  attempts: number;
  replyStatus: number | null;
  reply: string | null;
}
const status = async (args: string[]): Promise<PacketRow[]> => {
  const run = await runPult(['mkgu', 'status', ...args, '--json']);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as PacketRow[]).reverse(); // oldest first
};

describe('pult mkgu send: each form delivered exactly once', () => {
  it('through a 5xx, a 429 with Retry-After and a lost reply: three packets, every form counted once, nothing sent twice after', async () => {
    const endpoint = await sandbox(['503', '429', 'lose']);
    const rig = await seedCriteria(tempDir(), responses(25), { endpoint: endpoint.rates, packetForms: 10 });
    const run = await runPult(['mkgu', 'send', ...rig.args, '--for', '60s']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('HTTP 503');
    expect(run.stdout).toContain('HTTP 429');
    expect(run.stdout).toMatch(/every packet is delivered/);

    const counted = await endpoint.counted();
    // Every response's form arrived; only the packet whose reply was lost arrived twice — the same bytes.
    expect(Object.keys(counted.forms).sort()).toEqual([...rig.ids].sort());
    const twice = Object.entries(counted.forms).filter(([, times]) => times > 1);
    expect(twice.map(([id]) => id).sort()).toEqual(rig.ids.slice(0, 10).sort());
    expect(counted.requests).toBe(6);
    expect(new Set(counted.bodies.slice(0, 4)).size).toBe(1);
    // Retry-After: 1 was honoured (the backoff alone would have come sooner).
    expect(counted.at[2]! - counted.at[1]!).toBeGreaterThanOrEqual(950);

    const packets = await status(rig.args);
    expect(packets.map((p) => [p.forms, p.status, p.attempts])).toEqual([
      [10, 'accepted', 4],
      [10, 'accepted', 1],
      [5, 'accepted', 1],
    ]);
    expect(packets[0]!.reply).toContain('<repeated>10</repeated>');

    // Sent again: nothing is resent, no new packet is made.
    const again = await runPult(['mkgu', 'send', ...rig.args]);
    expect(again.code).toBe(0);
    expect((await endpoint.counted()).requests).toBe(6);
    expect(await status(rig.args)).toHaveLength(3);
  });

  it('the sender killed while the endpoint holds the reply: the same packet goes again after the restart, counted once', async () => {
    const endpoint = await sandbox(['hold']);
    const rig = await seedCriteria(tempDir(), responses(3), { endpoint: endpoint.rates, timeoutMs: 60_000 });
    const sender = spawn(process.execPath, [PULT_BIN, 'mkgu', 'send', ...rig.args], { stdio: 'ignore' });
    running.push(sender);
    await until(endpoint.counted, (counted) => counted.requests === 1);
    await stopProcess(sender, 'SIGKILL');
    expect((await status(rig.args)).map((p) => [p.status, p.attempts])).toEqual([['pending', 0]]);

    const run = await runPult(['mkgu', 'send', ...rig.args]);
    expect(run.code).toBe(0);
    const counted = await endpoint.counted();
    expect(counted.requests).toBe(2);
    expect(counted.bodies[0]).toBe(counted.bodies[1]);
    expect(Object.values(counted.forms)).toEqual([2, 2, 2]);
    expect((await status(rig.args)).map((p) => [p.status, p.reply])).toEqual([
      ['accepted', expect.stringContaining('<accepted>0</accepted>')],
    ]);
  });

  it('a packet the endpoint refuses is quarantined with the reply and never sent again; its forms go in no other packet', async () => {
    const endpoint = await sandbox(['400']);
    const rig = await seedCriteria(tempDir(), responses(4), { endpoint: endpoint.rates, packetForms: 2 });
    const run = await runPult(['mkgu', 'send', ...rig.args]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('REJECTED (HTTP 400)');
    const packets = await status(rig.args);
    expect(packets.map((p) => [p.status, p.replyStatus])).toEqual([
      ['rejected', 400],
      ['accepted', 200],
    ]);
    expect(packets[0]!.reply).toBe('<error>sandbox: the packet is refused (scripted)</error>');
    await runPult(['mkgu', 'send', ...rig.args]);
    const counted = await endpoint.counted();
    expect(counted.requests).toBe(2);
    // The refused packet's forms were not taken, and went in no other packet: only the second packet's are counted.
    expect(Object.keys(counted.forms).sort()).toEqual(rig.ids.slice(2).sort());
    const listed = await runPult(['mkgu', 'status', ...rig.args]);
    expect(listed.stdout).toMatch(/forms 2 {2}REJECTED {2}attempts 1 {2}last reply HTTP 400/);
  });

  it('an unreachable endpoint: the send gives up after --for, the packet waits with the error, nothing is lost', async () => {
    const rig = await seedCriteria(tempDir(), responses(2), { endpoint: 'http://127.0.0.1:9/rates' });
    const run = await runPult(['mkgu', 'send', ...rig.args, '--for', '1s']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/1 packet\(s\) still wait to be sent/);
    const [packet] = await status(rig.args);
    expect([packet!.status, packet!.forms, packet!.attempts > 0]).toEqual(['pending', 2, true]);
  });
});

describe('the packet as it goes out: signed, or by the office’s signing command', () => {
  it('signKey/signCert in the config: the packet the endpoint received verifies with xmlsec1', async () => {
    const dir = tempDir();
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=pult-test'],
      {
        stdio: 'ignore',
      },
    );
    const endpoint = await sandbox([]);
    const rig = await seedCriteria(dir, responses(2), { endpoint: endpoint.rates, signKey: key, signCert: cert });
    expect((await runPult(['mkgu', 'send', ...rig.args])).code).toBe(0);
    const received = path.join(dir, 'received.xml');
    fs.writeFileSync(received, (await endpoint.counted()).last!);
    const verified = spawnSync(
      'xmlsec1',
      ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', 'http://vashkontrol.ru#:body', received],
      {
        encoding: 'utf8',
      },
    );
    expect([verified.status, verified.stderr]).toEqual([0, expect.stringContaining('OK')]);
  });

  it('signCommand: its output is what is sent; a command that fails is named and nothing is sent or used up', async () => {
    const endpoint = await sandbox([]);
    const dir = tempDir();
    const marked = await seedCriteria(dir, responses(1), {
      endpoint: endpoint.rates,
      signCommand: ['sed', 's/ID="mkgu"/ID="mkgu" signed-by="gost-provider"/'],
    });
    expect((await runPult(['mkgu', 'send', ...marked.args])).code).toBe(0);
    expect((await endpoint.counted()).last).toContain('signed-by="gost-provider"');

    const broken = await seedCriteria(tempDir(), responses(1), {
      endpoint: endpoint.rates,
      signCommand: ['sh', '-c', 'echo no licence >&2; exit 3'],
    });
    const run = await runPult(['mkgu', 'send', ...broken.args]);
    expect([run.code, run.stderr]).toEqual([1, expect.stringContaining('the signing command sh failed: exit 3: no licence')]);
    expect(await status(broken.args)).toEqual([]);
    expect((await endpoint.counted()).requests).toBe(1);
  });
});

describe('the console sends in the background', () => {
  it('with mkgu.endpoint set, a running console delivers its forms by itself', async () => {
    const endpoint = await sandbox(['503']);
    const rig = await seedCriteria(tempDir(), responses(3), { endpoint: endpoint.rates });
    const host = await startHost(rig.args, { PULT_LOG_FORMAT: 'json' });
    running.push(host.child);
    const counted = await until(endpoint.counted, (c) => Object.keys(c.forms).length === 3);
    expect(Object.keys(counted.forms).sort()).toEqual([...rig.ids].sort());
    await until(
      () => status(rig.args),
      (rows) => rows[0]?.status === 'accepted',
    );
    expect(host.output()).toContain('"msg":"mkgu packet to be sent again"');
    await until(
      async () => host.output(),
      (output) => output.includes('"msg":"mkgu packet accepted"'),
    );
  });
});

describe('pult mkgu fetch-form: the form in force', () => {
  it('keeps the form it reads; the export then maps by it and refuses a criterion it lacks; a bad form leaves the kept one', async () => {
    const dir = tempDir();
    const { 13: _dropped, ...fewer } = form004.indicators;
    const newer = path.join(dir, 'form-0.0.9.json');
    fs.writeFileSync(newer, JSON.stringify({ ...form004, formVersion: '0.0.9', indicators: fewer }));
    const endpoint = await sandbox([], ['--form', newer]);
    const rig = await seedCriteria(dir, [{ csi: 5, criteria: { 9: 5, 13: 1 } }], { formUrl: endpoint.form });
    const fetched = await runPult(['mkgu', 'fetch-form', ...rig.args]);
    expect([fetched.code, fetched.stdout]).toEqual([0, expect.stringContaining('form 0.0.9 kept')]);
    const out = path.join(dir, 'packet.xml');
    const day = ['--from', '2026-11-18', '--to', '2026-11-18'];
    const refused = await runPult(['mkgu', 'export', ...rig.args, ...day, '--out', out]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('the form 0.0.9 has no indicator 13')]);

    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ formVersion: '1.0', source: 'x', indicators: { 9: [1, 1, 1, 1, 1] } }));
    const other = await sandbox([], ['--form', bad]);
    const refusedForm = await runPult(['mkgu', 'fetch-form', ...rig.args, '--url', other.form]);
    expect([refusedForm.code, refusedForm.stderr]).toEqual([2, expect.stringContaining('five different value ids')]);
    expect(JSON.parse(fs.readFileSync(path.join(rig.dataDir, 'mkgu-form.json'), 'utf8')).formVersion).toBe('0.0.9');
  });
});
