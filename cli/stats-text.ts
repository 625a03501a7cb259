import type { PeriodStats } from '../core/stats.js';
import type { AdminText } from '../shared/admin/text.js';
import type { CsiFigures, NpsFigures } from '../shared/metrics.js';

const percent = (share: number) => (share * 100).toFixed(1);

function csiLines(csi: CsiFigures | null, t: AdminText): string[] {
  if (!csi) return [t('stats.noData')];
  const { satisfied } = csi;
  const small = csi.small ? ` ${t('stats.small')}` : '';
  return [
    t('stats.responses', { n: csi.responses }),
    t('stats.csi', { mean: csi.mean.toFixed(2), distribution: csi.distribution.join(' / ') }),
    t('stats.satisfied', {
      share: percent(satisfied.share),
      count: satisfied.count,
      n: satisfied.n,
      low: percent(satisfied.interval.low),
      high: percent(satisfied.interval.high),
    }) + small,
  ];
}

function npsLine(nps: NpsFigures | null, t: AdminText): string {
  if (!nps) return t('stats.npsNoData');
  const small = nps.small ? ` ${t('stats.small')}` : '';
  return (
    t('stats.nps', {
      score: nps.score.toFixed(0),
      n: nps.responses,
      promoters: nps.promoters,
      passives: nps.passives,
      detractors: nps.detractors,
      low: nps.interval.low.toFixed(0),
      high: nps.interval.high.toFixed(0),
    }) + small
  );
}

/** The period's figures as lines for IT staff and supervisors, in their language. */
export function describeStats(stats: PeriodStats, t: AdminText): string[] {
  return [
    t('stats.period', { from: stats.from, to: stats.to, window: stats.windowId ?? t('stats.allWindows') }),
    ...csiLines(stats.csi, t),
    npsLine(stats.nps, t),
    ...stats.reasons.map(({ reason, count }) => t('stats.reason', { reason, count })),
    t('stats.misuse', { n: stats.misuse }),
    ...(stats.repeats > 0 ? [t('stats.repeats', { n: stats.repeats })] : []),
  ];
}
