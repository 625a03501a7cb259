import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../shared/config.js';
import { runPult, startHost } from './support/host-process.js';
import { httpCall, QUICK_CONSOLE } from './support/press.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * Signed configuration bundles made and signed by Debian's own `minisign` (the tool IT staff may
 * use), applied with `pult provision` — every refusal leaves the console's config as it was —
 * and taken at once by a running console.
 */
const tempDir = useTempDirs();
const DAY = 86_400_000;

function minisignKey(dir: string, name: string) {
  const pub = path.join(dir, `${name}.pub`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('minisign', ['-G', '-W', '-p', pub, '-s', key], { stdio: 'ignore' });
  return { pub, key };
}

async function consoleRig() {
  const dir = tempDir();
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      ...QUICK_CONSOLE,
      office: { ...DEMO_CONFIG.office, id: 'mfc-1' },
      window: { id: 'w-1', label: '1' },
    }),
  );
  const dataDir = path.join(dir, 'data');
  expect((await runPult(['init', '--config', config, '--data-dir', dataDir])).code).toBe(0);
  const trusted = minisignKey(dir, 'trusted');
  const other = minisignKey(dir, 'other');
  let made = 0;
  /** A bundle file, signed by minisign with `key` unless told otherwise. */
  const bundle = (fields: Record<string, unknown>, key = trusted.key) => {
    const file = path.join(dir, `bundle-${++made}.json`);
    const body = {
      format: 'pult-config/1',
      version: 1,
      expires: new Date(Date.now() + DAY).toISOString(),
      targets: { offices: ['mfc-1'] },
      config: { window: { label: 'Окно 7' } },
      ...fields,
    };
    fs.writeFileSync(file, JSON.stringify(body, null, 2));
    execFileSync('minisign', ['-S', '-s', key, '-m', file], { stdio: 'ignore' });
    return file;
  };
  const provisionedFile = path.join(dataDir, 'provisioned.json');
  const provision = (file: string, trust = trusted.pub) =>
    runPult(['provision', file, '--config', config, '--data-dir', dataDir, '--trust', trust]);
  const status = async () =>
    JSON.parse((await runPult(['status', '--json', '--config', config, '--data-dir', dataDir])).stdout) as Record<
      string,
      unknown
    >;
  return { dir, config, dataDir, trusted, other, bundle, provision, provisionedFile, status };
}

describe('pult provision', () => {
  it('refuses, with one line naming why and the config unchanged: tampered, wrong key, untrusted key, expired, invalid, not for it', async () => {
    const rig = await consoleRig();
    const tampered = rig.bundle({});
    fs.writeFileSync(tampered, fs.readFileSync(tampered, 'utf8').replace('Окно 7', 'Окно 8'));
    // Signed by the other key, but claiming the trusted key's id.
    const forged = rig.bundle({}, rig.other.key);
    const lines = fs.readFileSync(`${forged}.minisig`, 'utf8').split('\n');
    const trustedId = Buffer.from(fs.readFileSync(rig.trusted.pub, 'utf8').split('\n')[1]!, 'base64').subarray(2, 10);
    const sig = Buffer.from(lines[1]!, 'base64');
    trustedId.copy(sig, 2);
    lines[1] = sig.toString('base64');
    fs.writeFileSync(`${forged}.minisig`, lines.join('\n'));
    const cases: [string, string, RegExp][] = [
      ['a byte changed after signing', tampered, /signature does not match/],
      ['another key under a trusted key id', forged, /signature does not match/],
      ['a key it does not trust', rig.bundle({}, rig.other.key), /which this console does not trust/],
      ['expired', rig.bundle({ expires: new Date(Date.now() - 1_000).toISOString() }), /expired at/],
      ['a config the schema refuses', rig.bundle({ config: { flow: [{ type: 'stars' }] } }), /config is not valid here: flow/],
      ['another office', rig.bundle({ targets: { offices: ['mfc-9'] } }), /do not name this console/],
      [
        'another device',
        rig.bundle({ targets: { devices: ['0191d2d4-0000-7000-8000-000000000000'] } }),
        /do not name this console/,
      ],
      ['not a bundle', rig.bundle({ format: 'pult-config/0' }), /not a pult-config\/1 bundle/],
    ];
    for (const [what, file, reason] of cases) {
      const { code, stderr } = await rig.provision(file);
      expect(code, what).toBe(2);
      expect(stderr.trim().split('\n'), what).toHaveLength(1);
      expect(stderr, what).toMatch(reason);
      expect(stderr, what).toContain('config is unchanged');
      expect(fs.existsSync(rig.provisionedFile), what).toBe(false);
    }
    const missing = rig.bundle({});
    fs.rmSync(`${missing}.minisig`);
    expect((await rig.provision(missing)).stderr).toMatch(/minisig is missing/);
    expect(await rig.status()).toMatchObject({ configVersion: null, configRefused: expect.stringContaining('not_a_bundle') });
  }, 60_000);

  it('applies a newer bundle, refuses a replay or an older one, and says which version is in force', async () => {
    const rig = await consoleRig();
    const second = rig.bundle({ version: 2 });
    const applied = await rig.provision(second);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/version 2 in force/);
    for (const file of [second, rig.bundle({ version: 1 })]) {
      const replay = await rig.provision(file);
      expect(replay.code).toBe(2);
      expect(replay.stderr).toMatch(/not higher than the one in force \(2\)/);
    }
    expect(await rig.status()).toMatchObject({ configSource: rig.config, configVersion: 2 });
    // The stored bundle is the one signed: minisign checks it again.
    const stored = JSON.parse(fs.readFileSync(rig.provisionedFile, 'utf8')) as { bundle: string; signature: string };
    fs.writeFileSync(path.join(rig.dir, 'audit.json'), stored.bundle);
    fs.writeFileSync(path.join(rig.dir, 'audit.json.minisig'), stored.signature);
    execFileSync('minisign', ['-V', '-p', rig.trusted.pub, '-m', path.join(rig.dir, 'audit.json')], { stdio: 'ignore' });
  }, 60_000);

  it('a running console takes it at once (its screens redraw) and keeps it after a restart', async () => {
    const rig = await consoleRig();
    const args = ['--config', rig.config, '--data-dir', rig.dataDir, '--trust', rig.trusted.pub];
    let host = await startHost(args);
    const label = async () => {
      const reply = await httpCall(host.url)('getConsole', {});
      return reply.ok ? (reply.value as { window: { label: string } }).window.label : null;
    };
    try {
      expect(await label()).toBe('1');
      // A PIN-less console beside it: `pult provision` works while the console holds its data directory.
      expect((await rig.provision(rig.bundle({ version: 3 }))).code).toBe(0);
      await vi.waitFor(async () => expect(await label()).toBe('Окно 7'), { timeout: 10_000, interval: 100 });
      await host.stop();
      host = await startHost(args);
      expect(await label()).toBe('Окно 7');
    } finally {
      await host.stop();
    }
  }, 60_000);

  it('pult keys generate and pult sign make what minisign verifies, and what a console trusts from <data-dir>/keys', async () => {
    const rig = await consoleRig();
    const made = await runPult(['keys', 'generate', '--out', path.join(rig.dataDir, 'keys'), '--name', 'region']);
    expect(made.code).toBe(0);
    const secret = path.join(rig.dataDir, 'keys', 'region.key');
    expect(fs.statSync(secret).mode & 0o077).toBe(0);
    const file = rig.bundle({ version: 5 });
    fs.rmSync(`${file}.minisig`);
    expect((await runPult(['sign', file, '--key', secret])).code).toBe(0);
    execFileSync('minisign', ['-V', '-p', path.join(rig.dataDir, 'keys', 'region.pub'), '-m', file], { stdio: 'ignore' });
    // No --trust: the key in <data-dir>/keys is trusted.
    const applied = await runPult(['provision', file, '--config', rig.config, '--data-dir', rig.dataDir]);
    expect(applied.stdout).toMatch(/version 5 in force/);
    // minisign's own unencrypted keys sign too.
    const other = rig.bundle({ version: 6 });
    fs.rmSync(`${other}.minisig`);
    expect((await runPult(['sign', other, '--key', rig.trusted.key])).code).toBe(0);
    execFileSync('minisign', ['-V', '-p', rig.trusted.pub, '-m', other], { stdio: 'ignore' });
  }, 60_000);

  it('pult status still reports the answers when the config file is broken, and names the problem', async () => {
    const rig = await consoleRig();
    fs.writeFileSync(rig.config, '{ "office": ');
    const status = JSON.parse(
      (await runPult(['status', '--json', '--config', rig.config, '--data-dir', rig.dataDir])).stdout,
    ) as Record<string, unknown>;
    expect(status).toMatchObject({
      answers: 0,
      configSource: null,
      configVersion: null,
      configProblem: expect.stringContaining(rig.config),
    });
  }, 60_000);
});
