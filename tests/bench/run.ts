/**
 * `npm run bench`: the speed goals of docs/BENCHMARKS.md, each measured against a baseline or a
 * budget in the same run, on this machine. Rewrites docs/BENCHMARKS.md with the results.
 * Never used as a pass/fail test: timings belong here, not in the test suite.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser } from '@playwright/test';
import { DEMO_CONFIG, PultConfigSchema } from '../../shared/config.js';
import { invoke } from '../../core/dispatch.js';
import { PultService } from '../../core/service.js';
import { startHost } from '../support/host-process.js';
import { CHROMIUM_LAUNCH_OPTIONS } from '../support/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pult-bench-'));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** (a) recordAnswer through the core vs. a bare one-row durable commit, interleaved in rounds. */
async function commitOverhead() {
  const ROUNDS = 6;
  const PER_ROUND = 150;
  const bareDir = tmp();
  const bare = new Database(path.join(bareDir, 'bare.sqlite'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec('CREATE TABLE t (id TEXT PRIMARY KEY, value INTEGER)');
  const insert = bare.prepare('INSERT INTO t VALUES (?, ?)');
  const coreDir = tmp();
  const service = PultService.open({ dataDir: coreDir, config: PultConfigSchema.parse(DEMO_CONFIG) });

  const bareTimes: number[] = [];
  const coreTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) {
      const t0 = performance.now();
      bare.transaction(() => insert.run(randomUUID(), i % 5))();
      bareTimes.push(performance.now() - t0);
    }
    for (let i = 0; i < PER_ROUND; i++) {
      const input = { question: 'csi', value: 1 + (i % 5), responseId: randomUUID(), locale: 'ru', source: 'touch' };
      const t0 = performance.now();
      const result = await invoke(service, 'recordAnswer', input);
      coreTimes.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.error.message);
    }
  }
  service.close();
  bare.close();
  fs.rmSync(bareDir, { recursive: true, force: true });
  fs.rmSync(coreDir, { recursive: true, force: true });
  const bareMedian = quantile(bareTimes, 0.5);
  const coreMedian = quantile(coreTimes, 0.5);
  return {
    samples: bareTimes.length,
    bareMedian,
    coreMedian,
    coreP95: quantile(coreTimes, 0.95),
    ratio: coreMedian / bareMedian,
  };
}

/** (b) tap → next screen painted, measured inside the page from click to the frame after the change. */
async function tapToPaint(browser: Browser) {
  const dir = tmp();
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ ...DEMO_CONFIG, timeouts: { idleMs: 600_000, thanksMs: 500, guardMs: 0 } }));
  const host = await startHost(['--config', configFile, '--data-dir', path.join(dir, 'data')]);
  const page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
  await page.goto(host.url);
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    await page.locator('[data-screen="csi"]').waitFor();
    for (const [button, next] of [
      ['5 Отлично', 'nps'],
      ['9', 'thanks'],
    ] as const) {
      samples.push(
        await page.evaluate(
          ([name, screen]) =>
            new Promise<number>((resolve) => {
              const target = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name)!;
              const t0 = performance.now();
              const observer = new MutationObserver(() => {
                if (!document.querySelector(`[data-screen="${screen}"]`)) return;
                observer.disconnect();
                requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
              });
              observer.observe(document.body, { subtree: true, childList: true, attributes: true });
              target.click();
            }),
          [button, next],
        ),
      );
    }
  }
  await page.close();
  await host.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return { samples: samples.length, p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

/** (c) `pult serve` spawned → the first screen's buttons can be tapped. */
async function startToInteractive(browser: Browser) {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const dir = tmp();
    const page = await browser.newPage();
    const t0 = performance.now();
    const host = await startHost(['--data-dir', dir]);
    await page.goto(host.url);
    await page.getByRole('button', { name: '5 Отлично' }).waitFor();
    samples.push(performance.now() - t0);
    await page.close();
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { samples: samples.length, p50: quantile(samples, 0.5), max: Math.max(...samples) };
}

/** (d) the JavaScript the first screen loads, gzipped. */
function initialJavaScript() {
  const dist = path.join(root, 'dist/renderer');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.map((file) => fs.readFileSync(path.join(dist, file)));
  const raw = bytes.reduce((sum, b) => sum + b.length, 0);
  const gzipped = bytes.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0);
  return { files: files.length, raw, gzipped };
}

const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
const a = await commitOverhead();
const b = await tapToPaint(browser);
const c = await startToInteractive(browser);
const d = initialJavaScript();
await browser.close();

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const report = `# Benchmarks

Written by \`npm run bench\` (tests/bench/run.ts) — do not edit by hand. Each goal is measured
against a baseline or budget in the same run, on the machine that ran it.

Last run: ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}.

| # | what | result | goal | |
|---|---|---|---|---|
| a | tap → durable commit through the core (zod parse + answer + outbox + rollup, one transaction), vs. a bare better-sqlite3 one-row WAL/FULL commit | core median ${ms(a.coreMedian)} (p95 ${ms(a.coreP95)}), bare median ${ms(a.bareMedian)}: **${a.ratio.toFixed(2)}×** over ${a.samples} commits each | ≤ 1.5× | ${verdict(a.ratio <= 1.5)} |
| b | tap → next screen painted in Chromium (click → HTTP → commit → React render → next frame) | p50 ${ms(b.p50)}, **p95 ${ms(b.p95)}** over ${b.samples} taps | p95 ≤ 50 ms | ${verdict(b.p95 <= 50)} |
| c | \`pult serve\` spawned → first screen interactive in Chromium | **p50 ${ms(c.p50)}**, max ${ms(c.max)} over ${c.samples} starts | ≤ 1500 ms | ${verdict(c.p50 <= 1500)} |
| d | renderer's initial JavaScript | ${d.files} file(s), ${(d.raw / 1024).toFixed(1)} KiB raw, **${(d.gzipped / 1024).toFixed(1)} KiB gzipped** | ≤ 200 KB | ${verdict(d.gzipped <= 200 * 1000)} |

Notes
- (a) Both sides fsync once per commit (WAL, \`synchronous=FULL\`); the ratio says what the core adds on top of the unavoidable disk flush. Rounds alternate between the two so that disk-cache drift hits both. The core's extra work is a fixed cost of tenths of a millisecond: where fsync itself is slow (a cheap terminal's eMMC), the ratio moves towards 1; where the disk acknowledges fsync from a cache (as a bare commit of ${ms(a.bareMedian)} here suggests), it is the worst case.
- (b) Measured inside the page with \`performance.now()\`, from \`click()\` to the first animation frame after the new screen is in the DOM; the browser host adds an HTTP round trip on loopback that the Electron shell (IPC) does not.
- (c) Includes Node start, opening and checking the database, fastify start, page load, React's first render.
`;
fs.writeFileSync(path.join(root, 'docs/BENCHMARKS.md'), report);
process.stdout.write(report);
