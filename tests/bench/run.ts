/**
 * `npm run bench`: the speed goals of docs/BENCHMARKS.md. Every figure stands beside a baseline
 * measured in the same run on the same machine, so that the code can be told from the machine.
 * Rewrites docs/BENCHMARKS.md. Never a pass/fail test: timings belong here, not in the suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { chromium, type Browser, type Page } from '@playwright/test';
import { AnswerInputSchema } from '../../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../../shared/config.js';
import { setPin } from '../../core/supervisor/pin.js';
import { PultService } from '../../core/service.js';
import { answerRow } from '../../core/storage/answers.js';
import { DATABASE_FILE } from '../../core/storage/database.js';
import { ledger } from '../../core/storage/ledger.js';
import { officeToday, operatorStats, periodStats, windowStats } from '../../core/stats.js';
import { asReadable } from '../../core/storage/readable.js';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import { createCollector } from '../../collector/server.js';
import { openPostgresStore } from '../../collector/postgres-store.js';
import { openSqliteStore } from '../../collector/sqlite-store.js';
import type { CollectorStore } from '../../collector/store.js';
import { addAdmin, addDevice, addDevices, tokenRegistry } from '../../collector/tokens.js';
import { watchAlerts } from '../../collector/alerts.js';
import { DEFAULT_THRESHOLDS } from '../../collector/fleet.js';
import { once } from 'node:events';
import { systemBinding } from '../../hardware/binding.js';
import { LineParser } from '../../hardware/framing.js';
import { createPtyPair } from '../../hardware/pty.js';
import { openSerial, virtualBox } from '../../hardware/simulator.js';
import { startHost } from '../support/host-process.js';
import { unitEnvironment } from '../support/unit-file.js';
import { httpCall, QUICK_CONSOLE, touchOn } from '../support/press.js';
import type { PressReply, SessionView } from '../../shared/session.js';
import { WebSocket } from 'ws';
import http from 'node:http';
import { postgresAvailable, startCluster } from '../support/postgres.js';
import { CHROMIUM_LAUNCH_OPTIONS } from '../support/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pult-bench-'));
/** Taps at any moment (no settle, guard or burst limit): the bench measures the store, not the flow's pauses. */
const QUICK = { ...DEMO_CONFIG, ...QUICK_CONSOLE };
const config = PultConfigSchema.parse(QUICK);
const AGED_ANSWERS = Number(process.env.PULT_BENCH_ANSWERS ?? 1_000_000);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (values: number[]) => quantile(values, 0.5);
const ms = (value: number) => `${value.toFixed(2)} ms`;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
/** A phase's heading with the bench's own heap: the figures of a phase the harness starves are suspect. */
const phase = (line: string) => log(`${line} (the bench's heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)`);

const tapInput = (value: number) => ({ question: 'csi', value, responseId: uuidv7(), locale: 'ru', source: 'touch' });

/** A console that has aged: `count` answers (as taps would have stored them) in its database. */
async function agedDataDir(count: number): Promise<string> {
  const dir = tmp();
  const service = await PultService.open({ dataDir: dir, config });
  await service.close();
  const db = new Database(path.join(dir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // building the fixture only; the console itself writes with FULL
  const { append } = ledger(db, config.timeZone);
  const start = Date.now() - count * 60_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const answer = AnswerInputSchema.parse(tapInput(1 + (i % 5)));
      append(
        answerRow(answer, {
          id: uuidv7(),
          officeId: config.office.id,
          windowId: config.window.id,
          operatorId: null,
          createdAtMs: start + i * 60_000,
          monoMs: i,
          bootId: 'bench',
        }),
        uuidv7(),
      );
    }
  });
  for (let from = 0; from < count; from += 20_000) {
    batch(from, Math.min(count, from + 20_000));
    if (from % 200_000 === 0) log(`aged database: ${from} / ${count}`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dir;
}

/**
 * Evicts the database files' pages from the page cache (`dd iflag=nocache count=0`), so that a
 * start-up reads the database from the disk; with `everything`, drops the whole page cache as after
 * a power-on (Node, node_modules and Chromium cold too; needs root).
 */
function coldCache(dir: string, everything: boolean): boolean {
  spawnSync('sync');
  if (everything) {
    try {
      fs.writeFileSync('/proc/sys/vm/drop_caches', '1');
      return true;
    } catch {
      return false;
    }
  }
  for (const name of fs.readdirSync(dir)) spawnSync('dd', [`if=${path.join(dir, name)}`, 'iflag=nocache', 'count=0']);
  return true;
}

/** (a) a press through the core's session vs. a bare one-row durable commit, interleaved in rounds. */
async function commitOverhead(services: { empty: PultService; aged: PultService }) {
  const TAPS = 900;
  const bareDir = tmp();
  const bare = new Database(path.join(bareDir, 'bare.sqlite'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec('CREATE TABLE t (id TEXT PRIMARY KEY, value INTEGER)');
  const insert = bare.prepare('INSERT INTO t VALUES (?, ?)');

  const times = { bare: [] as number[], empty: [] as number[], aged: [] as number[] };
  const viaCore = async (service: PultService, into: number[], i: number) => {
    const press = touchOn(service.session.view().screenId, { type: 'score', value: 1 + (i % 5) });
    const t0 = performance.now();
    const result = await service.link.invoke('press', press);
    into.push(performance.now() - t0);
    if (!result.ok) throw new Error(result.error.message);
  };
  // One of each in turn, so that the disk's flush time, which drifts over seconds here, weighs on
  // the three alike (in rounds of 150 each the ratio moved between 1.4× and 2× from run to run).
  for (let i = 0; i < TAPS; i++) {
    const t0 = performance.now();
    bare.transaction(() => insert.run(uuidv7(), i % 5))();
    times.bare.push(performance.now() - t0);
    await viaCore(services.empty, times.empty, i);
    await viaCore(services.aged, times.aged, i);
  }
  bare.close();
  fs.rmSync(bareDir, { recursive: true, force: true });
  return {
    samples: times.bare.length,
    bare: median(times.bare),
    empty: median(times.empty),
    emptyP95: quantile(times.empty, 0.95),
    aged: median(times.aged),
    agedP95: quantile(times.aged, 0.95),
  };
}

/** Where one touch's time went, each mark in ms after its `touchstart` (null: that step did not happen). */
type TouchMarks = {
  /** the first frame after the next screen is in the DOM: the figure b1 reports */
  painted: number;
  touchend: number | null;
  click: number | null;
  /** the press request sent and its reply read (Resource Timing of `/api/press`) */
  requestStart: number | null;
  responseEnd: number | null;
  /** the next screen in the DOM (the MutationObserver that saw it) */
  commit: number;
};

/** The pages one write puts in the WAL, by what they belong to (table or index; `dbstat`). */
async function walPagesOf(file: string, write: () => unknown): Promise<Map<string, number>> {
  const reader = new Database(file);
  reader.pragma('wal_checkpoint(TRUNCATE)'); // the WAL starts empty: what follows is the write's alone
  await write();
  const wal = fs.readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const owners = new Map(
    (reader.prepare('SELECT pageno, name FROM dbstat').all() as { pageno: number; name: string }[]).map((row) => [
      row.pageno,
      row.name,
    ]),
  );
  reader.close();
  const pages = new Map<string, number>();
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    const owner = owners.get(wal.readUInt32BE(at)) ?? 'free list / new page';
    pages.set(owner, (pages.get(owner) ?? 0) + 1);
  }
  return pages;
}

/** (a3) WAL pages written per tap through the core and per bare one-row commit, averaged over `taps`, by owner. */
async function walPagesPerTap(taps: number) {
  const dir = tmp();
  const service = await PultService.open({ dataDir: dir, config });
  const file = path.join(dir, DATABASE_FILE);
  const tap = async (i: number) => {
    const result = await service.link.invoke(
      'press',
      touchOn(service.session.view().screenId, { type: 'score', value: 1 + (i % 5) }),
    );
    if (!result.ok) throw new Error(result.error.message);
  };
  for (let i = 0; i < 50; i++) await tap(i); // tables and indexes past their first page
  const core = new Map<string, number>();
  for (let i = 0; i < taps; i++)
    (await walPagesOf(file, () => tap(i))).forEach((count, owner) => core.set(owner, (core.get(owner) ?? 0) + count));
  await service.close();
  const bareFile = path.join(tmp(), 'bare.sqlite');
  const bare = new Database(bareFile);
  bare.pragma('journal_mode = WAL');
  bare.exec('CREATE TABLE t (id TEXT PRIMARY KEY, value INTEGER)');
  const insert = bare.prepare('INSERT INTO t VALUES (?, ?)');
  for (let i = 0; i < 50; i++) insert.run(uuidv7(), i);
  let bareTotal = 0;
  for (let i = 0; i < taps; i++)
    (await walPagesOf(bareFile, () => insert.run(uuidv7(), i))).forEach((count) => (bareTotal += count));
  bare.close();
  const perTap = [...core].map(([owner, count]) => [owner, count / taps] as const).sort((x, y) => y[1] - x[1]);
  return { perTap, total: perTap.reduce((sum, [, count]) => sum + count, 0), bare: bareTotal / taps };
}

/**
 * Real touch input (`page.touchscreen.tap`, as a finger: touchstart → pointer events → click) to
 * the first frame after an element matching `appears` is in the DOM, measured inside the page
 * from the touch event, with the marks in between. `holdMs` > 0: the finger stays down that long
 * before it lifts (a person's tap), instead of touchend right after touchstart.
 */
async function touchToPaint(page: Page, x: number, y: number, appears: string, holdMs = 0): Promise<TouchMarks> {
  const measured = page.evaluate(
    (selector) =>
      // No named functions in here: the page has none of the helpers tsx would wrap them with.
      new Promise<TouchMarks>((resolve) => {
        let t0 = 0;
        const marks: Omit<TouchMarks, 'painted' | 'commit'> = {
          touchend: null,
          click: null,
          requestStart: null,
          responseEnd: null,
        };
        window.addEventListener('touchstart', () => (t0 = performance.now()), { once: true, capture: true });
        window.addEventListener('touchend', () => (marks.touchend = performance.now() - t0), { once: true, capture: true });
        window.addEventListener('click', () => (marks.click = performance.now() - t0), { once: true, capture: true });
        performance.clearResourceTimings(); // the buffer holds 250 entries; one touch needs its own
        const observer = new MutationObserver(() => {
          if (!document.querySelector(selector)) return;
          observer.disconnect();
          const commit = performance.now() - t0;
          requestAnimationFrame(() =>
            setTimeout(() => {
              const press = performance
                .getEntriesByType('resource')
                .find((entry) => entry.name.includes('/api/press') && entry.startTime >= t0) as
                PerformanceResourceTiming | undefined;
              if (press) [marks.requestStart, marks.responseEnd] = [press.startTime - t0, press.responseEnd - t0];
              // Over the call socket: the times WIRE_MARKS kept of its last message each way.
              const wire = (window as { pultWire?: { sent: number; received: number } }).pultWire;
              if (!press && wire && wire.sent >= t0)
                [marks.requestStart, marks.responseEnd] = [wire.sent - t0, wire.received - t0];
              resolve({ ...marks, commit, painted: performance.now() - t0 });
            }),
          );
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
    appears,
  );
  await page.waitForFunction(() => true); // the listeners above are in place
  if (holdMs === 0) await page.touchscreen.tap(x, y);
  else {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await new Promise((resolve) => setTimeout(resolve, holdMs)); // the finger on the glass: the stimulus, not a wait
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }
  return measured;
}

/** How long a person's finger stays on the glass in a tap (b1h): touch screens see 50–150 ms. */
const HELD_TAP_MS = 80;

/** A held tap's figure: its lift (touchend) → the next screen painted. */
const paintedAfterLift = (marks: TouchMarks[]) => marks.map((mark) => mark.painted - mark.touchend!);

const painted = (marks: TouchMarks[]) => marks.map((mark) => mark.painted);

/** The median of each step of a touch: where the time between the finger and the frame goes. */
function touchSteps(marks: TouchMarks[]) {
  const step = (from: (mark: TouchMarks) => number | null, to: (mark: TouchMarks) => number | null) => {
    const spans = marks.flatMap((mark) => {
      const [a, b] = [from(mark), to(mark)];
      return a === null || b === null ? [] : [b - a];
    });
    return spans.length === 0 ? null : median(spans);
  };
  return {
    touchToClick: step(
      () => 0,
      (m) => m.click,
    ),
    clickToRequest: step(
      (m) => m.click,
      (m) => m.requestStart,
    ),
    request: step(
      (m) => m.requestStart,
      (m) => m.responseEnd,
    ),
    responseToCommit: step(
      (m) => m.responseEnd,
      (m) => m.commit,
    ),
    clickToCommit: step(
      (m) => m.click,
      (m) => m.commit,
    ),
    commitToPaint: step(
      (m) => m.commit,
      (m) => m.painted,
    ),
  };
}

const stepsText = (steps: ReturnType<typeof touchSteps>) =>
  Object.entries(steps)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} ${ms(value!)}`)
    .join(', ');

const centre = async (page: Page, selector: string) => {
  const box = (await page.locator(selector).first().boundingBox())!;
  return [box.x + box.width / 2, box.y + box.height / 2] as const;
};

/**
 * A page script (a string: nothing of this process's own code is in the page) that keeps when
 * the call socket last sent a message and last received one, for touchToPaint's marks.
 */
const WIRE_MARKS = `{
  const wire = (window.pultWire = { sent: -1, received: -1 });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    wire.sent = performance.now();
    return send.call(this, data);
  };
  const Native = WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => (wire.received = performance.now()));
    }
  };
}`;

/** Taps the button `#b` of a bare page `taps` times, each until `#out` has counted it; `ready`: what shows the page can take them. */
async function touchBarePage(
  browser: Browser,
  html: string,
  taps: number,
  cpuSlowdown = 1,
  ready = 'body',
  holdMs = 0,
): Promise<TouchMarks[]> {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1024, height: 600 } });
  const page = await context.newPage();
  await slowCpu(page, cpuSlowdown);
  await page.setContent(html);
  await page.locator(ready).waitFor();
  const [x, y] = await centre(page, '#b');
  const samples: TouchMarks[] = [];
  for (let i = 0; i < taps; i++) samples.push(await touchToPaint(page, x, y, `#out[data-n="${i + 1}"]`, holdMs));
  await context.close();
  return samples;
}

/** (b) baseline: a bare page in the same browser whose button only changes a text. */
function touchBaseline(browser: Browser, taps: number, cpuSlowdown = 1, holdMs = 0): Promise<TouchMarks[]> {
  const html =
    '<button id="b" style="width:300px;height:300px" onclick="const out = document.getElementById(\'out\'); out.dataset.n = Number(out.dataset.n) + 1">tap</button><p id="out" data-n="0"></p>';
  return touchBarePage(browser, html, taps, cpuSlowdown, 'body', holdMs);
}

/**
 * (b) the floor for any screen that asks a server: a bare page whose button sends a WebSocket
 * message and changes its text when the echo comes back (a server that does nothing else).
 * `reads` says how the page takes the touch: `browser` leaves it to Chromium (the button's click),
 * `console` as renderer/touch-taps.ts does (the touchstart cancelled, the click at touchend,
 * nothing drawn at the touch) — the two cases of Chromium holding the reply (b1e).
 */
async function touchEchoBaseline(
  browser: Browser,
  taps: number,
  holdMs = 0,
  reads: 'browser' | 'console' = 'browser',
): Promise<TouchMarks[]> {
  const echo = Fastify();
  await echo.register(fastifyWebsocket);
  echo.get('/', { websocket: true }, (socket) => {
    socket.on('message', (data) => socket.send(data.toString()));
  });
  await echo.listen({ port: 0, host: '127.0.0.1' });
  const { port } = echo.server.address() as { port: number };
  const touches =
    reads === 'console'
      ? `button.addEventListener('touchstart', (event) => event.preventDefault(), { passive: false });
      button.addEventListener('touchend', (event) => (event.preventDefault(), button.click()), { passive: false });`
      : '';
  const html = `<button id="b" style="width:300px;height:300px">tap</button><p id="out" data-n="0"></p><script>
      const socket = new WebSocket('ws://127.0.0.1:${port}/');
      const out = document.getElementById('out');
      const button = document.getElementById('b');
      socket.onmessage = () => (out.dataset.n = Number(out.dataset.n) + 1);
      button.onclick = () => socket.send('press');
      ${touches}
      socket.onopen = () => (document.body.dataset.open = 'yes');
    </script>`;
  try {
    return await touchBarePage(browser, html, taps, 1, 'body[data-open="yes"]', holdMs);
  } finally {
    await echo.close();
  }
}

/** Chromium's CPU throttling (DevTools protocol): `rate` 4 runs the page's main thread 4× slower, the cheap terminal (b4). */
async function slowCpu(page: Page, rate: number): Promise<void> {
  if (rate === 1) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** Every long task (> 50 ms on the main thread) the page has had since it loaded, in ms. */
const LONG_TASKS = `{
  window.pultLongTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((task) => window.pultLongTasks.push(task.duration))).observe({ type: 'longtask', buffered: true });
}`;

/** (b) a touch on «5» → NPS painted, a touch on «9» → «Спасибо!» painted, through the browser host. */
async function consoleTouches(
  browser: Browser,
  dataDir: string,
  pairs: number,
  cpuSlowdown = 1,
  holdMs = 0,
): Promise<TouchMarks[] & { longTasks?: number[] }> {
  const configFile = path.join(tmp(), 'config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({ ...DEMO_CONFIG, timeouts: { idleMs: 600_000, thanksMs: 500, guardMs: 0 }, misuse: { burstPresses: 0 } }),
  );
  const host = await startHost(['--config', configFile, '--data-dir', dataDir]);
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1024, height: 600 } });
  const page = await context.newPage();
  await page.addInitScript(WIRE_MARKS);
  await page.addInitScript(LONG_TASKS);
  await slowCpu(page, cpuSlowdown);
  await page.goto(host.url);
  // PULT_BENCH_PROFILE=<file>: the page's JavaScript CPU profile over these touches (Chrome DevTools opens it).
  const profile = process.env.PULT_BENCH_PROFILE;
  const cdp = profile ? await context.newCDPSession(page) : null;
  if (cdp)
    await cdp
      .send('Profiler.enable')
      .then(() => cdp.send('Profiler.setSamplingInterval', { interval: 100 }))
      .then(() => cdp.send('Profiler.start'));
  const samples: TouchMarks[] = [];
  await page.locator('.score').first().waitFor();
  const longTasksAtStart = await page.evaluate(() => (window as { pultLongTasks?: number[] }).pultLongTasks?.length ?? 0);
  for (let i = 0; i < pairs; i++) {
    for (const [value, next] of [
      [5, 'nps'],
      [9, 'thanks'],
    ] as const) {
      const button = `.score[data-value="${value}"]`;
      await page.locator(button).first().waitFor();
      await page.waitForSelector(`${button}:not([disabled])`); // the screen settled, as an applicant reads it
      const [x, y] = await centre(page, button);
      samples.push(await touchToPaint(page, x, y, `[data-screen="${next}"]`, holdMs));
    }
    await page.locator('[data-screen="csi"]').waitFor();
  }
  if (cdp) fs.writeFileSync(profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  // Long tasks while touching: those of the page's load are left out (b4 times the first screen apart).
  const longTasks = await page.evaluate(() => (window as { pultLongTasks?: number[] }).pultLongTasks ?? []);
  await context.close();
  await host.stop();
  return Object.assign(samples, { longTasks: longTasks.slice(longTasksAtStart) });
}

/** (b1h) held taps, each from its lift: the bare page, the bare page + echo both ways (not throttled) and the console. */
async function heldTaps(browser: Browser, cpuSlowdown = 1) {
  return {
    bare: paintedAfterLift(await touchBaseline(browser, 60, cpuSlowdown, HELD_TAP_MS)),
    echo: paintedAfterLift(await touchEchoBaseline(browser, 60, HELD_TAP_MS)),
    echoRead: paintedAfterLift(await touchEchoBaseline(browser, 60, HELD_TAP_MS, 'console')),
    console: paintedAfterLift(await consoleTouches(browser, tmp(), 30, cpuSlowdown, HELD_TAP_MS)),
  };
}

/**
 * When the first screen's buttons were painted, on the wall clock: the frame after a `.score` entered
 * the DOM (as b1 times a touch's frame). Read from inside the page because the test tool's own
 * polling for the element runs on the page's throttled main thread too and sees it later.
 */
const FIRST_SCREEN_PAINT = `{
  new MutationObserver((_, observer) => {
    if (!document.querySelector('.score')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.pultFirstScreenAt = performance.timeOrigin + performance.now())));
  }).observe(document, { childList: true, subtree: true });
}`;

/** (c) `pult serve` spawned → the first screen painted in Chromium, each start from a cold cache. */
async function startToFirstScreen(browser: Browser, dataDir: () => string, starts: number, everything = false, cpuSlowdown = 1) {
  const samples: number[] = [];
  const listening: number[] = [];
  const seen: number[] = [];
  for (let i = 0; i < starts; i++) {
    const dir = dataDir();
    if (!coldCache(dir, everything)) return null;
    const page = await browser.newPage();
    await page.addInitScript(FIRST_SCREEN_PAINT);
    await slowCpu(page, cpuSlowdown);
    const t0 = performance.now();
    const spawnedAt = performance.timeOrigin + t0;
    const host = await startHost(['--data-dir', dir]);
    listening.push(performance.now() - t0);
    await page.goto(host.url);
    await page.locator('.score').first().waitFor();
    seen.push(performance.now() - t0);
    await page.waitForFunction(() => (window as { pultFirstScreenAt?: number }).pultFirstScreenAt !== undefined);
    const paintedAt = await page.evaluate(() => (window as { pultFirstScreenAt?: number }).pultFirstScreenAt!);
    samples.push(paintedAt - spawnedAt);
    await page.close();
    // A second after starting on a cold aged file its integrity check is still inside SQLite; the
    // checker is a process of its own and killed at once, so the console stops within the usual limit.
    await host.stop();
  }
  // listening: the host's own part (spawned → its port open), the rest is the page's; seen: when
  // Playwright's wait for the element returned (the measure of the rows before 2026-12-07).
  return {
    samples: samples.length,
    p50: median(samples),
    max: Math.max(...samples),
    listeningP50: median(listening),
    seenP50: median(seen),
  };
}

/** (d) the JavaScript the first screen loads, raw (as loopback and app:// serve it) and gzipped. */
function initialJavaScript() {
  const dist = path.join(root, 'dist/renderer');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.map((file) => fs.readFileSync(path.join(dist, file)));
  const raw = bytes.reduce((sum, b) => sum + b.length, 0);
  const gzipped = bytes.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0);
  // Everything else is loaded on demand: the supervisor screen's code (its charts, its words), and
  // the texts of each language besides Russian a console offers (renderer/i18n.ts).
  const isLocale = (file: string) => /^(en|uz|tg|ky)-[\w-]+\.js$/.test(file);
  const later = fs
    .readdirSync(path.join(dist, 'assets'))
    .filter((file) => file.endsWith('.js') && !files.includes(`assets/${file}`) && !isLocale(file))
    .map((file) => fs.readFileSync(path.join(dist, 'assets', file)));
  const supervisor = {
    files: later.length,
    raw: later.reduce((sum, b) => sum + b.length, 0),
    gzipped: later.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0),
  };
  return { files: files.length, raw, gzipped, supervisor };
}

/** A collector in this process on loopback: the real one on `store`, or a bare endpoint that stores nothing. */
async function localCollector(store: CollectorStore | null, tokens: string): Promise<{ url: string; close(): Promise<void> }> {
  let app: FastifyInstance;
  if (store) app = await createCollector({ store, tokens: tokenRegistry(tokens) });
  else {
    // The baseline: the same HTTP, gzip and JSON parsing, every answer "accepted", nothing stored.
    app = Fastify({ bodyLimit: 1024 * 1024 });
    app.addHook('preParsing', async (request, _reply, payload) => {
      if (request.headers['content-encoding'] !== 'gzip') return payload;
      delete request.headers['content-length'];
      return (payload as NodeJS.ReadableStream).pipe(zlib.createGunzip());
    });
    app.post('/v1/batches', async (request) => ({
      accepted: (request.body as { answers: { id: string }[] }).answers.map((a) => a.id),
      duplicate: [],
      rejected: [],
      serverTime: Date.now(),
    }));
    app.post('/v1/heartbeat', async () => ({ serverTime: Date.now() }));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => app.close() };
}

const deviceIdOf = (dataDir: string): string => {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare("SELECT value FROM meta WHERE key = 'device_id'").pluck().get() as string;
  } finally {
    db.close();
  }
};

const tapOver = async (url: string, value: number) => {
  const call = httpCall(url);
  const session = (await call('getSession', {})) as { value: SessionView };
  const t0 = performance.now();
  await call('press', touchOn(session.value.screenId, { type: 'score', value }));
  return performance.now() - t0;
};

/**
 * (e, g) A console offline long enough to hold `count` answers comes back: `pult serve` drains to a
 * collector on loopback. Measures answers/s, the console's peak RSS, and tap latency during the
 * drain beside the same console's tap latency once idle.
 */
async function drain(count: number, target: 'collector' | 'bare', withTaps: boolean) {
  const dataDir = await agedDataDir(count);
  const dir = tmp();
  const tokens = path.join(dir, 'tokens.json');
  const token = addDevice(tokens, deviceIdOf(dataDir));
  const store = target === 'collector' ? openSqliteStore(path.join(dir, 'collector.db')) : null;
  const collector = await localCollector(store, tokens);
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ ...QUICK, sync: { endpoint: collector.url, token, intervalMs: 100 } }));
  const t0 = performance.now();
  const host = await startHost(['--config', configFile, '--data-dir', dataDir]);
  const during: number[] = [];
  // Drained when no answer older than this run is left unsent (the taps below add new ones).
  const startedAtWall = Date.now();
  for (;;) {
    if (withTaps) during.push(await tapOver(host.url, 1 + (during.length % 5)));
    const status = (await (
      await fetch(`${host.url}api/getSyncStatus`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { value: { oldestUnsentAt: number | null } };
    const oldest = status.value.oldestUnsentAt;
    if (oldest === null || oldest >= startedAtWall) break;
    await new Promise((resolve) => setTimeout(resolve, withTaps ? 50 : 100)); // taps 20 per second: far busier than any window
  }
  const seconds = (performance.now() - t0) / 1000;
  const rssKiB = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${host.child.pid}/status`, 'utf8'))?.[1] ?? 0);
  const idle: number[] = [];
  for (let i = 0; i < (withTaps ? 200 : 0); i++) {
    idle.push(await tapOver(host.url, 1 + (i % 5)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await host.stop();
  await collector.close();
  await store?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  return { perSecond: count / seconds, seconds, rssMiB: rssKiB / 1024, during, idle };
}

/** (f) Batches of 500 posted straight to a collector, 4 at a time: answers stored per second. */
async function ingest(store: CollectorStore | null, batches: number) {
  const dir = tmp();
  const tokens = path.join(dir, 'tokens.json');
  const device = { id: uuidv7(), office: 'o', window: 'w', appVersion: '0.1.0', bootId: uuidv7() };
  const token = addDevice(tokens, device.id);
  const collector = await localCollector(store, tokens);
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({
      schema: 1,
      device,
      batchId: uuidv7(),
      sentAt: Date.now(),
      answers: Array.from({ length: 500 }, (_, i) => ({
        id: uuidv7(),
        seq: b * 500 + i + 1,
        responseId: uuidv7(),
        question: 'csi',
        value: 1 + (i % 5),
        locale: 'ru',
        source: 'touch',
        flags: [],
        createdAt: Date.now(),
        monoMs: i,
        bootId: device.bootId,
      })),
    }),
  );
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${collector.url}v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      if (response.status !== 200) throw new Error(`ingest: HTTP ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const perSecond = (batches * 500) / ((performance.now() - t0) / 1000);
  await collector.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return perSecond;
}

/**
 * (h) A box press → the answer stored → the acknowledgement back at the box, over a real serial line
 * (socat pty pair, the Pult box simulator), beside the raw round trip of a line over a pty pair.
 */
async function boxLatency(presses: number) {
  const dir = tmp();
  const binding = await systemBinding();
  const acked: (() => void)[] = [];
  const box = await virtualBox({ dir, buttons: 5, binding, onCommand: (c) => c.kind === 'ack' && acked.shift()?.() });
  const boxes = [{ id: 'bench', port: { path: box.consolePath }, buttons: 5, debounceMs: 0 }];
  const service = await PultService.open({
    dataDir: path.join(dir, 'data'),
    config: PultConfigSchema.parse({ ...QUICK, boxes }),
    binding,
  });
  while (!service.status.read().boxes[0]?.connected) await new Promise((resolve) => setTimeout(resolve, 10));
  const stored: number[] = [];
  for (let i = 0; i < presses; i++) {
    const ack = new Promise<void>((resolve) => acked.push(resolve));
    const t0 = performance.now();
    box.sim.press(1 + (i % 5));
    await ack;
    stored.push(performance.now() - t0);
  }
  const answers = service.status.read().answersStored;
  await service.close();
  await box.close();

  const pair = await createPtyPair(path.join(dir, 'echo-a'), path.join(dir, 'echo-b'));
  const echo = await openSerial(binding, pair.a);
  const sender = await openSerial(binding, pair.b);
  echo.on('data', (chunk: Buffer) => echo.write(chunk));
  const lines = sender.pipe(new LineParser());
  const raw: number[] = [];
  for (let i = 0; i < presses; i++) {
    const back = once(lines, 'data');
    const t0 = performance.now();
    sender.write(`B${1 + (i % 5)} #${i + 1} *00\r\n`);
    await back;
    raw.push(performance.now() - t0);
  }
  echo.destroy();
  sender.destroy();
  await pair.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { stored, raw, answers };
}

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const openFiles = (pid: number): number => fs.readdirSync(`/proc/${pid}/fd`).length;

/** The contract's calls over the host's call socket, from this process (as the screen makes them). */
async function socketCalls(url: string) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}api/calls`, { headers: { origin: url.replace(/\/$/, '') } });
  await once(socket, 'open');
  let next = 0;
  const waiting = new Map<number, (result: { ok: boolean; value?: unknown }) => void>();
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as { id: number; result: { ok: boolean; value?: unknown } };
    waiting.get(reply.id)?.(reply.result);
    waiting.delete(reply.id);
  });
  const call = <T>(method: string, input: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, (result) => (result.ok ? resolve(result.value as T) : reject(new Error(JSON.stringify(result)))));
      socket.send(JSON.stringify({ id, method, input }));
    });
  return { call, close: () => socket.close() };
}

/**
 * (r) A day at the window, compressed: `pult serve` takes `presses` touches back to back over its
 * call socket, while an event-stream client drops and reconnects every `sseEvery` presses and a box's
 * serial adapter is pulled and plugged in again every `boxEvery` (socat ends and starts again). The
 * process's RSS and open files are read idle, then every 25,000 presses.
 */
async function soak(presses: number, sseEvery: number, boxEvery: number, env: NodeJS.ProcessEnv) {
  const dir = tmp();
  const boxLink = path.join(dir, 'box');
  const plug = () => createPtyPair(boxLink, path.join(dir, 'box-far-end'));
  let box: Awaited<ReturnType<typeof plug>> | null = await plug();
  const configFile = path.join(dir, 'config.json');
  const boxes = [{ id: 'soak', port: { path: boxLink }, buttons: 5 }];
  fs.writeFileSync(configFile, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE, boxes }));
  const host = await startHost(['--config', configFile, '--data-dir', path.join(dir, 'data')], env);
  const pid = host.child.pid!;
  const calls = await socketCalls(host.url);
  let screenId = (await calls.call<SessionView>('getSession', {})).screenId;
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // idle: started, the screen open, nothing tapped
  const idle = { rssMiB: rssMiB(pid), files: openFiles(pid) };
  const samples: { presses: number; rssMiB: number; files: number }[] = [];
  let events: http.ClientRequest | null = null;
  let reconnects = 0;
  let replugs = 0;
  // A press on a screen a timer has just moved on is answered `ignored`: it answers nothing.
  const outcomes = new Map<string, number>();
  for (let i = 1; i <= presses; i++) {
    const reply = await calls.call<PressReply>('press', touchOn(screenId, { type: 'score', value: 1 + (i % 5) }));
    outcomes.set(reply.outcome, (outcomes.get(reply.outcome) ?? 0) + 1);
    screenId = reply.session.screenId;
    if (i % sseEvery === 0) {
      events?.destroy();
      events = http.get(`${host.url}api/events?events=session,status`, (response) => response.resume());
      reconnects++;
    }
    if (i % boxEvery === 0) {
      if (box) {
        await box.close();
        box = null;
      } else box = await plug();
      replugs++;
    }
    if (i % 25_000 === 0) samples.push({ presses: i, rssMiB: rssMiB(pid), files: openFiles(pid) });
  }
  events?.destroy();
  calls.close();
  const stored = (await httpCall(host.url)('getStatus', {})) as { value: { answersStored: number } };
  await host.stop();
  await box?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { idle, samples, reconnects, replugs, stored: stored.value.answersStored, outcomes: Object.fromEntries(outcomes) };
}

/**
 * (i) Statistics at scale: `count` answers across 20 windows and 2 years (office hours), each
 * query of the supervisor's screen timed beside the naive query over the raw answers.
 */
async function statsAtScale(count: number) {
  const dir = tmp();
  const service = await PultService.open({ dataDir: dir, config });
  await service.close();
  const db = new Database(path.join(dir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // building the fixture only
  const { append } = ledger(db, config.timeZone);
  const DAYS = 730;
  const WINDOWS = 20;
  const OPERATORS = 40;
  const end = Date.UTC(2026, 10, 26, 15);
  const build = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const day = Math.floor((i / count) * DAYS);
      const createdAtMs = end - (DAYS - 1 - day) * 86_400_000 + ((i * 7919) % (10 * 3_600_000)) - 7 * 3_600_000;
      const question = i % 3 === 2 ? 'nps' : 'csi';
      const answer = AnswerInputSchema.parse({
        question,
        value: question === 'nps' ? i % 11 : 1 + (i % 5),
        responseId: uuidv7(),
        locale: 'ru',
        source: 'touch',
      });
      const window = `window-${i % WINDOWS}`;
      // Nine in ten bound by the queue to one of 40 operators and 12 services; the tenth unbound.
      const bound = i % 10 !== 9;
      append(
        answerRow(answer, {
          id: uuidv7(),
          officeId: 'bench',
          windowId: window,
          operatorId: bound ? `op-${(i * 7) % OPERATORS}` : null,
          ticket: bound ? `А-${i % 999}` : null,
          serviceId: bound ? `770000001000000${String(i % 12).padStart(4, '0')}` : null,
          createdAtMs,
          monoMs: i,
          bootId: 'bench',
        }),
        uuidv7(),
      );
    }
  });
  for (let from = 0; from < count; from += 20_000) build(from, Math.min(count, from + 20_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const read = asReadable(new Database(path.join(dir, DATABASE_FILE), { readonly: true }));
  const today = officeToday(config.timeZone, end);
  const dayBefore = (days: number) => officeToday(config.timeZone, end - days * 86_400_000);
  const periods = [
    { name: 'today', from: today },
    { name: '7 days', from: dayBefore(6) },
    { name: '30 days', from: dayBefore(29) },
    { name: '2 years', from: dayBefore(DAYS) },
  ];
  const timeOf = (run: () => unknown, times = 15) => {
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      run();
      samples.push(performance.now() - t0);
    }
    return median(samples);
  };
  const naive = read.prepare(
    `SELECT question, value, count(*) FROM answers WHERE flags = '[]' AND created_at_ms >= ? AND (? IS NULL OR window_id = ?) GROUP BY question, value`,
  );
  const results = [];
  for (const period of periods) {
    for (const windowId of ['window-3', undefined]) {
      const fromMs = Date.parse(`${period.from}T00:00:00+03:00`);
      results.push({
        period: period.name,
        window: windowId ?? 'all 20',
        rollups: timeOf(() => periodStats(read, { from: period.from, to: today, windowId })),
        windows: timeOf(() => windowStats(read, { from: period.from, to: today })),
        naive: timeOf(() => naive.all(fromMs, windowId ?? null, windowId ?? null), 3),
      });
    }
  }
  const operators = periods.map((period) => ({
    period: period.name,
    ms: timeOf(() => operatorStats(read, { from: period.from, to: today, criterion: 'csi', priorStrength: 40 })),
  }));
  const naiveOperators = read.prepare(
    `SELECT operator_id, service_id, value, count(*) FROM answers WHERE flags = '[]' AND operator_id IS NOT NULL
       AND question = 'csi' AND created_at_ms >= ? GROUP BY 1, 2, 3`,
  );
  const operatorsNaive = timeOf(() => naiveOperators.all(Date.parse(`${dayBefore(DAYS)}T00:00:00+03:00`)), 3);
  read.close();
  const screen = await supervisorCalls(dir, dayBefore(DAYS), today);
  fs.rmSync(dir, { recursive: true, force: true });
  return { results, screen, operators, operatorsNaive };
}

/**
 * (i9) What the supervisor screen waits for on that console, through the contract: its figures
 * (getStats: the period's figures and every window's totals in one call) and its health (getHealth:
 * status, sync status, the two alerts).
 */
async function supervisorCalls(dir: string, from: string, to: string) {
  await setPin(dir, '2468');
  const service = await PultService.open({ dataDir: dir, config: { ...config, window: { id: 'window-3', label: '3' } } });
  // The screen as a supervisor meets it: after the start-up integrity check (a checker process reading the
  // whole file for seconds, which would otherwise share the two cores with the figures).
  await service.integrityChecked;
  const opened = await service.link.invoke('openSupervisor', { pin: '2468' });
  if (!opened.ok || (opened.value as { status: string }).status !== 'open') throw new Error('no supervisor session');
  const token = (opened.value as { token: string }).token;
  const timed = async (method: string, input: unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const result = await service.link.invoke(method, input);
      samples.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.error.message);
    }
    return median(samples);
  };
  const stats = {
    today: await timed('getStats', { token }),
    years: await timed('getStats', { token, period: { from, to } }),
    health: await timed('getHealth', { token }),
    operators: await timed('getOperators', { token, period: { from, to } }),
  };
  await service.close();
  return stats;
}

/**
 * (j) What the rollup upkeep (hourly rollups + the summed rollups' triggers) adds to a tap: the same
 * press through the core on a console whose rollups take nothing (a BEFORE INSERT trigger drops the
 * row, the summing triggers are gone), alternated with a normal console.
 */
async function rollupUpkeep(rounds: number, perRound: number) {
  const open = async (with_ = config) => PultService.open({ dataDir: tmp(), config: with_ });
  const normal = await open();
  const without = await open();
  // (j2) A console whose every tap is a new ticket's rating: its claim, its operator rollups.
  const bound = await open(PultConfigSchema.parse({ ...QUICK, queue: { token: 'bench-queue-token-0123456789' } }));
  // Storage's own connection, through its public reader; the bench alone changes the schema with it.
  const db = without.storage.read((connection) => connection);
  db.exec(`DROP TRIGGER rollups_sum_new; DROP TRIGGER rollups_sum_more;
           CREATE TRIGGER rollups_take_nothing BEFORE INSERT ON rollups BEGIN SELECT RAISE(IGNORE); END;`);
  const times = { normal: [] as number[], without: [] as number[], bound: [] as number[] };
  const serveNext = async (i: number) => {
    const visit = { ticket: `А-${i}`, operatorId: `op-${i % 7}`, serviceId: '7700000010000000001' };
    await bound.link.queueEvent({ type: 'called', ...visit });
    await bound.link.queueEvent({ type: 'started', ...visit });
  };
  const tap = async (service: PultService, into: number[], i: number) => {
    const press = touchOn(service.session.view().screenId, { type: 'score', value: 1 + (i % 5) });
    const t0 = performance.now();
    await service.link.invoke('press', press);
    into.push(performance.now() - t0);
  };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < perRound; i++) await tap(normal, times.normal, i);
    for (let i = 0; i < perRound; i++) await tap(without, times.without, i);
    for (let i = 0; i < perRound; i++) {
      await serveNext(round * perRound + i);
      await tap(bound, times.bound, i);
    }
  }
  const operatorRows = bound.storage.read((c) =>
    c.prepare("SELECT sum(count) FROM operator_rollups WHERE unit = 'day'").pluck().get(),
  );
  if (operatorRows !== rounds * perRound) throw new Error(`the bound console counted ${String(operatorRows)} operators' ratings`);
  const stored = db.prepare('SELECT count(*) FROM rollups').pluck().get() as number;
  if (stored !== 0) throw new Error('the console without upkeep counted rollups');
  await normal.close();
  await without.close();
  await bound.close();
  return {
    normal: median(times.normal),
    without: median(times.without),
    bound: median(times.bound),
    samples: times.normal.length,
  };
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

const heartbeatOf = (id: string, n: number) => ({
  schema: 1,
  device: { id, office: `mfc-${n % 60}`, window: `w-${n % 12}`, appVersion: '0.1.0', bootId: uuidv7() },
  sentAt: Date.now(),
  outboxDepth: n % 7,
  oldestUnsentAt: n % 7 ? Date.now() - 30_000 : null,
  lastAckAt: Date.now(),
  lastError: null,
  quarantineCount: 0,
  freeDiskBytes: 8e9,
  clockOffsetMs: 40,
  lastAnswerAt: Date.now() - 60_000,
  uptimeMs: 3_600_000,
  boxes: [{ id: 'box1', connected: true, lastPressAt: null, invalidFrames: 0 }],
  office: { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00' },
  configVersion: 3,
  refusedConfig: null,
});

/**
 * (k) The fleet at 5,000 consoles: `GET /v1/fleet` against `GET /v1/health` on the same
 * collector, and what 5,000 consoles beating every 60 s cost a `pult collector serve` process in
 * CPU (heartbeats over HTTP, plus the alert evaluation of every console every 10 s).
 */
async function fleetAtScale(count: number) {
  const dir = tmp();
  const tokensFile = path.join(dir, 'tokens.json');
  const ids = Array.from({ length: count }, () => uuidv7());
  const made = addDevices(
    tokensFile,
    ids.map((deviceId) => ({ deviceId })),
  );
  const admin = addAdmin(tokensFile);
  const db = path.join(dir, 'collector.db');
  const store = openSqliteStore(db);
  for (const [n, id] of ids.entries()) await store.heartbeat(heartbeatOf(id, n) as never, Date.now());
  const app = await createCollector({ store, tokens: tokenRegistry(tokensFile) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const timed = async (url: string, runs: number) => {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const reply = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
      await reply.arrayBuffer();
      times.push(performance.now() - started);
    }
    return times;
  };
  await timed(`${base}/v1/fleet`, 3);
  const fleet: number[] = [];
  const health: number[] = [];
  for (let round = 0; round < 10; round++) {
    fleet.push(...(await timed(`${base}/v1/fleet`, 3)));
    health.push(...(await timed(`${base}/v1/health`, 3)));
  }
  const watch = watchAlerts({
    store,
    thresholds: DEFAULT_THRESHOLDS,
    now: Date.now,
    everyMs: 3_600_000,
    onError: () => undefined,
  });
  const evaluations: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    await watch.evaluate();
    evaluations.push(performance.now() - started);
  }
  await watch.stop();
  await app.close();
  await store.close();

  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/pult.js'), 'collector', 'serve', '--db', db, '--tokens', tokensFile, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PULT_LANG: 'en' },
    },
  );
  const url = await new Promise<string>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /collector ready at (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    }),
  );
  const send = async (requests: { path: string; token: string; body?: unknown }[]) => {
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const reply = await fetch(new URL(request.path, url), {
          method: request.body ? 'POST' : 'GET',
          headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' },
          body: request.body ? JSON.stringify(request.body) : undefined,
        });
        await reply.arrayBuffer();
      }
    };
    const before = cpuSeconds(child.pid!);
    await Promise.all(Array.from({ length: 16 }, worker));
    return cpuSeconds(child.pid!) - before;
  };
  // Warm up, then every console beats once (and asks for its config, as a console does), and the baseline: the same number of /v1/health.
  await send(made.slice(0, 500).map((m, n) => ({ path: 'v1/heartbeat', token: m.token, body: heartbeatOf(m.deviceId, n) })));
  const beats = await send(
    made.flatMap((m, n) => [
      { path: 'v1/heartbeat', token: m.token, body: heartbeatOf(m.deviceId, n) },
      { path: 'v1/config', token: m.token },
    ]),
  );
  const healthCpu = await send(
    made.flatMap((m) => [
      { path: 'v1/health', token: m.token },
      { path: 'v1/health', token: m.token },
    ]),
  );
  child.kill('SIGTERM');
  await once(child, 'exit');
  fs.rmSync(dir, { recursive: true, force: true });
  const evaluationCpuPerMinute = (6 * median(evaluations)) / 1000;
  return {
    count,
    fleet,
    health,
    evaluations,
    beatsCpu: beats,
    healthCpu,
    /** Of one core: 5,000 heartbeats (+ config checks) a minute, and six evaluations. */
    coreShare: (beats + evaluationCpuPerMinute) / 60,
  };
}

if (process.env.PULT_BENCH_ONLY === 'fleet') {
  const k = await fleetAtScale(5_000);
  log(
    `fleet of ${k.count}: GET /v1/fleet p50 ${ms(median(k.fleet))} p95 ${ms(quantile(k.fleet, 0.95))} (health p50 ${ms(median(k.health))}); alert evaluation ${ms(median(k.evaluations))}; a minute of heartbeats ${k.beatsCpu.toFixed(2)} CPU s (the same number of health calls ${k.healthCpu.toFixed(2)} s) → ${(k.coreShare * 100).toFixed(1)} % of a core`,
  );
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'js') {
  console.log(initialJavaScript());
  process.exit(0);
}
if (process.env.PULT_BENCH_ONLY === 'upkeep') {
  for (let run = 0; run < 3; run++) {
    const j = await rollupUpkeep(6, 150);
    log(`tap with rollup upkeep ${ms(j.normal)} vs without ${ms(j.without)}: ${(j.normal / j.without).toFixed(2)}×`);
    log(
      `a new ticket's rating (claim + operator rollups) ${ms(j.bound)} vs unbound ${ms(j.normal)}: ${(j.bound / j.normal).toFixed(2)}×`,
    );
  }
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'stats') {
  const scale = await statsAtScale(Number(process.env.PULT_BENCH_ANSWERS ?? 1_000_000));
  console.log(scale.screen);
  for (const r of scale.results)
    log(
      `stats ${r.period}, ${r.window}: ${ms(r.rollups)}; every window's list ${ms(r.windows)} (naive over the answers ${ms(r.naive)})`,
    );
  for (const r of scale.operators) log(`operators ${r.period}: ${ms(r.ms)} (naive 2 years ${ms(scale.operatorsNaive)})`);
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'tap') {
  // (a) alone, on an empty console: what a change to the tap path costs; nothing is written to docs/.
  const dir = tmp();
  const one = await PultService.open({ dataDir: dir, config });
  const result = await commitOverhead({ empty: one, aged: one });
  log(
    `tap through the core median ${ms(result.empty)} vs bare commit ${ms(result.bare)}: ${(result.empty / result.bare).toFixed(2)}×`,
  );
  await one.close();
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'start') {
  // (c1) and (b4s) alone, with the host's part apart.
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  for (const rate of [1, 4]) {
    const start = (await startToFirstScreen(browser, tmp, 3, false, rate))!;
    log(
      `${rate}× CPU: first screen painted p50 ${ms(start.p50)}, max ${ms(start.max)} (the host listening after ${ms(start.listeningP50)}, Playwright saw the screen after ${ms(start.seenP50)})`,
    );
  }
  await browser.close();
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'soak') {
  const presses = Number(process.env.PULT_BENCH_PRESSES ?? 200_000);
  const r = await soak(
    presses,
    Number(process.env.PULT_BENCH_SSE_EVERY ?? Math.round(presses / 1440)),
    Number(process.env.PULT_BENCH_BOX_EVERY ?? Math.round(presses / 2880)),
    { NODE_OPTIONS: unitEnvironment(path.join(root, 'packaging/systemd/pult.service')).NODE_OPTIONS ?? '' },
  );
  log(JSON.stringify(r));
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'wal') {
  const pages = await walPagesPerTap(20);
  log(
    `WAL pages per tap ${pages.total.toFixed(1)} (bare commit ${pages.bare.toFixed(1)}): ${pages.perTap.map(([owner, n]) => `${owner} ${n.toFixed(1)}`).join(', ')}`,
  );
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'hold') {
  // (b1h) alone: held taps, from the finger's lift, on the bare page, the bare page + echo and the console.
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const figures = await heldTaps(browser, Number(process.env.PULT_BENCH_CPU ?? 1));
  await browser.close();
  for (const [name, times] of Object.entries(figures))
    log(`${name}: lift → next screen p50 ${ms(median(times))} p95 ${ms(quantile(times, 0.95))}`);
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'touch') {
  // (b1) alone: touch → next screen on an empty console beside the bare page; nothing is written to docs/.
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const baseMarks = await touchBaseline(browser, 60);
  // PULT_BENCH_TRACE=<file>: a Chromium trace of the console's touches, for chrome://tracing or Perfetto.
  const trace = process.env.PULT_BENCH_TRACE;
  if (trace)
    await browser.startTracing(undefined, {
      path: trace,
      // The scheduler's and the compositor's categories show when a reply's task ran against the frames (b1e).
      categories: ['devtools.timeline', 'blink.user_timing', 'input', 'benchmark', 'toplevel', 'renderer.scheduler', 'cc', 'viz'],
    });
  // PULT_BENCH_CPU=4: the page's CPU throttled, as in b4.
  const touchMarks = await consoleTouches(browser, tmp(), 30, Number(process.env.PULT_BENCH_CPU ?? 1));
  if (trace) await browser.stopTracing();
  const [base, touches] = [painted(baseMarks), painted(touchMarks)];
  log(`bare page medians: ${stepsText(touchSteps(baseMarks))}`);
  log(`console medians: ${stepsText(touchSteps(touchMarks))}`);
  for (const slow of [...touchMarks].sort((a, b) => b.painted - a.painted).slice(0, 3))
    log(`a slow touch: ${stepsText(touchSteps([slow]))}, painted at ${ms(slow.painted)}`);
  await browser.close();
  log(
    `touch → next screen p50 ${ms(median(touches))} p95 ${ms(quantile(touches, 0.95))}; bare page p95 ${ms(quantile(base, 0.95))}`,
  );
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'box') {
  const h = await boxLatency(500);
  log(
    `box press → stored → ack p50 ${median(h.stored).toFixed(2)} p99 ${quantile(h.stored, 0.99).toFixed(2)} ms; raw pty round trip p50 ${median(h.raw).toFixed(2)} p99 ${quantile(h.raw, 0.99).toFixed(2)} ms; ${h.answers} answers`,
  );
  process.exit(0);
}

if (process.env.PULT_BENCH_ONLY === 'drain') {
  // A quick look at (e, g) alone while working on the uploader; nothing is written to docs/.
  const alone = await drain(84_000, 'collector', false);
  log(`drain alone ${Math.round(alone.perSecond)}/s, peak RSS ${alone.rssMiB.toFixed(0)} MiB`);
  const run = await drain(84_000, 'collector', true);
  log(
    `drain ${Math.round(run.perSecond)}/s; taps p50 ${median(run.during).toFixed(2)} vs idle ${median(run.idle).toFixed(2)} ms (${(median(run.during) / median(run.idle)).toFixed(2)}×), p95 ${quantile(run.during, 0.95).toFixed(2)} vs ${quantile(run.idle, 0.95).toFixed(2)} ms, ${run.during.length} taps`,
  );
  process.exit(0);
}

log(`building a console with ${AGED_ANSWERS} answers…`);
const agedDir = await agedDataDir(AGED_ANSWERS);
const agedSize = fs.statSync(path.join(agedDir, DATABASE_FILE)).size;
const emptyDir = tmp();

phase('(a) tap cost in the core');
const services = {
  empty: await PultService.open({ dataDir: emptyDir, config }),
  aged: await PultService.open({ dataDir: agedDir, config }),
};
await services.aged.integrityChecked;
const a = await commitOverhead(services);
await services.empty.close();
await services.aged.close();

const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
phase('(b) touch → paint');
const bBaseMarks = await touchBaseline(browser, 60);
const bEmptyMarks = await consoleTouches(browser, tmp(), 30);
const bBase = painted(bBaseMarks);
const bEmpty = painted(bEmptyMarks);
const bAged = painted(await consoleTouches(browser, agedDir, 30));
const bEcho = painted(await touchEchoBaseline(browser, 60));
const bEchoRead = painted(await touchEchoBaseline(browser, 60, 0, 'console'));
phase('(b1h) held taps');
const held = await heldTaps(browser);
const bSteps = touchSteps(bEmptyMarks);
log(`console medians: ${stepsText(bSteps)}`);
phase('(b4) the same on a CPU 4× slower');
const b4Base = painted(await touchBaseline(browser, 60, 4));
const b4Marks = await consoleTouches(browser, tmp(), 30, 4);
const b4 = painted(b4Marks);
const b4LongTasks = b4Marks.longTasks ?? [];
log(`console medians at 4×: ${stepsText(touchSteps(b4Marks))}`);
const b4Start = (await startToFirstScreen(browser, tmp, 5, false, 4))!;
phase('(c) start-up');
const cEmpty = (await startToFirstScreen(browser, tmp, 5))!;
const cAged = (await startToFirstScreen(browser, () => agedDir, 5))!;
const cPowerOn = await startToFirstScreen(browser, () => agedDir, 3, true);
await browser.close();
const d = initialJavaScript();
fs.rmSync(agedDir, { recursive: true, force: true });

phase('(e, g) an offline console drains 84,000 answers');
const OFFLINE = 84_000;
const eBare = await drain(OFFLINE, 'bare', false);
const eReal = await drain(OFFLINE, 'collector', false);
const gTaps = await drain(OFFLINE, 'collector', true);
phase('(f) collector ingest');
const INGEST_BATCHES = 200;
const fBare = await ingest(null, INGEST_BATCHES);
const sqliteDir = tmp();
const fSqlite = await ingest(openSqliteStore(path.join(sqliteDir, 'collector.db')), INGEST_BATCHES);
fs.rmSync(sqliteDir, { recursive: true, force: true });
let fPostgres: number | null = null;
if (postgresAvailable()) {
  const cluster = await startCluster();
  try {
    const store = await openPostgresStore(cluster.url);
    fPostgres = await ingest(store, INGEST_BATCHES);
    await store.close();
  } finally {
    cluster.stop();
  }
}
phase('(h) box press → stored, over a pty');
const h = await boxLatency(1_000);
phase('(i) statistics at 1,000,000 answers, 20 windows, 2 years');
const i = await statsAtScale(1_000_000);
phase('(j) rollup upkeep on the tap');
const j = await rollupUpkeep(6, 150);
phase('(k) the fleet at 5,000 consoles');
const k = await fleetAtScale(5_000);
const rate = (value: number) => `${Math.round(value).toLocaleString('en')} answers/s`;

/** b1's p95 in the committed report of the last run before issue 7 moved the session into the core. */
const B1_BEFORE_SESSION_MOVE_P95 = 35.1;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const p95 = (values: number[]) => quantile(values, 0.95);
// Last: its 300,000 answers leave the disk busy writing back, which would slow whatever came next.
phase('(a3) WAL pages per tap');
const a3 = await walPagesPerTap(20);

phase(
  "(r) memory of pult serve: 100,000 taps as it runs by default, then 200,000 with pult.service's NODE_OPTIONS, an event stream reconnecting and a box pulled and plugged",
);
const UNIT_NODE_OPTIONS = unitEnvironment(path.join(root, 'packaging/systemd/pult.service')).NODE_OPTIONS ?? '';
const rDefault = await soak(100_000, 1_000_000, 1_000_000, {});
const r = await soak(200_000, Math.round(200_000 / 1440), Math.round(200_000 / 2880), { NODE_OPTIONS: UNIT_NODE_OPTIONS });
phase('(r) done, the report follows');
const at = (run: typeof r, presses: number) => run.samples.find((sample) => sample.presses === presses)!;

const report = `# Benchmarks

Written by \`npm run bench\` (tests/bench/run.ts) — do not edit by hand. Every figure stands
beside a baseline measured in the same run on the same machine: a slow machine slows both.

Last run: ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}.
The aged console holds ${AGED_ANSWERS.toLocaleString('en')} answers (${(agedSize / 2 ** 20).toFixed(0)} MiB database).

| # | what | measured | baseline (same run) | ratio | goal | |
|---|---|---|---|---|---|---|
| a1 | a tap through the core (zod parse + answer + outbox + rollup, one WAL/FULL transaction), empty console | median ${ms(a.empty)} (p95 ${ms(a.emptyP95)}) | bare one-row WAL/FULL commit: median ${ms(a.bare)} | **${(a.empty / a.bare).toFixed(2)}×** | ≤ 1.5× | ${verdict(a.empty / a.bare <= 1.5)} |
| a2 | the same tap on the aged console | median ${ms(a.aged)} (p95 ${ms(a.agedP95)}) | the empty console: ${ms(a.empty)} | **${(a.aged / a.empty).toFixed(2)}×** | ≤ 1.5× | ${verdict(a.aged / a.empty <= 1.5)} |
| b1 | touch → next screen painted in Chromium (touch events → call socket → commit → render → frame), empty console | p50 ${ms(median(bEmpty))}, p95 ${ms(p95(bEmpty))} | a bare page's touch → text change → frame: p95 ${ms(p95(bBase))} | p95 +${ms(p95(bEmpty) - p95(bBase))} | p95 ≤ 50 ms | ${verdict(p95(bEmpty) <= 50)} |
| b2 | the same on the aged console | p50 ${ms(median(bAged))}, p95 ${ms(p95(bAged))} | the empty console: p95 ${ms(p95(bEmpty))} | **${(p95(bAged) / p95(bEmpty)).toFixed(2)}×** | ≤ 1.5× | ${verdict(p95(bAged) / p95(bEmpty) <= 1.5)} |
| c1 | \`pult serve\` spawned → first screen painted, empty console, database not in the page cache | p50 ${ms(cEmpty.p50)}, max ${ms(cEmpty.max)} | — | — | ≤ 1500 ms | ${verdict(cEmpty.p50 <= 1500)} |
| c2 | the same on the aged console | p50 ${ms(cAged.p50)}, max ${ms(cAged.max)} | the empty console: ${ms(cEmpty.p50)} | **${(cAged.p50 / cEmpty.p50).toFixed(2)}×** | ≤ 1500 ms | ${verdict(cAged.max <= 1500)} |
| c3 | the aged console after a power-on: the whole page cache dropped (Node, node_modules, Chromium cold too) | ${cPowerOn ? `p50 ${ms(cPowerOn.p50)}, max ${ms(cPowerOn.max)}` : 'not measured (needs root)'} | c2: ${ms(cAged.p50)} | ${cPowerOn ? `${(cPowerOn.p50 / cAged.p50).toFixed(2)}×` : '—'} | — | info |
| e | an offline console drains ${OFFLINE.toLocaleString('en')} answers to a local collector (SQLite) after reconnect | **${rate(eReal.perSecond)}** (${eReal.seconds.toFixed(1)} s), console peak RSS ${eReal.rssMiB.toFixed(0)} MiB | the same drain to a bare endpoint that stores nothing: ${rate(eBare.perSecond)}, peak RSS ${eBare.rssMiB.toFixed(0)} MiB | ${(eReal.perSecond / eBare.perSecond).toFixed(2)}× | ≥ 20,000 answers/s | ${verdict(eReal.perSecond >= 20_000)} |
| f1 | collector ingest on SQLite, batches of 500, 4 in flight | **${rate(fSqlite)}** | bare fastify endpoint (parse, reply, store nothing): ${rate(fBare)} | ${(fSqlite / fBare).toFixed(2)}× | ≥ 20,000 answers/s | ${verdict(fSqlite >= 20_000)} |
| f2 | collector ingest on PostgreSQL 15 (throwaway cluster, fsync on) | ${fPostgres === null ? 'not measured (no PostgreSQL)' : `**${rate(fPostgres)}**`} | the bare endpoint: ${rate(fBare)} | ${fPostgres === null ? '—' : `${(fPostgres / fBare).toFixed(2)}×`} | ≥ 20,000 answers/s | ${fPostgres === null ? '—' : verdict(fPostgres >= 20_000)} |
| g | a tap (HTTP → core → commit) every 50 ms while the console drains the same backlog | p50 ${ms(median(gTaps.during))}, p95 ${ms(p95(gTaps.during))} over ${gTaps.during.length} taps (drain ${rate(gTaps.perSecond)} meanwhile) | the same console idle: p50 ${ms(median(gTaps.idle))}, p95 ${ms(p95(gTaps.idle))} | **${(median(gTaps.during) / median(gTaps.idle)).toFixed(2)}×** (p50), ${(p95(gTaps.during) / p95(gTaps.idle)).toFixed(2)}× (p95) | ≤ 1.5× | ${verdict(median(gTaps.during) / median(gTaps.idle) <= 1.5)} |
| b3 | b1 after the applicant session moved into the core (issue 7): a touch is a press to the core, which replies with the next screen | p95 ${ms(p95(bEmpty))} | b1 in the last run before the move (2026-11-26, recorded, not this run): p95 ${ms(B1_BEFORE_SESSION_MOVE_P95)} | **${(p95(bEmpty) / B1_BEFORE_SESSION_MOVE_P95).toFixed(2)}×** | ≤ 1.2× | ${verdict(p95(bEmpty) / B1_BEFORE_SESSION_MOVE_P95 <= 1.2)} |
| h | a box press → parsed → session → answer committed → acknowledgement back at the box, over a real pty pair (socat) | p50 ${ms(median(h.stored))}, **p99 ${ms(quantile(h.stored, 0.99))}** over ${h.stored.length} presses (${h.answers} answers stored) | the raw round trip of the same line over a pty pair (echoed back): p50 ${ms(median(h.raw))}, p99 ${ms(quantile(h.raw, 0.99))} | p50 +${ms(median(h.stored) - median(h.raw))} | p99 ≤ 5 ms | ${verdict(quantile(h.stored, 0.99) <= 5)} |
${i.results
  .map(
    (r, n) =>
      `| i${n + 1} | statistics of ${r.period}, ${r.window === 'all 20' ? 'every window together' : 'one window'} (CSI, satisfied share, NPS, reasons, misuse, by hour, trend), 1,000,000 answers over 20 windows and 2 years | **${ms(r.rollups)}**; the list of every window's CSI/NPS: **${ms(r.windows)}** | the naive query over the answers: ${ms(r.naive)} | ${(r.naive / Math.max(r.rollups, r.windows)).toFixed(0)}× faster | each ≤ 5 ms | ${verdict(r.rollups <= 5 && r.windows <= 5)} |`,
  )
  .join('\n')}
| i9 | the supervisor screen's own calls on that console (window-3), through the contract: \`getStats\` (the period's figures + every window's totals in one call), \`getHealth\` (status, sync status, alerts), \`getOperators\` (the operators' tab, 2 years) | getStats today **${ms(i.screen.today)}**, 2 years **${ms(i.screen.years)}**; getHealth **${ms(i.screen.health)}**; getOperators **${ms(i.screen.operators)}** | — | — | ≤ 5 ms each | ${verdict(Math.max(i.screen.today, i.screen.years, i.screen.health, i.screen.operators) <= 5)} |
| i10 | the operators' figures (40 operators × 12 services, 9 in 10 answers bound: each operator's share, interval, shrunk score, place, and per service) | ${i.operators.map((r) => `${r.period} **${ms(r.ms)}**`).join(', ')} | the naive GROUP BY over the answers, 2 years: ${ms(i.operatorsNaive)} | ${(i.operatorsNaive / Math.max(...i.operators.map((r) => r.ms))).toFixed(0)}× faster | each ≤ 5 ms | ${verdict(i.operators.every((r) => r.ms <= 5))} |
| j | a tap through the core with the rollup upkeep (hourly rollups + the summing triggers) | median ${ms(j.normal)} over ${j.samples} taps | the same on a console whose rollups take nothing: ${ms(j.without)} | **${(j.normal / j.without).toFixed(2)}×** | ≤ 1.10× | ${verdict(j.normal / j.without <= 1.1)} |
| j2 | a tap that rates a queue ticket (its one-rating claim, the answer bound to ticket, operator and service, the operator rollups), a new ticket each | median ${ms(j.bound)} over ${j.samples} taps | the unbound tap of j: ${ms(j.normal)} | **${(j.bound / j.normal).toFixed(2)}×** | ≤ 1.10× | ${verdict(j.bound / j.normal <= 1.1)} |
| k1 | \`GET /v1/fleet\` with ${k.count.toLocaleString('en')} registered consoles seeded (SQLite collector, over HTTP on loopback: states, facts, alerts, about 1.8 MB of JSON) | p50 **${ms(median(k.fleet))}**, p95 ${ms(quantile(k.fleet, 0.95))} over ${k.fleet.length} calls | \`GET /v1/health\` on the same collector: p50 ${ms(median(k.health))} | — | ≤ 50 ms | ${verdict(median(k.fleet) <= 50)} |
| k2 | ${k.count.toLocaleString('en')} consoles beating every 60 s: the CPU of a \`pult collector serve\` process for one heartbeat and one \`GET /v1/config\` from each, plus six alert evaluations of every console (${ms(median(k.evaluations))} each) | **${(k.coreShare * 100).toFixed(1)} % of one core** (${k.beatsCpu.toFixed(2)} CPU s a minute for the requests) | the same number of \`GET /v1/health\`: ${k.healthCpu.toFixed(2)} CPU s | ${(k.beatsCpu / k.healthCpu).toFixed(2)}× | ≤ 5 % of a core | ${verdict(k.coreShare <= 0.05)} |
| d | the renderer's initial JavaScript | ${d.files} file(s): **${(d.raw / 1024).toFixed(1)} KiB raw** (what loopback and \`app://\` send), ${(d.gzipped / 1024).toFixed(1)} KiB gzipped | — | — | ≤ 200 KB gzipped | ${verdict(d.gzipped <= 200 * 1000)} |
| d3 | the same initial JavaScript against issue 21's goal, the applicant's path loading no zod (\`shared/vocabulary.ts\`), Russian only, on Preact's compatibility layer (\`vite.config.ts\`) | ${(d.gzipped / 1024).toFixed(1)} KiB gzipped | recorded, not this run: 127.3 KiB gzipped, 412.6 KiB raw (2026-12-04, before the split) | **${(d.gzipped / 1024 / 127.3).toFixed(2)}×** | ≤ 90 KiB gzipped | ${verdict(d.gzipped <= 90 * 1024)} |
| d2 | the supervisor screen's JavaScript, loaded only when it opens | ${d.supervisor.files} file(s): ${(d.supervisor.raw / 1024).toFixed(1)} KiB raw, **${(d.supervisor.gzipped / 1024).toFixed(1)} KiB gzipped** | — | — | not in the applicant's initial load | ${verdict(d.supervisor.files > 0)} |
| b1f | b1 against issue 21's goal: within half a frame of the bare page | console p95 ${ms(p95(bEmpty))} | the bare page: p95 ${ms(p95(bBase))} | p95 +${ms(p95(bEmpty) - p95(bBase))} | ≤ bare + 8 ms | ${verdict(p95(bEmpty) <= p95(bBase) + 8)} |
| b1e | b1 beside a bare page whose button waits for a WebSocket echo (a server doing nothing), the touch read two ways: left to the browser (its click), and as the console reads it (\`renderer/touch-taps.ts\`: the touchstart cancelled, nothing drawn at the touch) | console p95 ${ms(p95(bEmpty))} | echo, the browser's way: p50 ${ms(median(bEcho))}, p95 ${ms(p95(bEcho))}; echo, the console's way: p50 ${ms(median(bEchoRead))}, p95 ${ms(p95(bEchoRead))} | p95 ${ms(p95(bEmpty) - p95(bEchoRead))} over the console's way | — | info |
| b1h | b1 with a person's tap: the finger down ${HELD_TAP_MS} ms, from its lift (touchend) → next screen painted | console p50 ${ms(median(held.console))}, p95 ${ms(p95(held.console))} | the bare page held the same: p95 ${ms(p95(held.bare))}; echo, the browser's way: p95 ${ms(p95(held.echo))}; echo, the console's way: p95 ${ms(p95(held.echoRead))} | p95 +${ms(p95(held.console) - p95(held.bare))} over the bare page | ≤ bare + 8 ms | ${verdict(p95(held.console) <= p95(held.bare) + 8)} |
| b4 | b1 with Chromium's CPU throttled 4× (DevTools \`Emulation.setCPUThrottlingRate\`), the cheapest terminal: touch → next screen, and the longest task while touching | p50 ${ms(median(b4))}, p95 **${ms(p95(b4))}**; longest task ${b4LongTasks.length === 0 ? 'none over 50 ms' : ms(Math.max(...b4LongTasks))} | the bare page throttled the same: p95 ${ms(p95(b4Base))} | p95 +${ms(p95(b4) - p95(b4Base))} | p95 ≤ 50 ms, no task > 50 ms | ${verdict(p95(b4) <= 50 && b4LongTasks.length === 0)} |
| b4s | \`pult serve\` spawned → first screen painted, the page's CPU throttled 4× | p50 ${ms(b4Start.p50)}, max ${ms(b4Start.max)} | c1 (not throttled): ${ms(cEmpty.p50)} | ${(b4Start.p50 / cEmpty.p50).toFixed(2)}× | ≤ 1500 ms | ${verdict(b4Start.p50 <= 1500)} |
| a3 | WAL pages written by one tap through the core (each of 20 taps alone in the WAL, \`dbstat\` names their owners) | **${a3.total.toFixed(1)} pages**: ${a3.perTap.map(([owner, n]) => `${owner} ${n.toFixed(1)}`).join(', ')} | a bare one-row commit: ${a3.bare.toFixed(1)} pages | ${(a3.total / a3.bare).toFixed(1)}× | — | info |
| r1 | RSS of \`pult serve\` idle (started, its screen's socket open, nothing tapped), with pult.service's \`NODE_OPTIONS\` (${UNIT_NODE_OPTIONS}) | **${r.idle.rssMiB.toFixed(0)} MiB**, ${r.idle.files} open files | Node's defaults: ${rDefault.idle.rssMiB.toFixed(0)} MiB | ${(r.idle.rssMiB / rDefault.idle.rssMiB).toFixed(2)}× | ≤ 100 MiB | ${verdict(r.idle.rssMiB <= 100)} |
| r2 | RSS after 100,000 taps (back to back over the call socket) | **${at(r, 100_000).rssMiB.toFixed(0)} MiB** | Node's defaults: ${at(rDefault, 100_000).rssMiB.toFixed(0)} MiB | ${(at(r, 100_000).rssMiB / at(rDefault, 100_000).rssMiB).toFixed(2)}× | ≤ 120 MiB | ${verdict(at(r, 100_000).rssMiB <= 120)} |
| r3 | a day compressed: ${r.stored.toLocaleString('en')} answers stored from 200,000 presses (the replies: ${Object.entries(
  r.outcomes,
)
  .map(([outcome, n]) => `${outcome} ${n.toLocaleString('en')}`)
  .join(
    ', ',
  )}) while an event stream reconnected ${r.reconnects} times and a box was pulled or plugged ${r.replugs} times | RSS ${r.samples.map((sample) => sample.rssMiB.toFixed(0)).join(' → ')} MiB, open files ${r.samples.map((sample) => sample.files).join(' → ')} (every 25,000 presses) | the 50,000th press: ${at(r, 50_000).rssMiB.toFixed(0)} MiB, ${at(r, 50_000).files} files | ${(at(r, 200_000).rssMiB / at(r, 50_000).rssMiB).toFixed(2)}× | no growth (≤ 1.05×, files ± 2) | ${verdict(at(r, 200_000).rssMiB <= at(r, 50_000).rssMiB * 1.05 && Math.abs(at(r, 200_000).files - at(r, 50_000).files) <= 2)} |

Notes
- (a) ${a.samples} taps each, one bare commit, one empty-console tap and one aged-console tap in turn, so that the disk's drifting flush time hits all three alike (it used to be rounds of 150 each: the ratio moved between 1.4× and 2× from run to run). Both sides fsync once per commit; the ratio a1 says what the core adds to the unavoidable flush (on a disk that acknowledges fsync from a cache, as a ${ms(a.bare)} bare commit suggests, a1 is the worst case). a2 shows that nothing on the tap path grows with the tables: counters are kept by triggers, statistics are rollups, the look-ups are indexed. Without the flush the tap's own work is small beside it: on 2026-12-07, with \`synchronous=OFF\` on both sides, a tap through the core took 0.08 ms (0.10 ms before the session stopped looking up every press before storing it, and the office's clock was asked of \`Intl\` once a minute instead of at every tap: the rollups' hour, a ticket's office day), the bare commit 0.03 ms; most of the difference is SQLite committing nine WAL pages against two (a3).
- (b) ${bEmpty.length} touches per console, each after the new screen settled (\`settleMs\`), measured inside the page from the \`touchstart\` event to the first animation frame after the next screen is in the DOM. The browser host adds an HTTP round trip on loopback that the Electron shell (IPC) does not.
- (e, g) \`pult serve\` with a sync config starts on a data directory holding the backlog; the drain is over when no answer older than the start is unsent. (e) nobody taps; (g) a tap is posted every 50 ms while it drains (far busier than any window), then 200 more the same way once it is idle. While taps come, the uploader sends batches of 100 instead of 500 (taps first), so the drain is slower meanwhile. The console sends gzip-compressed batches of 500 back to back; each verdict is applied in one transaction between taps.
- (h) The Pult box simulator sends \`B<n> #<seq> *<xx>\` and waits for the console's \`A\`, which the console sends only after the answer's COMMIT; so the figure is a full round trip (two pty traversals, like the baseline) plus the driver, the session and the durable write. Buttons 1–5 in turn, debounce off, no settle or guard time.
- (i) The dataset: 1,000,000 answers (⅔ CSI, ⅓ NPS) spread evenly over 20 windows and the 730 days up to the last day, ten office hours a day; written through the ledger (so the rollups and their triggers), fsync off while building. Each query is the median of 15 runs, the naive one (a GROUP BY over the answers table) of 3. Periods up to 62 days read daily and hourly sums; longer ones whole months plus the days around them (\`core/stats.ts\`, \`rollups_sum\`).
- (j) Both consoles are fresh and take the same presses, alternated in rounds; the difference is the rollup upkeep alone. (j2) A third console with a queue: before each tap (not timed) a new ticket is called and started, so every tap is a ticket's first rating: its claim, the answer and two operator-rollup rows, in the answer's one transaction.
- (i10) The same 1,000,000 answers, nine in ten bound to one of 40 operators and 12 services; a period reads each month it touches whole (less the days outside it) or by its days, one criterion's rows only (\`operator_rollups\`, migration 10).
- (f) Pre-built batches of 500 new answers (UUIDv7 ids), 4 requests in flight, through HTTP on loopback; the collector validates every answer and stores each batch in one transaction (one fsync).
- (k) Every console registered in the tokens file and one heartbeat each stored before; \`GET /v1/fleet\` called 30 times, alternating with \`GET /v1/health\` in rounds. The CPU is the collector process's own (user + system from /proc), 16 requests in flight; the alert evaluation (every console judged, office clocks worked out once per schedule) is timed in-process and counted six times a minute. Heartbeats are written without a flush of their own (\`synchronous = NORMAL\` for that statement; answers stay FULL).
- (b1h) The same touches with the finger held ${HELD_TAP_MS} ms before it lifts (DevTools \`Input.dispatchTouchEvent\`), as a person taps; b1's touches lift at once (\`touchscreen.tap\`).
- (b1e) Where a touch's time goes on the console (medians, from \`touchstart\`; \`PULT_BENCH_ONLY=touch\` prints them, \`PULT_BENCH_TRACE\` writes a Chromium trace with its scheduler's events): ${stepsText(bSteps)}. Calls go over the host's WebSocket (\`/api/calls\`; a \`fetch\` POST took 6.2 ms a round trip against 1.9 ms on it). Until 2026-12-07 every screen that waits for a server painted one frame after the bare page (b1 p95 34.6 against 16.4 ms): the trace showed the socket's reply in the renderer 2 ms after it was sent and the main thread idle, yet the reply's task ran only after the next frame. Chromium's scheduler holds such tasks back in two cases, each shown by the echo page alone: after a touchstart nobody cancelled (it waits to learn whether the page takes the gesture: the browser's way, one frame more even with nothing drawn at the touch), and when handling the touch changed anything to draw — a pressed look, a re-render, a \`requestAnimationFrame\` (then it draws that first: with the touchstart cancelled but the button restyled at the touch, the echo page still read 32.7 ms). The console now cancels the touchstart on its buttons, clicks the button at touchend, and changes nothing at the touch: «Сохраняем…» comes by a timer after 300 ms (it was a state set at the press, which re-rendered), the pressed look after 50 ms (\`PRESSED_LOOK_AFTER_MS\`) only if the next screen is late. The next screen is then drawn in the first frame after the reply, which is often sooner than the bare page's frame (frames are not aligned to touches once nothing waits for the gesture).
- (b4) Medians at 4×: ${stepsText(touchSteps(b4Marks))}. Throttling slows the page's main thread only (the core and the network run at full speed), as on a terminal whose weak CPU mostly draws. Long tasks are the page's own (\`PerformanceObserver\` \`longtask\`), from its first screen to the last touch. A trace at 4× (2026-12-07, \`PULT_BENCH_ONLY=touch PULT_BENCH_CPU=4 PULT_BENCH_TRACE=…\`), medians per touch after the reply arrived: the page's JavaScript 5.2 ms (Preact building the next screen: a new question's buttons are new elements), style 1.0, layout 2.3, pre-paint 1.0, paint 1.9, layerize 0.8 ms; the rest of commitToPaint is the wait for the frame. Without the buttons' own compositor layers (\`will-change\`) those steps took 0.4 ms less in all, inside the run's spread, so the layers stay (they keep the pressed look from repainting). The p95 is the third-slowest of 60 touches and follows the machine: the slowest touches of such runs waited on the host (a request of 58.9 ms against a median of 6.4) or on a main thread that got no CPU (touch to click 10.6 ms against 2.2).
- (a3) The answer row and its two indexes (its id, its response), the press id (a press sent again is applied once after a restart), the outbox row (nothing unsent is lost; since migration 12 its batch index holds batched rows only, so a new row writes no index page — 10.1 pages before), the hourly rollup and its sum (statistics in flat time), the counters (status without a count), and \`sqlite_sequence\` (AUTOINCREMENT). That last page is the one the tap could do without: answers are never deleted (a trigger refuses it), so a plain INTEGER PRIMARY KEY would not reuse a seq either. It stays because SQLite can drop AUTOINCREMENT only by rebuilding the answers table (a million rows, twice the disk, at an upgrade) or by editing the schema in SQLite's unsafe mode, for one page of nine; and salvage reads it as a damaged file's highest seq. The bare commit writes its row and its key.
- (r) \`pult serve\` with the demo config plus a box on a socat pty (\`/proc/<pid>/status\` VmRSS, \`/proc/<pid>/fd\`). 24 hours compressed: an event-stream client reconnects every 139 presses (every minute of a day), the box's adapter is pulled or plugged every 69 (every 30 s). With Node's defaults V8 lets its young generation reach 48 MiB and collects the old one lazily, so RSS rose 1.3 MiB every 1,000 taps (garbage, not kept objects: the heap stays at about 16 MiB); each SQLite connection's page cache is capped at 4 MiB (better-sqlite3 allows 16 MiB); exceljs, xml-crypto and pg are loaded when an export, a signature or a PostgreSQL collector needs them.
- (c) ${cEmpty.samples} starts each; before each the database files' pages were evicted (\`dd iflag=nocache count=0\`). Includes Node start, opening the database (the full integrity check runs afterwards in a process of its own), fastify, page load and the first render. The first screen counts from the frame after its buttons entered the DOM, read inside the page (wall clock); until 2026-12-07 it counted when Playwright's wait for the element returned, which under 4× throttling polls on the same slowed main thread: this run Playwright saw it at c1 ${ms(cEmpty.seenP50)}, b4s ${ms(b4Start.seenP50)}. The host's own part (spawned → listening): c1 ${ms(cEmpty.listeningP50)}, b4s ${ms(b4Start.listeningP50)}. The buttons take touches \`settleMs\` (400 ms) after the screen appears, by design (a touch never answers a question not yet seen).
`;
fs.writeFileSync(path.join(root, 'docs/BENCHMARKS.md'), report);
process.stdout.write(report);
// The table is written. Exit now rather than when the event loop drains: the run's own heap ends
// near V8's limit (the phases' headings show it), and collecting it on the way out once ran it over.
process.exit(0);
