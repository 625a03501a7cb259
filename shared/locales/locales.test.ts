import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../languages.js';
import { z } from 'zod';
import { LOCALES, REVIEWS } from './index.js';
import supervisorEn from './supervisor/en.json' with { type: 'json' };
import supervisorRu from './supervisor/ru.json' with { type: 'json' };

const SUPERVISOR = { ru: supervisorRu, en: supervisorEn };
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
    const supervisorDir = path.resolve(__dirname, '../../renderer/supervisor');
    for (const file of sourceFilesUnder(path.resolve(__dirname, '../../renderer')).filter((f) => !f.startsWith(supervisorDir))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z_.]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((key) => !reference.includes(key) && !reference.some((k) => k.startsWith(`${key}.`)));
    expect(missing).toEqual([]);
  });

  it.each(SUPPORTED_LANGUAGES)('%s: its review is null (a draft) or who reviewed it and on which day', (language) => {
    const ReviewSchema = z.strictObject({ by: z.string().trim().min(1), on: z.iso.date() }).nullable();
    expect(ReviewSchema.safeParse(REVIEWS[language]).success, JSON.stringify(REVIEWS[language])).toBe(true);
  });

  it('each language names itself in its own language', () => {
    expect(LOCALES.ru.language.self).toBe('Русский');
    expect(LOCALES.en.language.self).toBe('English');
  });
});

describe('supervisor locales (ru, en)', () => {
  /** Plural forms differ by language (ru: one/few/many/other, en: one/other): compare the words, not the forms. */
  const words = (strings: object) =>
    [...new Set(keysOf(strings).map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();

  it('ru and en have the same words, none empty', () => {
    expect(words(SUPERVISOR.en)).toEqual(words(SUPERVISOR.ru));
    for (const [language, strings] of Object.entries(SUPERVISOR))
      for (const key of keysOf(strings)) expect(String(valueAt(strings, key)).trim(), `${language}:${key}`).not.toBe('');
  });

  it('every literal key the supervisor screen asks for exists', () => {
    const used = new Set<string>();
    for (const file of sourceFilesUnder(path.resolve(__dirname, '../../renderer/supervisor')))
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z_.]+)'/g)) used.add(match[1]!);
    expect(used.size).toBeGreaterThan(30);
    const known = words(SUPERVISOR.ru);
    expect([...used].filter((key) => !known.includes(key))).toEqual([]);
  });
});

describe('Uzbek (Latin) is written with its own letters', () => {
  /** oʻ and gʻ take U+02BB (modifier letter turned comma); the tutuq belgisi is U+02BC; never ' ‘ ’. */
  const texts = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(texts) : [];

  it('no ASCII apostrophe or quotation mark stands in for oʻ, gʻ or the tutuq belgisi', () => {
    const wrong = texts(LOCALES.uz).filter((text) => /['\u2018\u2019]/.test(text));
    expect(wrong).toEqual([]);
    // The keyboard has ʻ as a key of its own: the words are checked, not the layout.
    const misplaced = texts({ ...LOCALES.uz, keyboard: {} }).filter((text) => /(^|[^oOgG])\u02BB/.test(text));
    expect(misplaced).toEqual([]);
    expect(texts(LOCALES.uz).join(' ')).toMatch(/oʻ/);
  });
});
