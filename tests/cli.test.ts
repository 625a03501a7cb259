import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../shared/config.js';
import { PULT_BIN, runPult, startHost } from './support/host-process.js';
import { PIN_FILE, PinGate } from '../core/supervisor/pin.js';
import { useTempDirs } from './support/temp-dir.js';
import { httpCall, QUICK_CONSOLE, tap } from './support/press.js';
import { csiAnswer } from './support/answers.js';
import { AnswerInputSchema, type AnswerInput } from '../shared/answer.js';
import { PultConfigSchema } from '../shared/config.js';
import { APP_VERSION } from '../shared/version.js';
import { PultService } from '../core/service.js';

/**
 * A console running in this process with these answers stored (through the core's own store, as
 * its session would: screens can send no comment yet, a queue system will send tickets).
 */
async function consoleWith(dataDir: string, answers: AnswerInput[]): Promise<PultService> {
  const service = await PultService.open({ dataDir, config: PultConfigSchema.parse(DEMO_CONFIG) });
  for (const answer of answers) await service.storeAnswer(AnswerInputSchema.parse(answer), crypto.randomUUID());
  return service;
}

const tempDir = useTempDirs();

const writeConfig = (dir: string, config: unknown): string => {
  const file = path.join(dir, 'console.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
};

const post = async (url: string, method: string, body: unknown) =>
  (
    await fetch(`${url}api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json();

describe('the pult command', () => {
  it('is the package bin, runnable as `npx pult`', () => {
    const run = spawnSync('npx', ['--no-install', 'pult', 'help'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, PULT_LANG: 'en' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/pult export \[--config F\] \[--data-dir D\] --format csv\|jsonl/);
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const result = await runPult(['frobnicate']);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"[\s\S]*usage:/) });
  });

  it('answers --help for itself and for every command, and --version, with exit 0 and nothing started', async () => {
    const general = await runPult(['--help']);
    expect(general.code).toBe(0);
    const commands = [
      'start',
      'serve',
      'init',
      'export',
      'config',
      'status',
      'doctor',
      'stats',
      'collector',
      'ports',
      'box-sim',
      'admin',
    ];
    for (const command of commands) expect(general.stdout).toContain(`pult ${command}`);
    expect((await runPult(['help'])).stdout).toBe(general.stdout);
    for (const command of commands) {
      const dataDir = path.join(tempDir(), 'untouched');
      const asked = await runPult([command, '--help', '--data-dir', dataDir]);
      expect(asked, command).toMatchObject({ code: 0, stdout: expect.stringContaining(`pult ${command}`) });
      expect((await runPult(['help', command])).stdout).toBe(asked.stdout);
      // Asking for help runs nothing: no console started, no data directory made.
      expect(fs.existsSync(dataDir)).toBe(false);
    }
    expect(await runPult(['--version'])).toMatchObject({ code: 0, stdout: `pult ${APP_VERSION}\n` });
    expect(await runPult(['help', 'frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
  });

  it("an unknown option is named, in the IT staff's words", async () => {
    const result = await runPult(['export', '--formt', 'csv']);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/^pult: unknown option --formt\n/) });
  });

  it("speaks Russian on a Russian system: usage, errors, and the config's problems", async () => {
    const russian = { PULT_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'ru_RU.UTF-8' };
    expect(await runPult(['frobnicate'], russian)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/неизвестная команда "frobnicate"[\s\S]*использование:/),
    });
    const file = writeConfig(tempDir(), { ...DEMO_CONFIG, window: { id: 'окно 5', label: '5' }, timeouts: { idleMs: 'soon' } });
    const result = await runPult(['config', 'validate', file], russian);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: ошибка в настройках`);
    expect(result.stderr).toContain('window.id: допустимы 1–64 латинские буквы');
    expect(result.stderr).toContain('timeouts.idleMs: Неверный ввод: ожидалось число');
  });
});

describe('pult config validate', () => {
  it('accepts a valid file', async () => {
    const file = writeConfig(tempDir(), DEMO_CONFIG);
    expect(await runPult(['config', 'validate', file])).toMatchObject({ code: 0, stdout: `${file}: valid\n` });
  });

  it('names the field and exits 2', async () => {
    const file = writeConfig(tempDir(), { ...DEMO_CONFIG, timeouts: { idleMs: 'soon' } });
    const result = await runPult(['config', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('timeouts.idleMs: Invalid input: expected number, received string');
  });

  it('names each setting that would silently misfile or hide real ratings', async () => {
    const file = writeConfig(tempDir(), {
      ...DEMO_CONFIG,
      window: { id: 'w5', label: '   ' },
      language: { default: 'ru', enabled: ['ru', 'en', 'en'] },
      timeouts: { thanksMs: 3_000, guardMs: 5_000 },
    });
    const result = await runPult(['config', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      '  - window.label: must not be empty or only spaces',
      '  - language.enabled: each language may be listed once',
      "  - timeouts.guardMs: must not be longer than thanksMs: the next applicant's answers would all be stored as misuse",
    ]);
  });

  it('says when the file is not JSON', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "office": ');
    const result = await runPult(['config', 'validate', path.join(dir, 'bad.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not valid JSON/);
  });

  it('refuses a path that is not a regular file or is too large, at once (a link to /dev/zero used to be read for ever)', async () => {
    const dir = tempDir();
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    const zero = await runPult(['config', 'validate', path.join(dir, 'zero.json')]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/zero\.json is not a regular file/);
    fs.writeFileSync(path.join(dir, 'huge.json'), ' '.repeat(2 * 1024 * 1024));
    const huge = await runPult(['config', 'validate', path.join(dir, 'huge.json')]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/more than the 1048576 allowed/);
  });

  it('refuses a token file that does not hold a token, naming sync.tokenFile, and never prints its bytes', async () => {
    const dir = tempDir();
    const random = crypto.randomBytes(200 * 1024);
    fs.writeFileSync(path.join(dir, 'token'), random.subarray(0, 3 * 1024));
    const file = writeConfig(dir, { ...DEMO_CONFIG, sync: { endpoint: 'http://127.0.0.1:7400/', tokenFile: 'token' } });
    const garbage = await runPult(['config', 'validate', file]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/sync\.tokenFile: a token is 16–200 printable ASCII/);
    fs.writeFileSync(path.join(dir, 'token'), random);
    const large = await runPult(['config', 'validate', file]);
    expect(large.code).toBe(2);
    expect(large.stderr).toMatch(/sync\.tokenFile: .*more than the 4096 allowed/);
  });
});

describe('pult serve', () => {
  it('refuses a wrong config with exit 2 and writes nothing', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const file = writeConfig(dir, { ...DEMO_CONFIG, language: { default: 'de', enabled: ['ru'] } });
    const result = await runPult(['serve', '--config', file, '--data-dir', dataDir, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/language\.default/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('a second instance on the same data directory says it is in use and exits 3', async () => {
    const dataDir = tempDir();
    const first = await startHost(['--data-dir', dataDir]);
    try {
      const second = await runPult(['serve', '--data-dir', dataDir, '--port', '0']);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/is in use by another Pult process \(pid \d+\)/);
    } finally {
      await first.stop();
    }
  });

  it('on a busy port it fails at once, naming the port, and creates nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const dataDir = path.join(tempDir(), 'not-yet');
    try {
      const result = await runPult(['serve', '--data-dir', dataDir, '--port', String(port)]);
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(new RegExp(`port ${port} on 127.0.0.1 is already in use`)),
      });
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('refuses a database from a newer Pult with exit 4', async () => {
    const dataDir = tempDir();
    const db = new Database(path.join(dataDir, 'pult.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    const result = await runPult(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/schema version 999, written by a newer Pult/);
  });

  it('uses pult.config.json from the data directory, and the demo default without one', async () => {
    const dataDir = tempDir();
    const demo = await startHost(['--data-dir', dataDir]);
    expect(demo.output()).toMatch(/using the built-in demo config/);
    await demo.stop();
    fs.writeFileSync(
      path.join(dataDir, 'pult.config.json'),
      JSON.stringify({ ...DEMO_CONFIG, window: { id: 'w7', label: '7' } }),
    );
    const configured = await startHost(['--data-dir', dataDir]);
    try {
      expect(await post(configured.url, 'getConsole', {})).toMatchObject({
        ok: true,
        value: { window: { id: 'w7', label: '7' } },
      });
    } finally {
      await configured.stop();
    }
  });

  it('moves a corrupt database aside, says so, and keeps serving', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'pult.sqlite'), 'SQLite format 3\0'.padEnd(8192, 'garbage'));
    const host = await startHost(['--data-dir', dataDir]);
    try {
      // stderr and stdout are separate pipes: wait for the warning rather than assume its order.
      await vi.waitFor(() =>
        expect(host.output()).toMatch(/the database was damaged .* moved to .*corrupt.*0 answers were read back/),
      );
      const status = (await post(host.url, 'getStatus', {})) as { value: { storageNotices: { movedTo: string }[] } };
      expect(fs.readFileSync(status.value.storageNotices[0]!.movedTo, 'utf8')).toMatch(/^SQLite format 3/);
      expect(await post(host.url, 'getSession', {})).toMatchObject({ ok: true, value: { screen: { question: 'csi' } } });
    } finally {
      await host.stop();
    }
  });

  it('a database overwritten in place (cp garbage) while serving: every tap acknowledged is exported and survives a restart', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const config = writeConfig(dir, { ...DEMO_CONFIG, ...QUICK_CONSOLE });
    let host = await startHost(['--config', config, '--data-dir', dataDir]);
    const acknowledged: string[] = [];
    try {
      for (let i = 0; i < 20; i++) acknowledged.push((await tap(httpCall(host.url), 1 + (i % 5))).answer!.id);
      const garbage = path.join(dir, 'garbage');
      fs.writeFileSync(garbage, crypto.randomBytes(fs.statSync(path.join(dataDir, 'pult.sqlite')).size));
      expect(spawnSync('cp', [garbage, path.join(dataDir, 'pult.sqlite')]).status).toBe(0);
      for (let i = 0; i < 4; i++) acknowledged.push((await tap(httpCall(host.url), 5)).answer!.id);
      await vi.waitFor(() => expect(host.output()).toMatch(/damaged/));
      const exported = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl']);
      expect(exported.code).toBe(0);
      const ids = exported.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect(ids.sort()).toEqual([...acknowledged].sort());
    } finally {
      await host.stop();
    }
    host = await startHost(['--config', config, '--data-dir', dataDir]);
    try {
      expect(await post(host.url, 'getStatus', {})).toMatchObject({ value: { answersStored: acknowledged.length } });
    } finally {
      await host.stop();
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a read-only data directory is named as read-only, not «unable to open database file»',
    async () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, 'empty'));
      // A read-only bind mount: refused for root as well (EROFS), as a read-only /var/lib/pult would be.
      expect(spawnSync('mount', ['-o', 'bind,ro', dir, dir]).status).toBe(0);
      try {
        for (const dataDir of [path.join(dir, 'empty'), path.join(dir, 'missing')]) {
          const result = await runPult(['serve', '--port', '0', '--data-dir', dataDir]);
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(/read-only file system/);
          expect(result.stderr).toContain(dataDir);
          expect(result.stderr).not.toMatch(/unable to open database file/);
        }
      } finally {
        spawnSync('umount', [dir]);
      }
    },
  );

  it('pult init fixes the device id before the first start; the console then uses it, and status shows the version', async () => {
    const dataDir = path.join(tempDir(), 'new');
    const init = await runPult(['init', '--data-dir', dataDir]);
    expect(init.code).toBe(0);
    const deviceId = /device ([0-9a-f-]{36})/.exec(init.stdout)?.[1];
    expect(deviceId).toBeDefined();
    expect((await runPult(['init', '--data-dir', dataDir])).stdout).toContain(deviceId); // again: the same id
    const status = JSON.parse((await runPult(['status', '--data-dir', dataDir, '--json'])).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ version: APP_VERSION, deviceId, answers: 0 });
    const host = await startHost(['--data-dir', dataDir]);
    try {
      expect(await post(host.url, 'getStatus', {})).toMatchObject({ value: { deviceId } });
    } finally {
      await host.stop();
    }
  });

  it('takes the data directory from $PULT_DATA_DIR', async () => {
    const dataDir = tempDir();
    const host = await startHost([], { PULT_DATA_DIR: dataDir });
    await host.stop();
    expect(fs.existsSync(path.join(dataDir, 'pult.sqlite'))).toBe(true);
  });
});

describe('pult export', () => {
  it('exports CSV (BOM, CRLF, RFC 4180) and JSONL while the console is running', async () => {
    const dataDir = tempDir();
    const first = csiAnswer(5);
    const running = await consoleWith(dataDir, [
      first,
      {
        question: 'reasons',
        reasons: ['waiting_time', 'politeness'],
        comment: 'Долго, "очень", долго,\nи душно',
        responseId: first.responseId,
        locale: 'ru',
        source: 'touch',
      },
      csiAnswer(2, { flags: ['misuse'] }),
    ]);
    try {
      const csv = await runPult(['export', '--data-dir', dataDir, '--format', 'csv']);
      expect(csv.code).toBe(0);
      expect(csv.stdout.startsWith('\uFEFFseq,id,response_id,question,value,reasons,comment')).toBe(true);
      expect(csv.stdout).toContain('\r\n');
      const rows = parseCsv(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.question, r.value, r.flags])).toEqual([
        ['csi', '5', ''],
        ['reasons', '', ''],
        ['csi', '2', 'misuse'],
      ]);
      expect(rows[1]).toMatchObject({
        reasons: 'waiting_time|politeness',
        comment: 'Долго, "очень", долго,\nи душно',
        window_id: 'demo-window-1',
      });

      const jsonl = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl']);
      const lines = jsonl.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { seq: number; reasons: string[] | null });
      expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
      expect(lines[1]!.reasons).toEqual(['waiting_time', 'politeness']);
    } finally {
      await running.close();
    }
  });

  it('filters by --from/--to and rejects a bad date or format with exit 2', async () => {
    const dataDir = tempDir();
    await (await consoleWith(dataDir, [csiAnswer(4)])).close();
    // Today in the office's zone (the demo config's Europe/Moscow), whatever the zone of this machine.
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
    const within = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl', '--from', day, '--to', day]);
    expect(within.stdout.trim().split('\n')).toHaveLength(1);
    const before = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl', '--to', '2020-01-01']);
    expect(before.stdout).toBe('');
    expect((await runPult(['export', '--data-dir', dataDir, '--format', 'xml'])).code).toBe(2);
    const badDate = await runPult(['export', '--data-dir', dataDir, '--format', 'csv', '--from', 'yesterday']);
    expect(badDate).toMatchObject({ code: 2, stderr: expect.stringMatching(/"yesterday" is not a date/) });
    const noSuchDay = await runPult(['export', '--data-dir', dataDir, '--format', 'csv', '--from', '2026-02-30']);
    expect(noSuchDay).toMatchObject({ code: 2, stderr: expect.stringMatching(/--from: "2026-02-30" is not a date/) });
  });

  it('a comment that looks like a spreadsheet formula is exported as text, not as a formula', async () => {
    const dataDir = tempDir();
    const comments = ['=HYPERLINK("http://x","click")', '+1+1', '-2+3', '@SUM(A1)', 'fine, thanks'];
    const answers = comments.map((comment): AnswerInput => ({
      question: 'reasons',
      reasons: ['other'],
      comment,
      responseId: crypto.randomUUID(),
      locale: 'ru',
      source: 'touch',
    }));
    await (await consoleWith(dataDir, answers)).close();
    const csv = await runPult(['export', '--data-dir', dataDir, '--format', 'csv']);
    const rows = parseCsv(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.comment)).toEqual([
      '\'=HYPERLINK("http://x","click")',
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      'fine, thanks',
    ]);
    // JSONL is for programs: the text stays exactly as stored.
    const jsonl = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl']);
    expect(JSON.parse(jsonl.stdout.split('\n')[0]!).comment).toBe('=HYPERLINK("http://x","click")');
  });

  it('ends quietly when the reader closes the pipe (pult export … | head)', async () => {
    const dataDir = tempDir();
    const service = await consoleWith(
      dataDir,
      Array.from({ length: 2_000 }, (_, i) => csiAnswer(1 + (i % 5))),
    );
    await service.close();
    const child = spawn(process.execPath, [PULT_BIN, 'export', '--data-dir', dataDir, '--format', 'jsonl'], {
      env: { ...process.env, PULT_LANG: 'en' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // `head -1` has its line and goes
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('says so when the data directory has no database', async () => {
    const result = await runPult(['export', '--data-dir', tempDir(), '--format', 'csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no Pult database in/);
  });
});

describe('pult admin set-pin', () => {
  /** Runs the command with `input` on stdin, as a provisioning script would pipe it. */
  const withInput = (args: string[], input: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [PULT_BIN, ...args], { env: { ...process.env, PULT_LANG: 'en' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(input);
    });

  it('sets the PIN from stdin (never from the command line), keeps only its hash; the console accepts it', async () => {
    const dataDir = tempDir();
    const set = await withInput(['admin', 'set-pin', '--data-dir', dataDir], '4821\n');
    expect(set).toMatchObject({ code: 0, stdout: expect.stringMatching(/supervisor PIN set/) });
    expect(fs.readFileSync(path.join(dataDir, PIN_FILE), 'utf8')).not.toContain('4821');
    expect(await new PinGate(dataDir).check('4821')).toEqual({ ok: true });
  });

  it('refuses a PIN that is not 4–8 digits, and a missing subcommand, changing nothing', async () => {
    const dataDir = tempDir();
    expect(await withInput(['admin', 'set-pin', '--data-dir', dataDir], '12\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/the PIN must be 4 to 8 digits/),
    });
    expect(fs.existsSync(path.join(dataDir, PIN_FILE))).toBe(false);
    expect((await withInput(['admin'], '')).code).toBe(2);
  });
});
