import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../languages.js';
import { LOCALES } from './index.js';

const keysOf = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
    : [prefix];

const rendererSources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return rendererSources(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.includes('.test.') ? [full] : [];
  });

describe('locales', () => {
  const reference = keysOf(LOCALES.ru).sort();

  it.each(SUPPORTED_LANGUAGES)('%s has exactly the keys of ru, none empty', (language) => {
    expect(keysOf(LOCALES[language]).sort()).toEqual(reference);
    for (const key of reference) {
      const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], LOCALES[language]);
      expect(String(value).trim(), `${language}:${key}`).not.toBe('');
    }
  });

  it('every literal key the screens ask for exists', () => {
    const used = new Set<string>();
    for (const file of rendererSources(path.resolve(__dirname, '../../renderer'))) {
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
