import { meetsTarget, type CsiFigures, type NpsFigures } from '../../shared/metrics.js';
import type { PeriodStats } from '../../shared/supervisor.js';
import { formatInterval, formatMean, formatNps, formatPercent } from './format.js';
import { useStaffText } from './text.js';

/** A figure from fewer than 30 responses: greyed, «мало данных» instead of a bold percent. */
function Small() {
  const { t } = useStaffText();
  return (
    <span className="figure__small" title={t('figures.smallHint')}>
      {t('figures.small')}
    </span>
  );
}

function Card(props: { name: string; testId: string; children: React.ReactNode; small?: boolean }) {
  return (
    <section className={`figure${props.small ? ' figure--small' : ''}`} data-testid={props.testId}>
      <h3 className="figure__name">{props.name}</h3>
      {props.children}
    </section>
  );
}

function Satisfied({ csi, target }: { csi: CsiFigures; target: number }) {
  const { t, lng } = useStaffText();
  const { satisfied } = csi;
  const percent = (value: number) => formatPercent(value, lng);
  return (
    <Card name={t('figures.satisfied')} testId="figure-satisfied" small={csi.small}>
      {csi.small ? <Small /> : <p className="figure__value">{percent(satisfied.share)}</p>}
      {csi.small && <p className="figure__quiet">{percent(satisfied.share)}</p>}
      <p data-testid="satisfied-count">{t('figures.satisfiedCount', { count: satisfied.count, n: satisfied.n })}</p>
      <p>{t('figures.interval', formatInterval(satisfied.interval, percent))}</p>
      <p>
        {t('figures.target', { target: percent(target) })} —{' '}
        <strong>{meetsTarget(csi, target) ? t('figures.atTarget') : t('figures.belowTarget')}</strong>
      </p>
    </Card>
  );
}

function Nps({ nps }: { nps: NpsFigures }) {
  const { t, lng } = useStaffText();
  const score = (value: number) => formatNps(value, lng);
  return (
    <Card name={t('figures.nps')} testId="figure-nps" small={nps.small}>
      {nps.small ? <Small /> : <p className="figure__value">{score(nps.score)}</p>}
      {nps.small && <p className="figure__quiet">{score(nps.score)}</p>}
      <p>{t('figures.npsParts', nps)}</p>
      <p>{t('figures.interval', formatInterval(nps.interval, score))}</p>
    </Card>
  );
}

/** The period's headline figures: each share with its count and interval, misuse apart. */
export function Figures({ stats, target }: { stats: PeriodStats; target: number }) {
  const { t, lng } = useStaffText();
  const { csi, nps } = stats;
  const noData = <p className="figure__quiet">{t('figures.noData')}</p>;
  return (
    <div className="figures">
      <Card name={t('figures.responses')} testId="figure-responses">
        <p className="figure__value">{csi?.responses ?? 0}</p>
      </Card>
      <Card name={t('figures.csiMean')} testId="figure-mean" small={csi?.small}>
        {csi ? csi.small ? <Small /> : <p className="figure__value">{formatMean(csi.mean, lng)}</p> : noData}
        {csi?.small && <p className="figure__quiet">{formatMean(csi.mean, lng)}</p>}
      </Card>
      {csi ? (
        <Satisfied csi={csi} target={target} />
      ) : (
        <Card name={t('figures.satisfied')} testId="figure-satisfied">
          {noData}
        </Card>
      )}
      {nps ? (
        <Nps nps={nps} />
      ) : (
        <Card name={t('figures.nps')} testId="figure-nps">
          {noData}
        </Card>
      )}
      <Card name={t('figures.misuse')} testId="figure-misuse">
        <p className="figure__value">{stats.misuse}</p>
        <p>{t('figures.misuseHint')}</p>
      </Card>
      {stats.repeats > 0 && (
        <Card name={t('figures.repeats')} testId="figure-repeats">
          <p className="figure__value">{stats.repeats}</p>
          <p>{t('figures.repeatsHint')}</p>
        </Card>
      )}
    </div>
  );
}

/** Scores 1–5 with counts and shares: the distribution behind the mean. */
export function Distribution({ csi }: { csi: CsiFigures | null }) {
  const { t, lng } = useStaffText();
  if (!csi) return null;
  return (
    <table className="staff__table" data-testid="distribution">
      <caption>{t('figures.distribution')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('figures.score')}</th>
          <th scope="col">{t('figures.count')}</th>
          <th scope="col">{t('figures.share')}</th>
        </tr>
      </thead>
      <tbody>
        {csi.distribution.map((count, i) => (
          <tr key={i}>
            <th scope="row">{i + 1}</th>
            <td>{count}</td>
            <td>{formatPercent(count / csi.responses, lng)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The federal criteria answered in the period: each one's responses, mean and distribution of 1–5. */
export function Criteria({ stats }: { stats: PeriodStats }) {
  const { t, lng } = useStaffText();
  if (stats.criteria.length === 0) return null;
  return (
    <table className="staff__table" data-testid="criteria">
      <caption>{t('criteria.heading')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('criteria.criterion')}</th>
          <th scope="col">{t('figures.count')}</th>
          <th scope="col">{t('criteria.mean')}</th>
          {[1, 2, 3, 4, 5].map((score) => (
            <th key={score} scope="col">
              {score}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {stats.criteria.map(({ indicator, figures }) => (
          <tr key={indicator} data-indicator={indicator} className={figures.small ? 'staff__row--small' : undefined}>
            <th scope="row">{t(`criteria.names.${indicator}` as 'criteria.names.9')}</th>
            <td>{figures.responses}</td>
            <td>{figures.small ? `${formatMean(figures.mean, lng)} (${t('figures.small')})` : formatMean(figures.mean, lng)}</td>
            {figures.distribution.map((count, i) => (
              <td key={i}>{count}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
