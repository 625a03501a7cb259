import { useMemo } from 'react';
import type { CsiFigures } from '../../shared/metrics.js';
import type { PeriodStats, WindowFigures } from '../../shared/supervisor.js';
import { Chart } from './Chart.js';
import { hoursOfDayOpen, shiftDay } from '../../shared/office-time.js';
import { formatMean, formatNps, formatPercent } from './format.js';
import { useStaffText } from './text.js';
import { isBuiltInReason } from '../../shared/answer.js';

interface Point {
  label: string;
  csi: CsiFigures | null;
}

/** One breakdown (by hour, by day or month): a chart for the eye and the same numbers as a table. */
function Breakdown(props: { title: string; column: string; points: Point[]; testId: string }) {
  const { t, lng } = useStaffText();
  const { points } = props;
  const labels = useMemo(() => points.map((p) => p.label), [points]);
  const series = useMemo(
    () => [
      { label: t('charts.responses'), kind: 'bars' as const, values: points.map((p) => p.csi?.responses ?? 0) },
      {
        label: t('charts.satisfied'),
        kind: 'line' as const,
        values: points.map((p) => (p.csi ? Math.round(p.csi.satisfied.share * 1000) / 10 : null)),
      },
    ],
    [points, t],
  );
  if (points.length === 0) return null;
  return (
    <section className="staff__section" data-testid={props.testId}>
      <h2>{props.title}</h2>
      <Chart labels={labels} series={series} />
      {/* The chart's numbers, one row per hour or day: folded, so that the chart fits one screen of a 7-inch panel. */}
      <details className="staff__numbers">
        <summary>{t('charts.table')}</summary>
        <table className="staff__table">
          <thead>
            <tr>
              <th scope="col">{props.column}</th>
              <th scope="col">{t('charts.responses')}</th>
              <th scope="col">{t('figures.satisfied')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.label} className={point.csi?.small ? 'staff__row--small' : undefined}>
                <th scope="row">{point.label}</th>
                <td>{point.csi?.responses ?? 0}</td>
                <td>
                  {point.csi
                    ? `${formatPercent(point.csi.satisfied.share, lng)} (${point.csi.satisfied.count}/${point.csi.satisfied.n})`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function Trends({ stats, openingHours }: { stats: PeriodStats; openingHours: { from: string; to: string } }) {
  const { t } = useStaffText();
  // Every opening hour, those without answers too: which hours are quiet is what the chart is for.
  const hours = useMemo(() => {
    const known = new Map(stats.byHour.map((h) => [h.hour, h.csi]));
    const shown = [...new Set([...hoursOfDayOpen(openingHours), ...known.keys()])].sort((a, b) => a - b);
    return shown.map((hour) => ({
      label: `${String(hour).padStart(2, '0')}:00`,
      csi: known.get(hour) ?? null,
    }));
  }, [stats.byHour, openingHours]);
  const byMonth = stats.trend.unit === 'month';
  // Every day (or month) of the period, those without answers too: a silent day is news as well.
  const trend = useMemo(() => {
    const known = new Map(stats.trend.points.map((p) => [p.period, p.csi]));
    const labels: string[] = [];
    for (let day = stats.from; day <= stats.to; day = shiftDay(day, 1)) {
      const label = byMonth ? day.slice(0, 7) : day;
      if (labels.at(-1) !== label) labels.push(label);
    }
    return labels.map((label) => ({ label, csi: known.get(label) ?? null }));
  }, [stats.trend.points, stats.from, stats.to, byMonth]);
  return (
    <>
      <Breakdown title={t('charts.byHour')} column={t('charts.hour')} points={hours} testId="by-hour" />
      {/* One day has no trend: its figures are the period's own. */}
      {trend.length > 1 && (
        <Breakdown
          title={byMonth ? t('charts.trendMonth') : t('charts.trendDay')}
          column={byMonth ? t('charts.month') : t('charts.day')}
          points={trend}
          testId="trend"
        />
      )}
    </>
  );
}

export function Reasons({ stats, labels }: { stats: PeriodStats; labels: Record<string, Record<string, string>> }) {
  const { t, lng } = useStaffText();
  return (
    <section className="staff__section" data-testid="reasons">
      <h2>{t('reasons.heading')}</h2>
      {stats.reasons.length === 0 ? (
        <p>{t('reasons.none')}</p>
      ) : (
        <table className="staff__table">
          <thead>
            <tr>
              <th scope="col">{t('reasons.reason')}</th>
              <th scope="col">{t('reasons.count')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.reasons.map((entry) => (
              <tr key={entry.reason}>
                <th scope="row">
                  {labels[entry.reason]?.[lng] ??
                    labels[entry.reason]?.ru ??
                    (isBuiltInReason(entry.reason) ? t(`reasonNames.${entry.reason}`) : entry.reason)}
                </th>
                <td>{entry.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Each window's totals, when the database holds several. */
export function Windows({ windows }: { windows: WindowFigures[] }) {
  const { t, lng } = useStaffText();
  if (windows.length < 2) return null;
  return (
    <section className="staff__section" data-testid="windows">
      <h2>{t('windows.heading')}</h2>
      <table className="staff__table">
        <thead>
          <tr>
            <th scope="col">{t('windows.window')}</th>
            <th scope="col">{t('figures.responses')}</th>
            <th scope="col">{t('figures.csiMean')}</th>
            <th scope="col">{t('figures.satisfied')}</th>
            <th scope="col">{t('figures.nps')}</th>
          </tr>
        </thead>
        <tbody>
          {windows.map(({ windowId, csi, nps }) => (
            <tr key={windowId} className={csi?.small ? 'staff__row--small' : undefined}>
              <th scope="row">{windowId}</th>
              <td>{csi?.responses ?? 0}</td>
              <td>{csi ? formatMean(csi.mean, lng) : '—'}</td>
              <td>
                {csi ? `${formatPercent(csi.satisfied.share, lng)} (${csi.satisfied.count}/${csi.satisfied.n})` : '—'}
                {csi?.small ? ` — ${t('figures.small')}` : ''}
              </td>
              <td>{nps ? `${formatNps(nps.score, lng)} (n=${nps.responses})` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
