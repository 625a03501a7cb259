import type { Interval } from '../../shared/metrics.js';

/** Numbers as the supervisor reads them, in the screen's language (the same functions the tests use). */
export const formatPercent = (share: number, lng: string): string =>
  new Intl.NumberFormat(lng, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);

export const formatMean = (mean: number, lng: string): string =>
  new Intl.NumberFormat(lng, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(mean);

export const formatNps = (score: number, lng: string): string =>
  new Intl.NumberFormat(lng, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(score);

export const formatInterval = (interval: Interval, format: (value: number) => string) => ({
  low: format(interval.low),
  high: format(interval.high),
});

export const formatDateTime = (ms: number, lng: string, timeZone: string): string =>
  new Intl.DateTimeFormat(lng, { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(ms);

export const formatTime = (ms: number, lng: string, timeZone?: string): string =>
  new Intl.DateTimeFormat(lng, { timeZone, timeStyle: 'short' }).format(ms);
