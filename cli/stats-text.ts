import type { PeriodStats } from '../core/stats.js';
import type { AdminText } from '../shared/admin/text.js';
import type { CsiFigures, FairFigures, NpsFigures } from '../shared/metrics.js';
import type { OperatorStats } from '../shared/supervisor.js';

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

/** A reason in words: the office's own (config `label`, in this language or Russian), else ours, else its id. */
const reasonWords = (reason: string, t: AdminText, labels: Record<string, Record<string, string>>, language: string): string =>
  labels[reason]?.[language] ?? labels[reason]?.ru ?? t(`stats.reasonNames.${reason}`, { defaultValue: reason });

/** The period's figures as lines for IT staff and supervisors, in their language. */
export function describeStats(
  stats: PeriodStats,
  t: AdminText,
  labels: Record<string, Record<string, string>> = {},
  language = 'ru',
): string[] {
  return [
    t('stats.period', { from: stats.from, to: stats.to, window: stats.windowId ?? t('stats.allWindows') }),
    ...csiLines(stats.csi, t),
    npsLine(stats.nps, t),
    ...stats.reasons.map(({ reason, count }) => t('stats.reason', { reason: reasonWords(reason, t, labels, language), count })),
    t('stats.misuse', { n: stats.misuse }),
    ...(stats.repeats > 0 ? [t('stats.repeats', { n: stats.repeats })] : []),
  ];
}

/** `pult stats --by operator --json`: each operator's figures flat, as scripts and KPI sheets take them. */
export function operatorsJson(stats: OperatorStats) {
  const flat = ({ figures, ...rest }: { figures: FairFigures }) => ({ ...rest, ...figures });
  return {
    ...stats,
    operators: stats.operators.map(({ services, ...operator }) => ({ ...flat(operator), services: services.map(flat) })),
  };
}

function fairLine(figures: FairFigures, t: AdminText): Record<string, string | number> {
  return {
    ratings: t('stats.ratings', { count: figures.n }),
    mean: figures.mean.toFixed(2),
    share: percent(figures.share),
    low: percent(figures.interval.low),
    high: percent(figures.interval.high),
    shrunk: percent(figures.shrunk),
  };
}

/** `pult stats --by operator`: a line per operator (their place when ranked), and one per service. */
export function describeOperators(stats: OperatorStats, t: AdminText): string[] {
  const header = t('stats.operatorsHeader', {
    from: stats.from,
    to: stats.to,
    criterion: stats.criterion,
    pooled: percent(stats.pooledShare),
    strength: stats.priorStrength,
  });
  const lines = stats.operators.flatMap((operator) => [
    t('stats.operator', {
      place: operator.place === null ? t('stats.unranked') : `${operator.place}.`,
      operator: operator.name ? `${operator.name} (${operator.operatorId})` : operator.operatorId,
      ...fairLine(operator.figures, t),
    }) + (operator.figures.small ? ` ${t('stats.operatorSmall')}` : ''),
    ...operator.services.map((service) =>
      t('stats.service', { service: service.name ?? service.serviceId ?? t('stats.noService'), ...fairLine(service.figures, t) }),
    ),
  ]);
  return [
    header,
    ...(lines.length > 0 ? lines : [t('stats.noOperators')]),
    t('stats.unbound', { n: stats.unbound }),
    t('stats.misuse', { n: stats.misuse }),
    ...(stats.repeats > 0 ? [t('stats.repeats', { n: stats.repeats })] : []),
  ];
}
