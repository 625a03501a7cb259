import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PULT_BIN } from './support/host-process.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * `pult serve --host <LAN address>`: the supervisor's browser reaches the LAN address, and the
 * kiosk on the console itself still opens http://127.0.0.1:7300. Tested inside a network namespace
 * this test makes (`unshare -n`, root), with a second address of its own on its loopback device.
 */
const tempDir = useTempDirs();
const canNamespace = process.getuid?.() === 0 && process.platform === 'linux';
const LAN = '10.77.0.1';

describe.skipIf(!canNamespace && !process.env.CI)('pult serve --host on a LAN address', () => {
  it('listens on that address and on loopback', async () => {
    const dataDir = tempDir();
    const probe = path.join(tempDir(), 'probe.mjs');
    // Inside the namespace: start the console, wait for its ready line, ask both addresses, stop it.
    fs.writeFileSync(
      probe,
      `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, [${JSON.stringify(PULT_BIN)}, 'serve', '--host', '${LAN}', '--port', '7301', '--data-dir', ${JSON.stringify(dataDir)}], { env: { ...process.env, PULT_LANG: 'en' }, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
await new Promise((resolve, reject) => {
  child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('console ready at')) resolve(); });
  child.once('exit', () => reject(new Error('exited: ' + out)));
});
const answer = async (url) => { try { const r = await fetch(url, { redirect: 'manual' }); return r.status; } catch (e) { return String(e.cause?.code ?? e); } };
const result = { loopback: await answer('http://127.0.0.1:7301/healthz'), lanAdmin: await answer('http://${LAN}:7301/admin'), lanRoot: await answer('http://${LAN}:7301/') };
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
console.log(JSON.stringify(result));
`,
    );
    const child = spawn(
      'unshare',
      ['-n', 'sh', '-c', `ip link set lo up && ip addr add ${LAN}/32 dev lo && exec "${process.execPath}" "${probe}"`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toMatchObject({ code: 0 });
    // From the LAN address itself the caller is not loopback: /admin is served, / is sent to /admin.
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ loopback: 200, lanAdmin: 200, lanRoot: 302 });
  }, 60_000);
});
