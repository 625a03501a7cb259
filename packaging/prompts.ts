/**
 * Makes the spoken prompts (shared/prompts.ts) at build time: `tsx packaging/prompts.ts <dir>`
 * writes `<dir>/<language>/<id>.ogg` for every language espeak-ng speaks. Each file is kept in a
 * cache under node_modules/.cache by a hash of its voice, words and the espeak-ng version, so a
 * build only speaks what changed. Without espeak-ng or sox the build goes on without prompts and
 * says so (the screen then offers no sound); PULT_PROMPTS=required (the package and CI builds)
 * makes that an error.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import i18next from 'i18next';
import { SUPPORTED_LANGUAGES } from '../shared/languages.js';
import { LOCALES } from '../shared/locales/index.js';
import { PROMPT_IDS, PROMPT_VOICES, promptPath, promptText } from '../shared/prompts.js';

/** Words per minute: slower than espeak-ng's 175, for applicants who hear or read poorly. */
const SPEED = '140';
const CACHE = path.resolve('node_modules/.cache/pult-prompts');

function tool(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

function fail(message: string): never {
  process.stderr.write(`prompts: ${message}\n`);
  process.exit(1);
}

/** Speaks `text` with espeak-ng into a WAV, then sox makes it Ogg Vorbis, peak-normalised to −3 dB. */
function speak(voice: string, text: string, file: string): void {
  const wav = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pult-prompt-')), 'prompt.wav');
  const spoken = spawnSync('espeak-ng', ['-v', voice, '-s', SPEED, '-w', wav, text], { encoding: 'utf8' });
  if (spoken.status !== 0) fail(`espeak-ng -v ${voice} failed: ${spoken.stderr.trim()}`);
  const encoded = spawnSync('sox', [wav, '-C', '3', `${file}.part.ogg`, 'norm', '-3'], { encoding: 'utf8' });
  if (encoded.status !== 0) fail(`sox could not encode ${file}: ${encoded.stderr.trim()}`);
  fs.renameSync(`${file}.part.ogg`, file);
  fs.rmSync(path.dirname(wav), { recursive: true, force: true });
}

async function main(outDir: string): Promise<void> {
  const espeak = tool('espeak-ng', ['--version'])?.trim();
  if (!espeak || tool('sox', ['--version']) === null) {
    const missing = 'espeak-ng and sox are needed for the spoken prompts (apt install espeak-ng sox)';
    if (process.env.PULT_PROMPTS === 'required') fail(missing);
    process.stderr.write(`prompts: none built — ${missing}\n`);
    return;
  }
  fs.mkdirSync(CACHE, { recursive: true });
  let made = 0;
  for (const language of SUPPORTED_LANGUAGES) {
    const voice = PROMPT_VOICES[language];
    if (!voice) continue;
    const t = i18next.createInstance();
    await t.init({
      lng: language,
      resources: { [language]: { translation: LOCALES[language] } },
      interpolation: { escapeValue: false },
    });
    for (const id of PROMPT_IDS) {
      const text = promptText((key, options) => t.t(key, options), id);
      const hash = crypto.createHash('sha256').update(`${espeak}\n${voice}\n${SPEED}\n${text}`).digest('hex').slice(0, 24);
      const cached = path.join(CACHE, `${hash}.ogg`);
      if (!fs.existsSync(cached)) {
        speak(voice, text, cached);
        made++;
      }
      const target = path.join(outDir, promptPath(language, id).replace(/^prompts\//, ''));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(cached, target);
    }
  }
  process.stdout.write(`prompts: ${made} spoken, the rest from the cache (${espeak})\n`);
}

const outDir = process.argv[2];
if (!outDir) fail('usage: tsx packaging/prompts.ts <directory>');
await main(path.resolve(outDir));
