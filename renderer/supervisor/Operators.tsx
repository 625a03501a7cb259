import { useEffect, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import { CRITERION_NAMES, RANKED_FROM, type Criterion, type FairFigures, type Interval } from '../../shared/metrics.js';
import type { Result } from '../../shared/result.js';
import type { OperatorStats, Period } from '../../shared/supervisor.js';
import { formatMean, formatPercent } from './format.js';
import { useStaffText } from './text.js';

/** The common scale of the interval bars: from a little below the lowest bound to 100 %. */
function scaleOf(stats: OperatorStats): (share: number) => string {
  const lows = stats.operators.map((o) => o.figures.interval.low);
  const from = Math.max(0, Math.floor((Math.min(stats.pooledShare, ...lows) - 0.05) * 10) / 10);
  return (share: number) => `${((share - from) / (1 - from)) * 100}%`;
}

/** The 95 % interval drawn on the scale every row shares, with the share and the pooled share marked. */
function IntervalBar(props: { figures: FairFigures; pooled: number; at: (share: number) => string }) {
  const { t, lng } = useStaffText();
  const { interval, share } = props.figures;
  const percent = (value: number) => formatPercent(value, lng);
  const label = t('operators.intervalLabel', {
    share: percent(share),
    low: percent(interval.low),
    high: percent(interval.high),
    pooled: percent(props.pooled),
  });
  return (
    <div className="interval" role="img" aria-label={label}>
      <span className="interval__pooled" style={{ left: props.at(props.pooled) }} />
      <span
        className="interval__range"
        style={{ left: props.at(interval.low), width: `calc(${props.at(interval.high)} - ${props.at(interval.low)})` }}
      />
      <span className="interval__share" style={{ left: props.at(share) }} />
    </div>
  );
}

const intervalText = (interval: Interval, percent: (share: number) => string) =>
  `${percent(interval.low)} — ${percent(interval.high)}`;

/** The cells every row of figures has: ratings, mean, share, its interval (as text and drawn), the shrunk score. */
function FigureCells(props: { figures: FairFigures; pooled: number; at: (share: number) => string }) {
  const { t, lng } = useStaffText();
  const { figures } = props;
  const percent = (value: number) => formatPercent(value, lng);
  return (
    <>
      <td>{figures.n}</td>
      <td>{formatMean(figures.mean, lng)}</td>
      <td>{figures.small ? <span className="figure__small">{t('figures.small')}</span> : percent(figures.share)}</td>
      <td className="operators__interval">
        <span>{intervalText(figures.interval, percent)}</span>
        <IntervalBar figures={figures} pooled={props.pooled} at={props.at} />
      </td>
      <td>
        <strong>{percent(figures.shrunk)}</strong>
      </td>
    </>
  );
}

/** The head of a table of figures: two naming columns, then the figures' own. */
function FigureHeads(props: { first: string; second: string }) {
  const { t } = useStaffText();
  return (
    <thead>
      <tr>
        <th scope="col">{props.first}</th>
        <th scope="col">{props.second}</th>
        {(['ratings', 'mean', 'share', 'interval', 'shrunk'] as const).map((column) => (
          <th key={column} scope="col">
            {t(`operators.${column}`)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function OperatorTables({ stats }: { stats: OperatorStats }) {
  const { t } = useStaffText();
  const at = scaleOf(stats);
  const nameOf = (o: { operatorId: string; name: string | null }) => (o.name ? `${o.name} (${o.operatorId})` : o.operatorId);
  return (
    <>
      <table className="staff__table operators" data-testid="operators">
        <FigureHeads first={t('operators.place')} second={t('operators.operator')} />
        <tbody>
          {stats.operators.map((operator) => (
            <tr
              key={operator.operatorId}
              data-testid={`operator-${operator.operatorId}`}
              className={operator.figures.small ? 'staff__row--small' : undefined}
            >
              <td title={operator.place === null ? t('operators.unrankedHint', { n: RANKED_FROM }) : undefined}>
                {operator.place ?? t('operators.unranked')}
              </td>
              <th scope="row">{nameOf(operator)}</th>
              <FigureCells figures={operator.figures} pooled={stats.pooledShare} at={at} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="staff__hint">{t('operators.overlapHint')}</p>
      <h3 className="operators-services-heading">{t('operators.byService')}</h3>
      <table className="staff__table operators" data-testid="operator-services">
        <FigureHeads first={t('operators.operator')} second={t('operators.service')} />
        <tbody>
          {stats.operators.flatMap((operator) =>
            operator.services.map((service) => (
              <tr
                key={`${operator.operatorId} ${service.serviceId ?? ''}`}
                className={service.figures.small ? 'staff__row--small' : undefined}
              >
                <th scope="row">{nameOf(operator)}</th>
                <td>{service.name ?? service.serviceId ?? t('operators.noService')}</td>
                <FigureCells figures={service.figures} pooled={stats.pooledShare} at={at} />
              </tr>
            )),
          )}
        </tbody>
      </table>
    </>
  );
}

/**
 * «Операторы»: each operator's figures over the period, fairly — the share with its interval
 * drawn, the score shrunk towards every operator's pooled share, a place only from 100 ratings.
 * The criterion is chosen: CSI, the federal «вежливость и компетентность» (11), NPS.
 */
export function Operators(props: {
  api: PultApi;
  token: string;
  period: Period;
  settle<T>(reply: Result<T>, use: (value: T) => void): void;
}) {
  const { api, token, period, settle } = props;
  const { t, lng } = useStaffText();
  const [criterion, setCriterion] = useState<Criterion>('csi');
  const [stats, setStats] = useState<OperatorStats | null>(null);
  const { from, to } = period;
  useEffect(() => {
    void api.getOperators({ token, period: { from, to }, criterion }).then((reply) => settle(reply, setStats));
  }, [api, token, from, to, criterion, settle]);
  return (
    <section className="staff__section" data-testid="operators-tab">
      <h2>{t('operators.heading')}</h2>
      <p className="staff__hint">{t('operators.personal')}</p>
      <label className="staff__field">
        {t('operators.criterion')}
        <select value={criterion} onChange={(e) => setCriterion(e.target.value as Criterion)}>
          {CRITERION_NAMES.map((name) => (
            <option key={name} value={name}>
              {t(`operators.criteria.${name}`)}
            </option>
          ))}
        </select>
      </label>
      {stats && (
        <>
          <p data-testid="operators-pooled">
            {t('operators.pooled', { share: formatPercent(stats.pooledShare, lng), strength: stats.priorStrength })}
          </p>
          {stats.operators.length === 0 ? <p>{t('operators.none')}</p> : <OperatorTables stats={stats} />}
          <p data-testid="operators-apart">{t('operators.apart', stats)}</p>
        </>
      )}
    </section>
  );
}
