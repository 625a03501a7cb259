/** Units IT staff write durations in on the command line: `90s`, `10m`, `24h`, `7d`. */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([1-9]\d{0,5})(s|m|h|d)$/;

/** A duration in ms, or null when `text` is not one (no zero, no fractions, no unit-less numbers). */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}
