import { sanitise } from '../shared/text.js';
import {
  BatchVerdictSchema,
  ConfigOfferSchema,
  HeartbeatReplySchema,
  MAX_BATCH_ANSWERS,
  MAX_CLOCK_OFFSET_MS,
  WIRE_SCHEMA_VERSION,
  type BatchVerdict,
  type Heartbeat,
  type WireDevice,
} from '../shared/wire.js';
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
  /**
   * Where the collector's signed config bundle goes (`GET /v1/config` after each heartbeat, with
   * the ETag of the last one seen): the core checks and applies it; the uploader only carries it.
   */
  config?: { etag(): string | null; offer(bundle: string, signature: string, etag: string | null): Promise<void> };
  random?: () => number;
  onStatus?: (status: UploaderStatus) => void;
  /** A batch's verdict was applied: how many answers were accepted, duplicate, rejected. */
  onDelivered?: (batch: { batchId: string; accepted: number; duplicate: number; rejected: number }) => void;
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
  let heartbeatTimer: ReturnType<typeof setTimeout> | null = null;

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

  /** Beyond the protocol's bound the estimate is not believed (and would get every batch refused). */
  const estimateOffset = (serverTime: number, sentAt: number, receivedAt: number) => {
    const offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
    status.clockOffsetMs = Math.abs(offset) <= MAX_CLOCK_OFFSET_MS ? offset : null;
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
      options.onDelivered?.({
        batchId: batch.batchId,
        accepted: verdict.data.accepted.length,
        duplicate: verdict.data.duplicate.length,
        rejected: verdict.data.rejected.length,
      });
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

  /**
   * A failure of the console's own database (disk full, I/O error) while taking or settling a
   * batch is handled like a network failure: back off, report, try again. A verdict that could
   * not be saved is simply asked for again — the batch keeps its id, the collector answers
   * `duplicate` for what it already holds.
   */
  const localFailure = (error: unknown): Outcome => {
    fail(`the console could not use its database: ${error instanceof Error ? error.message : String(error)}`);
    return { kind: 'retry', afterMs: backoffMs(++failures, options.random) };
  };

  /** One turn: a batch sent and its verdict applied, a wait for answers, or a failure to retry. */
  async function turn(): Promise<Outcome | { kind: 'idle' }> {
    try {
      const batch = await outbox.next(Math.min(batchSize, ceiling()), now(), status.clockOffsetMs);
      return batch ? await send(batch) : { kind: 'idle' };
    } catch (error) {
      return localFailure(error);
    }
  }

  async function loop() {
    while (running) {
      const outcome = await turn();
      if (outcome.kind === 'idle') {
        // The outbox just drained, or the clock offset is known at last: the fleet hears of it now,
        // not a heartbeat period later.
        const news = told.depth > 0 || (told.offsetMs === null && status.clockOffsetMs !== null);
        if (news && heartbeatFailures === 0) void beat();
        await pause(options.intervalMs, true);
      } else if (outcome.kind === 'retry') {
        status.retryAt = now() + outcome.afterMs;
        report();
        await pause(outcome.afterMs, false);
        status.retryAt = null;
      } else {
        report();
        if (!heartbeatDelivered) void beat();
        // Between two batches of a backlog, let whatever else the console has to do (a tap) run first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * The heartbeat tells the fleet this console is alive. One that did not arrive (network, a
   * refusal, a collector still starting) is tried again soon with backoff, not a full period
   * later, so a console never stays unlisted for a minute after it starts.
   */
  let heartbeatDelivered = false;
  let heartbeatFailures = 0;
  let heartbeatInFlight = false;
  /** What the collector was last told of the backlog and the clock. */
  const told: { depth: number; offsetMs: number | null } = { depth: 0, offsetMs: null };
  /** ±20 % around the period: a thousand consoles started by one power-on do not beat in step. */
  const heartbeatPeriod = () => jittered(options.heartbeatMs ?? 60_000, options.random ?? Math.random);

  function scheduleBeat(ms: number) {
    if (heartbeatTimer) clearTimeout(heartbeatTimer);
    if (!running) return;
    heartbeatTimer = setTimeout(() => void beat(), ms);
    heartbeatTimer.unref();
  }

  /** The newest bundle the collector holds for this console, unless it is the one seen last. */
  async function fetchConfig() {
    const port = options.config;
    if (!port) return;
    const seen = port.etag();
    const response = await options.fetch(url('v1/config'), {
      headers: { authorization: `Bearer ${options.token}`, ...(seen && { 'if-none-match': seen }) },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.status !== 200) return;
    const offer = ConfigOfferSchema.safeParse(parseJson(text));
    if (offer.success) await port.offer(offer.data.bundle, offer.data.signature, response.headers.get('etag'));
  }

  async function beat() {
    if (heartbeatInFlight || !running) return;
    heartbeatInFlight = true;
    let delivered = false;
    try {
      const state = await outbox.heartbeat();
      const sentAt = now();
      const body = JSON.stringify({
        schema: WIRE_SCHEMA_VERSION,
        device: options.device,
        sentAt,
        lastAckAt: status.lastAckAt,
        // Our words may quote a library's or the collector's: carried as the protocol's text rule allows.
        lastError: status.lastError === null ? null : sanitise(status.lastError.slice(0, 500)),
        clockOffsetMs: status.clockOffsetMs,
        ...state,
      });
      const response = await post('v1/heartbeat', body);
      const reply = HeartbeatReplySchema.safeParse(parseJson(await response.text().catch(() => '')));
      delivered = response.ok;
      if (delivered) Object.assign(told, { depth: state.outboxDepth, offsetMs: status.clockOffsetMs });
      // A console with nothing to send learns its clock offset from the heartbeat alone.
      if (delivered && reply.success) estimateOffset(reply.data.serverTime, sentAt, now());
      if (delivered) await fetchConfig();
    } catch {
      // Unreachable, or the console's database failed: the batches' own errors are what the status reports.
    } finally {
      heartbeatInFlight = false;
    }
    heartbeatDelivered ||= delivered;
    heartbeatFailures = delivered ? 0 : heartbeatFailures + 1;
    scheduleBeat(delivered ? heartbeatPeriod() : Math.min(heartbeatPeriod(), backoffMs(heartbeatFailures, options.random)));
  }

  return {
    start() {
      if (running) return;
      running = true;
      // turn() catches every failure of a turn: the loop ends only by stop().
      void loop();
      void beat();
    },
    /** A new answer is waiting: send it now rather than at the next interval. */
    kick() {
      lastKickAt = now();
      if (waiting?.kickable) waiting.resolve();
    },
    stop() {
      running = false;
      if (heartbeatTimer) clearTimeout(heartbeatTimer);
      waiting?.resolve();
    },
  };
}

/** A period ±20 %, drawn anew each time. */
export const jittered = (periodMs: number, random: () => number): number => Math.round(periodMs * (0.8 + 0.4 * random()));
