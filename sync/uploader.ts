import { BatchVerdictSchema, MAX_BATCH_ANSWERS, type BatchVerdict, type Heartbeat, type WireDevice } from '../shared/wire.js';
import { BACKOFF, backoffMs, retryAfterMs } from './backoff.js';

/** What the uploader needs of the console's storage; the core passes it in (sync/ never imports the core). */
export interface OutboxPort {
  /** The batch to send: one already sent and not settled (same id, same bytes), or a new one. */
  next(
    maxAnswers: number,
    sentAt: number,
    clockOffsetMs: number | null,
  ): Promise<{ batchId: string; body: string; answers: number } | null>;
  settle(batchId: string, verdict: BatchVerdict, atMs: number): Promise<void>;
  /** The collector refuses these answers for good: keep them in quarantine with the reason. */
  quarantine(batchId: string, reason: string, atMs: number): Promise<void>;
  /** Give the batch's answers back, to be sent again in smaller batches (the id is never reused). */
  dissolve(batchId: string): Promise<void>;
  heartbeat(): Promise<Omit<Heartbeat, 'schema' | 'device' | 'sentAt' | 'lastAckAt' | 'lastError' | 'clockOffsetMs'>>;
}

export interface UploaderStatus {
  /** Null until the collector answered once. */
  authorised: boolean | null;
  lastAckAt: number | null;
  lastError: string | null;
  clockOffsetMs: number | null;
  /** When the next attempt is due after a failure; null when not waiting. */
  retryAt: number | null;
}

export interface UploaderOptions {
  endpoint: string;
  token: string;
  device: WireDevice;
  outbox: OutboxPort;
  fetch: typeof fetch;
  now: () => number;
  intervalMs: number;
  timeoutMs: number;
  heartbeatMs?: number;
  random?: () => number;
  onStatus?: (status: UploaderStatus) => void;
  /** Compresses a body (the console passes zlib's gzip); without it bodies go uncompressed. */
  gzip?: (body: string) => Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * While applicants are tapping (a kick in the last 2 s), a backlog goes out in batches of 100: each
 * batch's work between two taps stays short, so taps stay as fast as when idle. When the console is
 * quiet, batches of 500 drain it fastest.
 */
const BUSY_WINDOW_MS = 2_000;
const BUSY_BATCH = 100;

/** A slow retry while the collector refuses this device (the token may be fixed meanwhile). */
const UNAUTHORISED_RETRY_MS = BACKOFF.capMs;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

type Outcome = { kind: 'settled' } | { kind: 'retry'; afterMs: number } | { kind: 'split' };

/**
 * The console's uploader: drains the outbox in seq order, batch after batch, and applies the
 * collector's verdicts. It never deletes what was not acknowledged and never gives up; a tap is
 * never waiting for it (it runs between the core's writes, on its own timers).
 */
export function createUploader(options: UploaderOptions) {
  const { outbox, now } = options;
  const status: UploaderStatus = { authorised: null, lastAckAt: null, lastError: null, clockOffsetMs: null, retryAt: null };
  let batchSize = MAX_BATCH_ANSWERS;
  let lastKickAt = -Infinity;
  const ceiling = () => (now() - lastKickAt < BUSY_WINDOW_MS ? BUSY_BATCH : MAX_BATCH_ANSWERS);
  let failures = 0;
  let running = false;
  let waiting: { resolve: () => void; kickable: boolean } | null = null;
  let heartbeatTimer: ReturnType<typeof setInterval> | null = null;

  const report = () => options.onStatus?.({ ...status });
  const fail = (message: string) => {
    status.lastError = message;
    report();
  };
  const url = (path: string) => new URL(path, options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`).href;

  /** Waits `ms`, or less if kicked (a new answer) — a kick never cuts a failure's backoff short. */
  const pause = (ms: number, kickable: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      waiting = { resolve: () => (clearTimeout(timer), resolve()), kickable };
    }).finally(() => (waiting = null));

  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const compressed = options.gzip ? await options.gzip(body) : null;
    return options.fetch(url(path), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
        ...(compressed && { 'content-encoding': 'gzip' }),
        ...headers,
      },
      body: compressed ?? body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  }

  const estimateOffset = (serverTime: number, sentAt: number, receivedAt: number) => {
    status.clockOffsetMs = Math.round(serverTime - (sentAt + receivedAt) / 2);
  };

  async function send(batch: { batchId: string; body: string; answers: number }): Promise<Outcome> {
    const sentAt = now();
    let response: Response;
    try {
      response = await post('v1/batches', batch.body, { 'idempotency-key': batch.batchId });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? `no reply within ${options.timeoutMs} ms` : (error as Error).message;
      fail(`collector unreachable: ${reason}`);
      return { kind: 'retry', afterMs: backoffMs(++failures, options.random) };
    }
    const text = await response.text().catch(() => '');
    const receivedAt = now();
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), receivedAt);
    if (response.status === 200) {
      const verdict = BatchVerdictSchema.safeParse(parseJson(text));
      if (!verdict.success) {
        fail(`the collector's reply is not a verdict (HTTP 200)`);
        return { kind: 'retry', afterMs: backoffMs(++failures, options.random) };
      }
      estimateOffset(verdict.data.serverTime, sentAt, receivedAt);
      await outbox.settle(batch.batchId, verdict.data, receivedAt);
      Object.assign(status, { authorised: true, lastAckAt: receivedAt, lastError: null });
      failures = 0;
      batchSize = Math.min(MAX_BATCH_ANSWERS, batchSize * 2);
      return { kind: 'settled' };
    }
    if (response.status === 401 || response.status === 403) {
      status.authorised = false;
      fail(`device not authorised by the collector (HTTP ${response.status})`);
      return { kind: 'retry', afterMs: UNAUTHORISED_RETRY_MS };
    }
    if (response.status === 413 || response.status === 400 || response.status === 422) {
      const reason = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (batch.answers === 1) {
        await outbox.quarantine(batch.batchId, reason, receivedAt);
        fail(`an answer was refused and kept in quarantine (${reason})`);
        return { kind: 'settled' };
      }
      batchSize = Math.max(1, Math.floor(batch.answers / 2));
      await outbox.dissolve(batch.batchId);
      return { kind: 'split' };
    }
    fail(`collector answered HTTP ${response.status}`);
    return { kind: 'retry', afterMs: retryAfter ?? backoffMs(++failures, options.random) };
  }

  async function loop() {
    while (running) {
      const batch = await outbox.next(Math.min(batchSize, ceiling()), now(), status.clockOffsetMs);
      if (!batch) {
        await pause(options.intervalMs, true);
        continue;
      }
      const outcome = await send(batch);
      if (outcome.kind === 'retry') {
        status.retryAt = now() + outcome.afterMs;
        report();
        await pause(outcome.afterMs, false);
        status.retryAt = null;
      } else {
        report();
        // Between two batches of a backlog, let whatever else the console has to do (a tap) run first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  async function beat() {
    try {
      const state = await outbox.heartbeat();
      const body = JSON.stringify({
        schema: 1,
        device: options.device,
        sentAt: now(),
        lastAckAt: status.lastAckAt,
        lastError: status.lastError,
        clockOffsetMs: status.clockOffsetMs,
        ...state,
      });
      await post('v1/heartbeat', body);
    } catch {
      // The batches' own errors are what the status reports; a missed heartbeat is just late.
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      void loop().catch((error: unknown) => fail(`uploader stopped: ${String(error)}`));
      heartbeatTimer = setInterval(() => void beat(), options.heartbeatMs ?? 60_000);
      heartbeatTimer.unref();
      void beat();
    },
    /** A new answer is waiting: send it now rather than at the next interval. */
    kick() {
      lastKickAt = now();
      if (waiting?.kickable) waiting.resolve();
    },
    stop() {
      running = false;
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      waiting?.resolve();
    },
    status: (): UploaderStatus => ({ ...status }),
  };
}
