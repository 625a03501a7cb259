import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../languages.js';
import { LOCALES } from './index.js';
import { keysOf, sourceFilesUnder, valueAt } from '../../tests/support/locale-keys.js';

describe('locales', () => {
  const reference = keysOf(LOCALES.ru).sort();

  it.each(SUPPORTED_LANGUAGES)('%s has exactly the keys of ru, none empty', (language) => {
    expect(keysOf(LOCALES[language]).sort()).toEqual(reference);
    for (const key of reference) {
      expect(String(valueAt(LOCALES[language], key)).trim(), `${language}:${key}`).not.toBe('');
    }
  });

  it('every literal key the screens ask for exists', () => {
    const used = new Set<string>();
    for (const file of sourceFilesUnder(path.resolve(__dirname, '../../renderer'))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z_.]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((key) => !reference.includes(key) && !reference.some((k) => k.startsWith(`${key}.`)));
    expect(missing).toEqual([]);
  });

  it('each language names itself in its own language', () => {
    expect(LOCALES.ru.language.self).toBe('Русский');
    expect(LOCALES.en.language.self).toBe('English');
  });
});
