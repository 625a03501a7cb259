import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../shared/languages.js';
import { LOCALES } from '../shared/locales/index.js';
import { PROMPT_IDS, PROMPT_VOICES, promptPath, promptText } from '../shared/prompts.js';

/** Where the build put the screens (npm test builds first). */
const RENDERER = path.resolve('dist/renderer');

/** The length of a sound file in seconds, as sox measures it. */
const seconds = (file: string) => Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());

describe('spoken prompts, as built', () => {
  for (const language of SUPPORTED_LANGUAGES) {
    const voice = PROMPT_VOICES[language];
    if (voice === null)
      it(`${language}: has no voice, and no files pretend otherwise (the screen says «no voice»)`, () => {
        expect(fs.existsSync(path.join(RENDERER, 'prompts', language))).toBe(false);
      });
    else
      it(`${language}: every screen's prompt is there and plays for longer than a second`, () => {
        for (const id of PROMPT_IDS) {
          const file = path.join(RENDERER, promptPath(language, id));
          expect(fs.existsSync(file), `${file} (npm run build, with espeak-ng and sox installed)`).toBe(true);
          expect(seconds(file), file).toBeGreaterThan(1);
        }
      });
  }

  it('speaks the words of the screens, never a key or a placeholder', async () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const t = i18next.createInstance();
      await t.init({ lng: language, resources: { [language]: { translation: LOCALES[language] } } });
      for (const id of PROMPT_IDS) {
        const text = promptText((key, options) => t.t(key, options), id);
        expect(text, `${language} ${id}`).not.toMatch(/\{\{|[a-z]+\.[a-z_0-9]+|undefined/);
      }
    }
  });
});
