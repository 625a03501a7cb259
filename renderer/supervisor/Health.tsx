import type { Health as HealthData } from '../../shared/supervisor.js';
import { formatDateTime } from './format.js';
import { useStaffText } from './text.js';

/** The alerts first (what needs doing), then the console's state: stored, unsent, last sent, boxes. */
export function Alerts({ health, timeZone }: { health: HealthData; timeZone: string }) {
  const { t, lng } = useStaffText();
  if (health.alerts.length === 0) return null;
  return (
    <div className="staff__alerts" role="alert" data-testid="alerts">
      {health.alerts.map((alert) => (
        <p key={alert.kind} data-alert={alert.kind}>
          {alert.kind === 'silent'
            ? t('health.silent', { hours: Math.floor(alert.openHours), since: formatDateTime(alert.sinceMs, lng, timeZone) })
            : t('health.streak', { count: alert.count })}
        </p>
      ))}
    </div>
  );
}

export function Health({ health, timeZone, onRefresh }: { health: HealthData; timeZone: string; onRefresh(): void }) {
  const { t, lng } = useStaffText();
  const when = (ms: number | null) => (ms === null ? t('health.never') : formatDateTime(ms, lng, timeZone));
  const { status, sync } = health;
  return (
    <section className="staff__section" data-testid="health">
      <h2>{t('health.heading')}</h2>
      <dl className="staff__facts">
        <dt>{t('health.stored')}</dt>
        <dd data-testid="health-stored">{status.answersStored}</dd>
        <dt>{t('health.outbox')}</dt>
        <dd>{sync.outboxDepth}</dd>
        <dt>{t('health.oldestUnsent')}</dt>
        <dd>{sync.oldestUnsentAt === null ? '—' : when(sync.oldestUnsentAt)}</dd>
        <dt>{t('health.lastSync')}</dt>
        <dd>{sync.enabled ? when(sync.lastAckAt) : t('health.syncOff')}</dd>
        <dt>{t('health.boxes')}</dt>
        <dd>
          {status.boxes.length === 0
            ? t('health.noBoxes')
            : status.boxes
                .map((box) =>
                  box.connected
                    ? t('health.boxConnected', { id: box.id, port: box.port ?? '' })
                    : t('health.boxDisconnected', { id: box.id }),
                )
                .join('; ')}
        </dd>
      </dl>
      <button type="button" className="staff__button" onClick={onRefresh}>
        {t('health.refresh')}
      </button>
    </section>
  );
}
