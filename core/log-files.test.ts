import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { LOG_FILE, openLogFiles } from './log-files.js';

const tempDir = useTempDirs();
const rotated = (dir: string) => fs.readdirSync(dir).filter((name) => /^pult-\d{4}-\d\d-\d\d-\d+\.log\.gz$/.test(name));
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; app: string });
const noError = (error: Error) => expect.fail(`log files: ${error.message}`);

describe('log files where there is no journal', () => {
  it('are JSON lines in pult.log, rotated by size and gzipped, only the newest kept', async () => {
    const dir = path.join(tempDir(), 'logs');
    const files = openLogFiles(dir, { app: 'pult' }, noError, { size: '2K', interval: '1d', maxFiles: 2 });
    for (let i = 0; i < 200; i++) files.logger.info({ i }, `line ${i} ${'x'.repeat(60)}`);
    await vi.waitFor(() => expect(rotated(dir).length).toBe(2), { timeout: 10_000, interval: 50 });
    files.logger.info('last line');
    await files.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o750);
    // The history never holds more than maxFiles rotated files, and what they hold is readable.
    expect(rotated(dir).length).toBe(2);
    const oldest = lines(zlib.gunzipSync(fs.readFileSync(path.join(dir, rotated(dir).sort()[0]!))).toString());
    expect(oldest[0]!.app).toBe('pult');
    expect(lines(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).at(-1)!.msg).toBe('last line');
  });

  it('rotates a log left from an earlier day when the console starts (switched off overnight)', async () => {
    const dir = path.join(tempDir(), 'logs');
    fs.mkdirSync(dir);
    const yesterday = new Date(Date.now() - 26 * 3_600_000);
    fs.writeFileSync(path.join(dir, LOG_FILE), '{"msg":"from yesterday"}\n');
    fs.utimesSync(path.join(dir, LOG_FILE), yesterday, yesterday);
    const files = openLogFiles(dir, {}, noError);
    files.logger.info('today');
    await vi.waitFor(() => expect(rotated(dir).length).toBe(1), { timeout: 10_000, interval: 50 });
    await files.close();
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
    expect(rotated(dir)[0]).toBe(`pult-${day}-1.log.gz`);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, rotated(dir)[0]!))).toString()).toContain('from yesterday');
    expect(lines(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).map((line) => line.msg)).toEqual(['today']);
  });

  it('refuses, naming the reason, a folder it cannot make (the shell says so and goes on without files)', async () => {
    const dir = path.join(tempDir(), 'logs');
    fs.writeFileSync(dir, 'a file where the folder should be');
    expect(() => openLogFiles(dir, {}, noError)).toThrow(/EEXIST|ENOTDIR/);
  });
});
