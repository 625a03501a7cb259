import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The screens as built (npm test builds first). */
const RENDERER = path.resolve('dist/renderer');

/** The JavaScript the applicant's page loads before its first screen: index.html's scripts and preloads. */
const initialFiles = () =>
  [...fs.readFileSync(path.join(RENDERER, 'index.html'), 'utf8').matchAll(/(?:src|href)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);

describe("the applicant's initial JavaScript", () => {
  it('carries no zod: the screen parses nothing, and a cheap terminal parses every byte at each start', () => {
    const files = initialFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const code = fs.readFileSync(path.join(RENDERER, file), 'utf8');
      // zod's own words, which any build of it carries.
      expect(code, file).not.toMatch(/ZodError|\$ZodType|Invalid input: expected/);
    }
  });

  it('the supervisor chunk, loaded when it opens, does carry it (the check above can fail)', () => {
    const later = fs
      .readdirSync(path.join(RENDERER, 'assets'))
      .filter((f) => f.endsWith('.js') && !initialFiles().includes(`assets/${f}`));
    expect(later.some((f) => /ZodError|\$ZodType/.test(fs.readFileSync(path.join(RENDERER, 'assets', f), 'utf8')))).toBe(true);
  });

  it("runs on Preact's compatibility layer: React DOM, three times its size gzipped, is in no file", () => {
    const files = fs.readdirSync(path.join(RENDERER, 'assets')).filter((file) => file.endsWith('.js'));
    for (const file of files) {
      // React DOM's own property names, which any build of it sets on the nodes it draws.
      expect(fs.readFileSync(path.join(RENDERER, 'assets', file), 'utf8'), file).not.toMatch(/__reactFiber|__reactContainer/);
    }
  });

  it("carries Russian texts only: each other language's come in their own file, fetched when a console offers it", () => {
    const initial = initialFiles().map((file) => fs.readFileSync(path.join(RENDERER, file), 'utf8'));
    const others = ['en', 'uz', 'tg', 'ky'].map((language) => {
      const texts = JSON.parse(fs.readFileSync(path.resolve(`shared/locales/${language}.json`), 'utf8')) as {
        language: { choose: string };
      };
      return texts.language.choose;
    });
    const russian = (
      JSON.parse(fs.readFileSync(path.resolve('shared/locales/ru.json'), 'utf8')) as { language: { choose: string } }
    ).language.choose;
    expect(initial.some((code) => code.includes(russian))).toBe(true);
    for (const choose of others) {
      expect(
        initial.some((code) => code.includes(choose)),
        choose,
      ).toBe(false);
      const later = fs.readdirSync(path.join(RENDERER, 'assets')).filter((file) => file.endsWith('.js'));
      expect(
        later.some((file) => fs.readFileSync(path.join(RENDERER, 'assets', file), 'utf8').includes(choose)),
        choose,
      ).toBe(true);
    }
  });
});
