import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_RULES } from '../shared/config.js';
import en from '../shared/admin/locales/en.json' with { type: 'json' };
import ru from '../shared/admin/locales/ru.json' with { type: 'json' };
import { ConfigError, loadConfigFile } from '../core/config.node.js';
import { PultFailure } from '../core/errors.js';
import { EXIT } from '../shared/admin/failures.js';
import { adminLanguage, adminText, explainFailure } from '../shared/admin/text.js';
import { keysOf, sourceFilesUnder, valueAt } from './support/locale-keys.js';

describe('IT staff text (shared/admin/locales)', () => {
  it('ru and en have the same keys, none empty', () => {
    expect(keysOf(ru).sort()).toEqual(keysOf(en).sort());
    for (const strings of [en, ru]) expect(keysOf(strings).filter((key) => !String(valueAt(strings, key)).trim())).toEqual([]);
  });

  it('every key the code asks for exists: t(...) literals, failure kinds, config rules', () => {
    const root = path.resolve(__dirname, '..');
    const code = ['cli', 'core', 'host', 'electron'].flatMap((dir) => sourceFilesUnder(path.join(root, dir)));
    const asked = new Set<string>(CONFIG_RULES.map((rule) => `config.${rule}`));
    for (const file of code) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [, key] of text.matchAll(/\bt\('([a-zA-Z.]+)'/g)) asked.add(key!);
      for (const [, key] of text.matchAll(/(?:PultFailure|UsageError|super)\(\s*'([a-zA-Z]+)'/g)) asked.add(`errors.${key}`);
    }
    expect(asked.size).toBeGreaterThan(20);
    // A counted phrase is asked for by its stem and kept in its plural forms (stats.ratings_one …).
    const known = (key: string) => keysOf(en).some((k) => k === key || k.startsWith(`${key}_`));
    expect([...asked].filter((key) => !known(key))).toEqual([]);
  });

  it('picks the language from $PULT_LANG, then the POSIX locale, then the system', () => {
    expect(adminLanguage({ PULT_LANG: 'en', LANG: 'ru_RU.UTF-8' }, 'ru-RU')).toBe('en');
    expect(adminLanguage({ LC_ALL: 'ru_RU.UTF-8', LANG: 'en_US.UTF-8' }, 'en-US')).toBe('ru');
    expect(adminLanguage({ LANG: 'C' }, 'ru-RU')).toBe('ru');
    expect(adminLanguage({}, 'ru-RU')).toBe('ru');
    expect(adminLanguage({}, 'kk-KZ')).toBe('en');
  });

  it('explains a failure with its exit code, and fills in what it carries', () => {
    const t = adminText('en');
    expect(explainFailure(new PultFailure('noDatabase', { dataDir: '/d', file: 'pult.sqlite' }), t)).toEqual({
      message: 'no Pult database in /d (expected pult.sqlite)',
      exitCode: EXIT.failure,
    });
    expect(explainFailure(new Error('disk on fire'), t)).toEqual({ message: 'disk on fire', exitCode: EXIT.failure });
  });

  it('a bad config file: every problem on its own line, naming the field', () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pult-config-'));
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        office: { id: 'x', name: 'X' },
        window: { id: 'w', label: '1' },
        language: { default: 'en', enabled: ['ru'] },
        flow: [{ type: 'nps' }, { type: 'nps' }],
      }),
    );
    let error: unknown;
    try {
      loadConfigFile(file);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, exitCode } = explainFailure(error, adminText('ru'));
    expect(exitCode).toBe(EXIT.badInput);
    expect(message.split('\n')).toEqual([
      `${file}: ошибка в настройках`,
      '  - language.default: язык по умолчанию должен быть среди включённых (enabled)',
      '  - flow: каждый шаг может встречаться один раз',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
