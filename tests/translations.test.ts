import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../shared/languages.js';
import { REVIEWS } from '../shared/locales/index.js';
import { PROMPT_VOICES } from '../shared/prompts.js';

const README = fs.readFileSync('README.md', 'utf8');
const GUIDE = fs.readFileSync('docs/translations.md', 'utf8');

/** The README's language table row of a language, split into its cells. */
const rowOf = (language: string): string[] => {
  const row = README.split('\n').find((line) => line.includes(`| \`shared/locales/${language}.json\` |`));
  expect(row, `README: a language table row for ${language}`).toBeDefined();
  return row!
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean);
};

describe('the README language table and docs/translations.md tell what the locale files say', () => {
  it.each(SUPPORTED_LANGUAGES)('%s: review and prompts as in its locale file', (language) => {
    const [, , reviewed, prompts] = rowOf(language);
    const review = REVIEWS[language];
    expect(reviewed).toBe(review ? `${review.by}, ${review.on}` : 'draft');
    const voice = PROMPT_VOICES[language];
    expect(prompts).toBe(voice ? `espeak-ng \`${voice}\`` : 'none: espeak-ng has no Tajik');
  });

  it.each(SUPPORTED_LANGUAGES)(
    '%s: docs/translations.md shows its screenshot sheet, every picture made by the tests',
    (language) => {
      const pictures = [...GUIDE.matchAll(new RegExp(`\\(screenshots/(7in-1024x600-${language}-[a-z]+\\.png)\\)`, 'g'))].map(
        (m) => m[1]!,
      );
      expect(pictures.length, `${language} pictures in docs/translations.md`).toBeGreaterThanOrEqual(5);
      for (const picture of pictures) expect(fs.existsSync(`docs/screenshots/${picture}`), picture).toBe(true);
    },
  );
});
