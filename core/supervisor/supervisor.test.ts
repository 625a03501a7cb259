import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema, type PultConfigInput } from '../../shared/config.js';
import { supervisorMethods, type OpenReply } from '../../shared/supervisor.js';
import type { Result } from '../../shared/result.js';
import { ON_CONSOLE } from '../dispatch.js';
import { PultService } from '../service.js';
import { setPin } from './pin.js';
import { DATABASE_FILE } from '../storage/database.js';
import { fakeClock } from '../../tests/support/fake-clock.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { QUICK_CONSOLE, tap } from '../../tests/support/press.js';

const tempDir = useTempDirs();
const PIN = '2468';
const LAN = { onConsole: false, who: '192.0.2.7' };
const MISSING_STICK = path.join(os.tmpdir(), `pult-stick-not-plugged-${process.pid}`);

async function openConsole(config: Partial<PultConfigInput> = {}, pin: string | null = PIN) {
  const dataDir = tempDir();
  if (pin) await setPin(dataDir, pin);
  const time = fakeClock();
  const service = await PultService.open({
    dataDir,
    clock: time.clock,
    config: PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE, ...config }),
  });
  const call = <T = unknown>(method: string, input: unknown, caller = ON_CONSOLE) =>
    service.link.invoke(method, input, caller) as Promise<Result<T>>;
  const open = async (caller = ON_CONSOLE) => {
    const reply = await call<OpenReply>('openSupervisor', { pin: PIN }, caller);
    if (!reply.ok || reply.value.status !== 'open') throw new Error(`not opened: ${JSON.stringify(reply)}`);
    return reply.value.token;
  };
  return { service, call, open, dataDir, time };
}

type Console = Awaited<ReturnType<typeof openConsole>>;
const withConsole = (run: (c: Console) => Promise<void>, config?: Partial<PultConfigInput>, pin?: string | null) => async () => {
  const c = await openConsole(config, pin);
  try {
    await run(c);
  } finally {
    await c.service.close();
  }
};

const today = { from: '2026-11-26', to: '2026-11-26' };

describe('the supervisor methods need a PIN session', () => {
  it(
    'every method but openSupervisor refuses a call without a live token, and reads nothing',
    withConsole(async ({ call }) => {
      const inputs: Record<string, unknown> = {
        getStats: { period: today },
        exportPeriod: { period: today, format: 'csv', folder: '/tmp' },
        changeSettings: { change: { windowLabel: 'X' } },
      };
      for (const method of Object.keys(supervisorMethods).filter((m) => m !== 'openSupervisor' && m !== 'closeSupervisor')) {
        const reply = await call(method, { token: 'x'.repeat(43), ...(inputs[method] as object) });
        expect(reply, method).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
        expect(await call(method, inputs[method] ?? {}), method).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    }),
  );

  it(
    'no PIN set: nobody gets in',
    withConsole(
      async ({ call }) => {
        expect(await call('openSupervisor', { pin: '0000' })).toEqual({ ok: true, value: { status: 'no_pin' } });
      },
      {},
      null,
    ),
  );

  it(
    'a wrong PIN says how many tries are left; the right one opens; a closed session is refused',
    withConsole(async ({ call, open }) => {
      expect(await call('openSupervisor', { pin: '1111' })).toEqual({ ok: true, value: { status: 'wrong', attemptsLeft: 4 } });
      const token = await open();
      expect(await call('getStats', { token, period: today })).toMatchObject({ ok: true });
      expect(await call('closeSupervisor', { token })).toEqual({ ok: true, value: { closed: true } });
      expect(await call('getStats', { token, period: today })).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    }),
  );

  it(
    'ten wrong PINs sent at once still lock the pad after five: the right PIN is refused for 5 minutes',
    withConsole(async ({ call, time }) => {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call<OpenReply>('openSupervisor', { pin: String(1000 + i) })),
      );
      const statuses = replies.map((r) => (r.ok ? r.value.status : 'error'));
      expect(statuses.filter((s) => s === 'wrong')).toHaveLength(4);
      expect(statuses.filter((s) => s === 'locked')).toHaveLength(6);
      expect(await call('openSupervisor', { pin: PIN })).toMatchObject({ ok: true, value: { status: 'locked' } });
      await time.advance(5 * 60_000);
      expect(await call('openSupervisor', { pin: PIN })).toMatchObject({ ok: true, value: { status: 'open' } });
    }),
  );
});

describe('while the supervisor screen is open on the console, no ratings are taken', () => {
  it(
    'a tap is ignored and every screen is told; closing starts afresh for the next applicant',
    withConsole(async ({ service, call, open }) => {
      const token = await open();
      expect(service.session.view().paused).toBe(true);
      const during = (await tap(call, 5)) as { outcome: string };
      expect(during.outcome).toBe('ignored');
      expect(service.status.read().answersStored).toBe(0);
      await call('closeSupervisor', { token });
      expect(service.session.view()).toMatchObject({ paused: false, screen: { kind: 'question', question: 'csi' } });
      expect(((await tap(call, 5)) as { outcome: string }).outcome).toBe('stored');
    }),
  );

  it(
    'a supervisor on the LAN does not stop the console taking ratings',
    withConsole(async ({ service, call, open }) => {
      await open(LAN);
      expect(service.session.view().paused).toBe(false);
      expect(((await tap(call, 4)) as { outcome: string }).outcome).toBe('stored');
    }),
  );

  it(
    'a supervisor screen that went away (no call for twice the idle time) ends its session and the console takes ratings again',
    withConsole(
      async ({ service, call, open, time }) => {
        const token = await open();
        await time.advance(9_000);
        expect(await call('getHealth', { token })).toMatchObject({ ok: true });
        await time.advance(19_000);
        expect(service.session.view().paused).toBe(true);
        await time.advance(1_000);
        expect(service.session.view().paused).toBe(false);
        expect(await call('getHealth', { token })).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
      },
      { supervisor: { idleMs: 10_000 } },
    ),
  );
});

describe('settings changed on the console', () => {
  it(
    'are written to the config file, applied at once, and audited with from → to and where',
    withConsole(async ({ service, call, open, dataDir }) => {
      const token = await open(LAN);
      const reply = await call('changeSettings', {
        token,
        change: { windowLabel: '12', language: { default: 'en', enabled: ['en', 'ru'] }, flow: [{ type: 'nps' }] },
      });
      expect(reply).toMatchObject({ ok: true, value: { applied: true, settings: { windowLabel: '12' } } });
      expect(service.setup()).toMatchObject({
        window: { label: '12' },
        language: { default: 'en' },
        flow: [{ type: 'nps' }],
      });
      expect(service.session.view()).toMatchObject({ language: 'en', screen: { question: 'nps' } });
      const written = JSON.parse(fs.readFileSync(path.join(dataDir, 'pult.config.json'), 'utf8')) as PultConfigInput;
      expect(PultConfigSchema.parse(written)).toMatchObject({ window: { label: '12' }, flow: [{ type: 'nps' }] });
      const settings = await call<{ audit: unknown[] }>('getSettings', { token });
      expect(settings.ok).toBe(true);
      const { value } = settings as { value: { audit: unknown[] } };
      expect(value.audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ what: 'windowLabel', from: '"1"', to: '"12"', by: '192.0.2.7' }),
          expect.objectContaining({ what: 'flow', to: '[{"type":"nps"}]' }),
          expect.objectContaining({ what: 'language' }),
        ]),
      );
    }),
  );

  it(
    'a change the config schema refuses names the field and rule, and changes nothing',
    withConsole(async ({ service, call, open, dataDir }) => {
      const token = await open();
      const reply = await call('changeSettings', { token, change: { language: { default: 'uz', enabled: ['ru', 'en'] } } });
      expect(reply).toMatchObject({
        ok: true,
        value: { applied: false, problems: [{ path: 'language.default', rule: 'defaultNotEnabled' }] },
      });
      expect(service.setup().language.default).toBe('ru');
      expect(fs.existsSync(path.join(dataDir, 'pult.config.json'))).toBe(false);
      // Text with a bidi override and a NUL would show something else than was typed: refused, nothing written.
      expect(await call('changeSettings', { token, change: { windowLabel: '\u202e\u0000x' } })).toMatchObject({
        ok: true,
        value: { applied: false, problems: [{ path: 'window.label', rule: 'hiddenCharacters' }] },
      });
      expect(service.setup().window.label).not.toContain('\u0000');
      expect(fs.existsSync(path.join(dataDir, 'pult.config.json'))).toBe(false);
      expect(await call('changeSettings', { token, change: { flow: [{ type: 'reasons_if_low', threshold: 3 }] } })).toMatchObject(
        {
          value: { applied: false },
        },
      );
    }),
  );
});

describe('a config file the console cannot write', () => {
  it('refuses the change, says why, and keeps the settings in force', async () => {
    const dataDir = tempDir();
    await setPin(dataDir, PIN);
    const configFile = path.join(dataDir, 'no-such-folder', 'pult.config.json');
    const service = await PultService.open({
      dataDir,
      configFile,
      config: PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE }),
    });
    try {
      const opened = (await service.link.invoke('openSupervisor', { pin: PIN })) as { value: { token: string } };
      const reply = await service.link.invoke('changeSettings', { token: opened.value.token, change: { windowLabel: '9' } });
      expect(reply).toMatchObject({ ok: true, value: { applied: false, problems: [{ path: configFile, rule: null }] } });
      expect(service.setup().window.label).toBe('1');
    } finally {
      await service.close();
    }
  });
});

describe('a change the console cannot both write and log is not made', () => {
  const withConfigFile = async (run: (c: { service: PultService; configFile: string; token: string }) => Promise<void>) => {
    const dataDir = tempDir();
    await setPin(dataDir, PIN);
    const configFile = path.join(dataDir, 'pult.config.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE }, null, 2));
    const service = await PultService.open({
      dataDir,
      configFile,
      config: PultConfigSchema.parse(JSON.parse(fs.readFileSync(configFile, 'utf8'))),
    });
    try {
      const opened = (await service.link.invoke('openSupervisor', { pin: PIN })) as { value: { token: string } };
      await run({ service, configFile, token: opened.value.token });
    } finally {
      await service.close();
    }
  };

  it('an audit log that cannot be written puts the config file back as it was', () =>
    withConfigFile(async ({ service, configFile, token }) => {
      const original = fs.readFileSync(configFile, 'utf8');
      const side = new Database(path.join(path.dirname(configFile), DATABASE_FILE));
      side.exec('DROP TABLE audit'); // the database refuses the log entry
      side.close();
      const reply = await service.link.invoke('changeSettings', { token, change: { windowLabel: '9' } });
      expect(reply).toMatchObject({ ok: false, error: { code: 'storage_failure' } });
      expect(fs.readFileSync(configFile, 'utf8')).toBe(original);
      expect(service.setup().window.label).toBe('1');
    }));

  it('a config file edited into broken JSON since start-up is named, and left as it is', () =>
    withConfigFile(async ({ service, configFile, token }) => {
      fs.writeFileSync(configFile, '{ "window": ');
      const reply = await service.link.invoke('changeSettings', { token, change: { windowLabel: '9' } });
      expect(reply).toMatchObject({ ok: true, value: { applied: false, problems: [{ path: configFile, rule: null }] } });
      expect(fs.readFileSync(configFile, 'utf8')).toBe('{ "window": ');
      expect(service.setup().window.label).toBe('1');
    }));
});

describe('health and export', () => {
  it(
    'five low ratings in a row raise the negative streak; a console silent for 2 opening hours raises «silent»',
    withConsole(async ({ call, open, time }) => {
      for (const score of [5, 1, 2, 1, 1, 2]) {
        await tap(call, score);
        await time.advance(3_100);
      }
      const token = await open(LAN);
      const health = (await call<{ alerts: unknown[] }>('getHealth', { token })) as { value: { alerts: unknown[] } };
      expect(health.value.alerts).toEqual([{ kind: 'negative_streak', count: 5 }]);
      await time.advance(2 * 3_600_000);
      const later = (await call('getHealth', { token: await open(LAN) })) as { value: { alerts: { kind: string }[] } };
      expect(later.value.alerts.map((a) => a.kind)).toEqual(['silent', 'negative_streak']);
    }),
  );

  it(
    'exports the period as CSV with a BOM into an offered folder, and refuses any other folder',
    withConsole(
      async ({ call, open, dataDir, time }) => {
        for (const score of [5, 4]) {
          await tap(call, score);
          await time.advance(3_100);
        }
        const token = await open();
        const folders = (await call('listExportFolders', { token })) as { value: { path: string; kind: string }[] };
        const data = folders.value.find((f) => f.kind === 'data')!;
        expect(data.path).toBe(path.join(dataDir, 'exports'));
        // A configured folder that is not there (a stick not plugged in) is not offered, nor accepted.
        expect(folders.value.filter((f) => f.kind === 'configured')).toEqual([]);
        expect(await call('exportPeriod', { token, period: today, format: 'csv', folder: MISSING_STICK })).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
        const reply = (await call('exportPeriod', { token, period: today, format: 'csv', folder: data.path })) as {
          value: { file: string; answers: number };
        };
        expect(reply.value.answers).toBe(2);
        const text = fs.readFileSync(reply.value.file, 'utf8');
        expect(text.startsWith('\uFEFFseq,')).toBe(true);
        expect(text.trim().split('\r\n')).toHaveLength(3);
        expect(fs.readdirSync(data.path).filter((f) => f.startsWith('.'))).toEqual([]);
        expect(await call('exportPeriod', { token, period: today, format: 'csv', folder: dataDir })).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
        // The window id names the file: one that climbs out of the folder is refused before anything is written.
        const climbing = { ...today, windowId: '../../outside' };
        expect(await call('exportPeriod', { token, period: climbing, format: 'csv', folder: data.path })).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
        expect(fs.readdirSync(data.path)).toEqual([path.basename(reply.value.file)]);
      },
      { supervisor: { exportFolders: [MISSING_STICK] } },
    ),
  );
});
