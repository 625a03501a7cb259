import type { Alert } from '../shared/wire.js';
import { ALERT_LIMITS, causesOf, OfficeClock, type FleetThresholds } from './fleet.js';
import type { AlertRow, CollectorStore } from './store.js';

/**
 * The fleet's alerts, raised when a cause appears (or has lasted its hold) and cleared by
 * themselves when it goes. The store holds them, so several collectors on one database agree:
 * each change is made by one conditional write, and only the collector whose write took tells
 * the webhook.
 */
export interface AlertWatch {
  /** Looks at every console once now (the timer does it every `everyMs`). */
  evaluate(): Promise<void>;
  stop(): Promise<void>;
}

export interface AlertWatchOptions {
  store: CollectorStore;
  thresholds: FleetThresholds;
  now: () => number;
  everyMs: number;
  /** `--alert-webhook URL`: each change POSTed as JSON, retried with backoff. */
  webhook?: { url: string; fetch?: typeof fetch };
  onError: (message: string, error: unknown) => void;
}

/** How often the week's answer counts behind "usually gets answers" are read again. */
const RECOUNT_MS = 10 * 60_000;
/** A webhook that is down loses the oldest changes beyond this, not the collector's memory. */
const MAX_QUEUED = 10_000;
const WEBHOOK_ATTEMPTS = 8;

export type AlertChange = { event: 'raised' | 'cleared'; alert: Alert };

const keyOf = (row: Pick<AlertRow, 'deviceId' | 'kind' | 'detail'>) => `${row.deviceId}\u0000${row.kind}\u0000${row.detail}`;

export function watchAlerts(options: AlertWatchOptions): AlertWatch {
  const { store, now } = options;
  let recent = new Map<string, number>();
  let recentAt = Number.NEGATIVE_INFINITY;
  const webhook = options.webhook ? webhookSender(options.webhook, options.onError) : null;
  const tell = (event: AlertChange['event'], row: AlertRow, raisedAt: number, clearedAt: number | null) =>
    webhook?.send({
      event,
      alert: { deviceId: row.deviceId, kind: row.kind, detail: row.detail, since: row.since, raisedAt, clearedAt },
    });

  async function evaluate() {
    const at = now();
    if (at - recentAt >= RECOUNT_MS) {
      recent = await store.answerCounts(at - ALERT_LIMITS.usualOverMs);
      recentAt = at;
    }
    const open = new Map((await store.openAlerts()).map((row) => [keyOf(row), row]));
    const present = new Set<string>();
    const context = { nowMs: at, thresholds: options.thresholds, recentAnswers: recent, clock: new OfficeClock(at) };
    for (const device of await store.deviceFacts()) {
      for (const cause of causesOf(device, context)) {
        const row: AlertRow = { deviceId: device.id, kind: cause.kind, detail: cause.detail, since: at, raisedAt: null };
        const key = keyOf(row);
        present.add(key);
        const known = open.get(key);
        if (!known) {
          const raisedAt = cause.holdMs === 0 ? at : null;
          if ((await store.noteCause({ ...row, raisedAt })) && raisedAt !== null) tell('raised', row, at, null);
        } else if (known.raisedAt === null && at - known.since >= cause.holdMs) {
          if (await store.raiseAlert(known.deviceId, known.kind, known.detail, at)) tell('raised', known, at, null);
        }
      }
    }
    for (const [key, row] of open)
      if (!present.has(key) && (await store.endCause(row.deviceId, row.kind, row.detail, at)))
        tell('cleared', row, row.raisedAt ?? at, at);
  }

  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(evaluate).catch((error: unknown) => options.onError('the fleet alerts could not be evaluated', error));
  }, options.everyMs);
  timer.unref();

  return {
    evaluate: () => (running = running.then(evaluate)),
    async stop() {
      clearInterval(timer);
      await running.catch(() => undefined);
      await webhook?.stop();
    },
  };
}

/** Alert changes POSTed one at a time, in order; a failure is tried again after 1 s, 2 s, 4 s … */
function webhookSender(target: { url: string; fetch?: typeof fetch }, onError: AlertWatchOptions['onError']) {
  const post = target.fetch ?? fetch;
  const queue: AlertChange[] = [];
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function deliver(change: AlertChange) {
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS && !stopped; attempt++) {
      try {
        const reply = await post(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(change),
          signal: AbortSignal.timeout(10_000),
        });
        await reply.text().catch(() => '');
        if (reply.ok) return;
        if (attempt === WEBHOOK_ATTEMPTS) onError(`the alert webhook answered HTTP ${reply.status}`, null);
      } catch (error) {
        if (attempt === WEBHOOK_ATTEMPTS) onError('the alert webhook could not be reached', error);
      }
      await pause(1_000 * 2 ** (attempt - 1));
    }
  }

  let draining: Promise<void> | null = null;
  const drain = async () => {
    while (queue.length && !stopped) await deliver(queue.shift()!);
    draining = null;
  };
  return {
    send(change: AlertChange) {
      if (queue.length >= MAX_QUEUED) queue.shift();
      queue.push(change);
      draining ??= drain();
    },
    async stop() {
      stopped = true;
      wake?.();
      await draining;
    },
  };
}
