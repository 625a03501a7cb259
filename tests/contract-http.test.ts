import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../shared/config.js';
import type { PressReply, SessionView } from '../shared/session.js';
import { startHost, stopProcess } from './support/host-process.js';
import { httpCall, touchOn, type Call } from './support/press.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * What a caller on the wire can and cannot do to a console (`pult serve`, over HTTP): it can only
 * press on the screen shown; it cannot choose a question, a response, a flag, a source, or a
 * language the console does not offer; a press sent again is applied once, restart or not.
 */
const tempDir = useTempDirs();

function console() {
  const dir = tempDir();
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({ ...DEMO_CONFIG, language: { default: 'ru', enabled: ['ru', 'en'] }, timeouts: { settleMs: 0 } }),
  );
  const dataDir = path.join(dir, 'data');
  const rows = () => {
    const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT question, value, flags, source FROM answers ORDER BY seq').all();
    } finally {
      db.close();
    }
  };
  const start = () => startHost(['--config', config, '--data-dir', dataDir]);
  return { start, rows };
}

/** A console started for the test, with a screen's HTTP calls and the screen shown now. */
async function withConsole(run: (call: Call, screenId: string, rows: () => unknown[]) => Promise<void>) {
  const { start, rows } = console();
  const host = await start();
  try {
    const call = httpCall(host.url);
    await run(call, await screenOf(call), rows);
  } finally {
    await host.stop();
  }
}

const screenOf = async (call: ReturnType<typeof httpCall>) =>
  ((await call('getSession', {})) as { value: SessionView }).value.screenId;

describe('the contract over HTTP', () => {
  it('refuses a chosen flag, question, response, source or a language not offered; stores nothing', () =>
    withConsole(async (call, screenId, rows) => {
      const five = touchOn(screenId, { type: 'score', value: 5 });
      for (const attempt of [
        { ...five, flags: ['misuse'] },
        { ...five, question: 'nps' },
        { ...five, responseId: crypto.randomUUID() },
        { ...five, source: 'button:box1' },
        { ...five, action: { type: 'score', value: 5, question: 'nps' } },
        touchOn(screenId, { type: 'chooseLanguage', language: 'uz' }),
      ])
        expect(await call('press', attempt)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(rows()).toEqual([]);
    }));

  it('fifty presses on one question store one answer', () =>
    withConsole(async (call, screenId, rows) => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => call('press', touchOn(screenId, { type: 'score', value: 1 + (i % 5) }))),
      );
      expect(rows()).toHaveLength(1);
    }));

  it('a press sent again — reply lost, or the console killed and restarted — is applied once', async () => {
    const { start, rows } = console();
    let host = await start();
    try {
      const call = httpCall(host.url);
      const press = touchOn(await screenOf(call), { type: 'score', value: 4 });
      const first = (await call('press', press)) as { value: PressReply };
      const again = (await call('press', press)) as { value: PressReply };
      expect([first.value.outcome, again.value.outcome]).toEqual(['stored', 'replayed']);
      expect(again.value.answer).toEqual(first.value.answer);

      await stopProcess(host.child, 'SIGKILL');
      host = await start();
      const afterRestart = (await httpCall(host.url)('press', press)) as { value: PressReply };
      expect(afterRestart.value).toMatchObject({ outcome: 'replayed', answer: first.value.answer });
      expect(rows()).toEqual([{ question: 'csi', value: 4, flags: '[]', source: 'touch' }]);
    } finally {
      await host.stop();
    }
  });
});
