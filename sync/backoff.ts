/** Retry timing: 1 s × 1.6 per failure, ±20 % jitter, at most 120 s. There is no last attempt. */
export const BACKOFF = { firstMs: 1_000, factor: 1.6, jitter: 0.2, capMs: 120_000 } as const;

export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF.capMs, BACKOFF.firstMs * BACKOFF.factor ** Math.max(0, failures - 1));
  return Math.round(Math.min(BACKOFF.capMs, base * (1 - BACKOFF.jitter + 2 * BACKOFF.jitter * random())));
}

/** `Retry-After` in either form: delta-seconds, or an HTTP date. Null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
