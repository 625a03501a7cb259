import { useCallback, useEffect, useRef, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import type { PultError, Result } from '../../shared/result.js';
import type { Health as HealthData, Period, StatsReply } from '../../shared/supervisor.js';
import { ExportPanel } from './ExportPanel.js';
import { Criteria, Distribution, Figures } from './Figures.js';
import { Alerts, Health } from './Health.js';
import type { Opened } from './PinPad.js';
import { SettingsPanel } from './SettingsPanel.js';
import { shiftDay } from '../../shared/office-time.js';
import { failureText, STAFF_LANGUAGES, useStaffText, type StaffLanguage } from './text.js';
import { Reasons, Trends, Windows } from './Trends.js';
import { Operators } from './Operators.js';
import { formatDateTime } from './format.js';

type Preset = 'today' | 'days7' | 'days30' | 'custom';
const PRESET_DAYS: Record<Exclude<Preset, 'custom'>, number> = { today: 1, days7: 7, days30: 30 };
const ALL_WINDOWS = '*';

function PeriodPicker(props: {
  today: string;
  period: Period;
  windows: string[];
  /** This console's window and its label («Окно 5»); other windows stored here are named by their id. */
  own: { id: string; label: string };
  /** The operators' tab counts every window together: no window to choose. */
  scoped: boolean;
  onChoose(period: Period): void;
}) {
  const { t } = useStaffText();
  const { today, period } = props;
  const [preset, setPreset] = useState<Preset>('today');
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const backwards = Boolean(from && to && from > to);
  const choosePreset = (next: Exclude<Preset, 'custom'>) => {
    setPreset(next);
    props.onChoose({ ...period, from: shiftDay(today, 1 - PRESET_DAYS[next]), to: today });
  };
  return (
    <form
      className="staff__period"
      onSubmit={(event) => {
        event.preventDefault();
        if (from && to && !backwards) props.onChoose({ ...period, from, to });
      }}
    >
      <fieldset className="staff__choices">
        <legend>{t('period.legend')}</legend>
        {(['today', 'days7', 'days30', 'custom'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className="staff__button"
            aria-pressed={preset === name}
            onClick={() => (name === 'custom' ? setPreset('custom') : choosePreset(name))}
          >
            {t(`period.${name}`)}
          </button>
        ))}
      </fieldset>
      {preset === 'custom' && (
        <div className="staff__row">
          <label className="staff__field">
            {t('period.from')}
            <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label className="staff__field">
            {t('period.to')}
            <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="staff__button staff__button--primary" disabled={backwards}>
            {t('period.apply')}
          </button>
          {backwards && (
            <p className="staff__failure" role="alert">
              {t('period.backwards')}
            </p>
          )}
        </div>
      )}
      {props.scoped && (
        <label className="staff__field">
          {t('period.scope')}
          <select
            value={period.windowId ?? ALL_WINDOWS}
            onChange={(e) => {
              const { windowId: _previous, ...rest } = period;
              props.onChoose(e.target.value === ALL_WINDOWS ? rest : { ...rest, windowId: e.target.value });
            }}
          >
            {props.windows.map((id) => (
              <option key={id} value={id}>
                {t('period.window', { id: id === props.own.id ? props.own.label : id })}
              </option>
            ))}
            <option value={ALL_WINDOWS}>{t('period.all')}</option>
          </select>
        </label>
      )}
    </form>
  );
}

/** The dashboard in parts that each take one screen of a 7-inch panel, not one page of six screens. */
type Tab = 'window' | 'operators' | 'health' | 'export' | 'settings';
const TABS: Tab[] = ['window', 'operators', 'health', 'export', 'settings'];
/** The tabs whose figures are of a period: the period picker shows above them. */
const OF_A_PERIOD: Tab[] = ['window', 'operators', 'export'];

/** «Окно», «Операторы», «Состояние», «Выгрузка», «Настройки»: a tab list (arrow keys move between the tabs, as WAI-ARIA's pattern has it). */
function Tabs(props: { tab: Tab; onTab(tab: Tab): void }) {
  const { t } = useStaffText();
  return (
    <div role="tablist" aria-label={t('tabs.label')} className="staff__tabs">
      {TABS.map((name, index) => (
        <button
          key={name}
          id={`tab-${name}-button`}
          type="button"
          role="tab"
          className="staff__button staff__tab"
          aria-selected={props.tab === name}
          aria-controls={`tab-${name}`}
          tabIndex={props.tab === name ? 0 : -1}
          onClick={() => props.onTab(name)}
          onKeyDown={(event) => {
            const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
            if (step === 0) return;
            const next = TABS[(index + step + TABS.length) % TABS.length]!;
            props.onTab(next);
            document.getElementById(`tab-${next}-button`)?.focus();
          }}
        >
          {t(`tabs.${name}`)}
        </button>
      ))}
    </div>
  );
}

/** Seen only on paper: what the page is, of which office and period, and when it was printed. */
function PrintHeading(props: { office: string; what: string; period: Period; timeZone: string }) {
  const { t, lng } = useStaffText();
  return (
    <div className="print-only" data-testid="print-heading">
      <h2>{t('print.heading', { office: props.office, what: props.what, from: props.period.from, to: props.period.to })}</h2>
      <p>{t('print.printed', { at: formatDateTime(Date.now(), lng, props.timeZone) })}</p>
    </div>
  );
}

/** The PIN session's screen: the period's figures, charts and tables; health; export; settings. */
export function Dashboard(props: {
  api: PultApi;
  opened: Opened;
  where: 'console' | 'remote';
  onLanguage(language: StaffLanguage): void;
  onClose(): void;
  onEnded(): void;
}) {
  const { api, opened, onEnded } = props;
  const { token, console: about } = opened;
  const { t, lng } = useStaffText();
  const [stats, setStats] = useState<StatsReply | null>(null);
  const [health, setHealth] = useState<HealthData | null>(null);
  const [failure, setFailure] = useState<PultError | null>(null);
  const [tab, setTab] = useState<Tab>('window');
  const lastCall = useRef(Date.now());

  /** A refused token means the session ended (idle, or the console restarted): back to the PIN pad. */
  const settle = useCallback(
    <T,>(reply: Result<T>, use: (value: T) => void) => {
      if (reply.ok) return use(reply.value);
      if (reply.error.code === 'not_allowed') return onEnded();
      setFailure(reply.error);
    },
    [onEnded],
  );
  const load = useCallback(
    (period?: Period) => {
      lastCall.current = Date.now();
      void api.getStats({ token, period }).then((reply) => settle(reply, setStats));
    },
    [api, token, settle],
  );
  const refreshHealth = useCallback(() => {
    lastCall.current = Date.now();
    void api.getHealth({ token }).then((reply) => settle(reply, setHealth));
  }, [api, token, settle]);
  useEffect(() => {
    load();
    refreshHealth();
  }, [load, refreshHealth]);

  // The core ends a token that made no call for twice the idle time: a supervisor who keeps
  // touching (reading, scrolling) without a call refreshes the health now and then, which keeps
  // the session — and the pause of ratings — alive while the screen is really in use.
  useEffect(() => {
    const touched = () => {
      if (Date.now() - lastCall.current < opened.idleMs / 2) return;
      lastCall.current = Date.now();
      refreshHealth();
    };
    window.addEventListener('pointerdown', touched, { capture: true, passive: true });
    return () => window.removeEventListener('pointerdown', touched, { capture: true });
  }, [opened.idleMs, refreshHealth]);

  const period: Period | null = stats
    ? { from: stats.period.from, to: stats.period.to, ...(stats.period.windowId ? { windowId: stats.period.windowId } : {}) }
    : null;
  const windows = stats ? [...new Set([stats.windowId, ...stats.windows.map((w) => w.windowId)])] : [];

  return (
    <div className="staff" lang={lng}>
      <header className="staff__header">
        <h1>
          {props.where === 'console'
            ? t('title', { label: about.windowLabel })
            : t('titleRemote', { office: `${about.officeName} · ${about.windowLabel}` })}
        </h1>
        <div className="staff__row">
          <label className="staff__field staff__field--inline">
            {t('language')}
            <select value={lng} onChange={(e) => props.onLanguage(e.target.value as StaffLanguage)}>
              {STAFF_LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`languageNames.${language}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="staff__button staff__button--primary" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
      </header>
      <main className="staff__main">
        {opened.pausesRatings && (
          <p className="staff__paused" role="status">
            {t('paused')}
          </p>
        )}
        {failure && (
          <p className="staff__failure" role="alert">
            {failureText(t, failure)}
          </p>
        )}
        {health && <Alerts health={health} timeZone={about.timeZone} />}
        <Tabs tab={tab} onTab={setTab} />
        {stats && period && OF_A_PERIOD.includes(tab) && (
          <PeriodPicker
            today={stats.today}
            period={period}
            windows={windows}
            own={{ id: about.windowId, label: about.windowLabel }}
            scoped={tab === 'window'}
            onChoose={load}
          />
        )}
        {stats && period && (tab === 'window' || tab === 'operators') && (
          <>
            <PrintHeading
              office={about.officeName}
              what={
                tab === 'operators'
                  ? t('print.operators')
                  : period.windowId === undefined
                    ? t('period.all')
                    : t('print.window', { label: period.windowId === about.windowId ? about.windowLabel : period.windowId })
              }
              period={period}
              timeZone={about.timeZone}
            />
            {tab === 'window' ? (
              <div role="tabpanel" id="tab-window" aria-labelledby="tab-window-button">
                <h2 data-testid="period-heading">{t('figures.heading', { from: stats.period.from, to: stats.period.to })}</h2>
                <Figures stats={stats.period} target={stats.target} />
                <Distribution csi={stats.period.csi} />
                <Criteria stats={stats.period} />
                <Trends stats={stats.period} openingHours={stats.openingHours} />
                <Reasons stats={stats.period} labels={stats.reasonLabels} />
                <Windows windows={stats.windows} />
              </div>
            ) : (
              <div role="tabpanel" id="tab-operators" aria-labelledby="tab-operators-button">
                <Operators api={api} token={token} period={period} settle={settle} />
              </div>
            )}
            {/* Only in a supervisor's own browser: a console has no printer, and a dialog on a kiosk is a way out. */}
            {props.where === 'remote' && (
              <button type="button" className="staff__button" onClick={() => window.print()} data-testid="print">
                {t('print.run')}
              </button>
            )}
          </>
        )}
        {tab === 'health' && (
          <div role="tabpanel" id="tab-health" aria-labelledby="tab-health-button">
            {health && <Health health={health} timeZone={about.timeZone} onRefresh={refreshHealth} />}
          </div>
        )}
        {tab === 'export' && (
          <div role="tabpanel" id="tab-export" aria-labelledby="tab-export-button">
            {period && <ExportPanel api={api} token={token} period={period} onFailure={setFailure} />}
          </div>
        )}
        {tab === 'settings' && (
          <div role="tabpanel" id="tab-settings" aria-labelledby="tab-settings-button">
            <SettingsPanel api={api} token={token} timeZone={about.timeZone} onFailure={setFailure} />
          </div>
        )}
      </main>
    </div>
  );
}
