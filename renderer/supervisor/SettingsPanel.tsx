import { useEffect, useRef, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import type { PultError } from '../../shared/result.js';
import { DEFAULT_REASONS, type FlowStep } from '../../shared/config.js';
import { SUPPORTED_LANGUAGES, type Language } from '../../shared/languages.js';
import { REVIEWS } from '../../shared/locales/index.js';
import type { AuditEntry, ChangeReply, Settings } from '../../shared/supervisor.js';
import { formatDateTime } from './format.js';
import { useStaffText } from './text.js';

type Problems = Extract<ChangeReply, { applied: false }>['problems'];
const DEFAULT_THRESHOLD = 3;

/** The steps as switches in their fixed order (the language screen, CSI, reasons after a low CSI, NPS, the federal criteria, the comment); the reasons' list is the config's. */
function FlowEditor(props: { flow: FlowStep[]; onChange(flow: FlowStep[]): void }) {
  const { t } = useStaffText();
  const has = (type: FlowStep['type']) => props.flow.some((step) => step.type === type);
  const reasons = props.flow.find((step) => step.type === 'reasons_if_low');
  const chosen = {
    language: has('language'),
    csi: has('csi'),
    reasons: !!reasons,
    nps: has('nps'),
    mkgu: has('mkgu'),
    comment: has('comment'),
    threshold: reasons?.type === 'reasons_if_low' ? reasons.threshold : DEFAULT_THRESHOLD,
  };
  const list = reasons?.type === 'reasons_if_low' ? reasons.reasons : DEFAULT_REASONS;
  const change = (next: Partial<typeof chosen>) => {
    const c = { ...chosen, ...next };
    props.onChange([
      ...(c.language ? [{ type: 'language' as const }] : []),
      ...(c.csi ? [{ type: 'csi' as const }] : []),
      ...(c.reasons ? [{ type: 'reasons_if_low' as const, threshold: c.threshold, reasons: list }] : []),
      ...(c.nps ? [{ type: 'nps' as const }] : []),
      ...(c.mkgu ? [{ type: 'mkgu' as const }] : []),
      ...(c.comment ? [{ type: 'comment' as const }] : []),
    ]);
  };
  const toggle = (step: 'language' | 'csi' | 'reasons' | 'nps' | 'mkgu' | 'comment', name: string, extra?: React.ReactNode) => (
    <label className="staff__choice">
      <input type="checkbox" checked={chosen[step]} onChange={(e) => change({ [step]: e.target.checked })} />
      {name}
      {extra}
    </label>
  );
  return (
    <fieldset className="staff__choices">
      <legend>{t('settings.flow')}</legend>
      {toggle('language', t('settings.step_language'))}
      {toggle('csi', t('settings.step_csi'))}
      {toggle(
        'reasons',
        t('settings.step_reasons_if_low'),
        <select
          aria-label={t('settings.step_reasons_if_low')}
          value={chosen.threshold}
          onChange={(e) => change({ threshold: Number(e.target.value) })}
        >
          {[1, 2, 3, 4].map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>,
      )}
      {toggle('nps', t('settings.step_nps'))}
      {toggle('mkgu', t('settings.step_mkgu'))}
      {toggle('comment', t('settings.step_comment'))}
    </fieldset>
  );
}

function AuditLog({ audit, timeZone }: { audit: AuditEntry[]; timeZone: string }) {
  const { t, lng } = useStaffText();
  return (
    <table className="staff__table" data-testid="audit">
      <caption>{t('settings.audit')}</caption>
      <thead>
        <tr>
          {(['when', 'what', 'from', 'to', 'by'] as const).map((column) => (
            <th key={column} scope="col">
              {t(`settings.${column}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {audit.length === 0 && (
          <tr>
            <td colSpan={5}>{t('settings.noAudit')}</td>
          </tr>
        )}
        {audit.map((entry, i) => (
          <tr key={i}>
            <td>{formatDateTime(entry.atMs, lng, timeZone)}</td>
            <td>{t(`settings.what_${entry.what}`)}</td>
            <td className="staff__code">{entry.from}</td>
            <td className="staff__code">{entry.to}</td>
            <td>{entry.by === 'console' ? t('settings.byConsole') : entry.by}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Window label, languages and questions: saved only if the config schema accepts them; every change is logged. */
export function SettingsPanel(props: { api: PultApi; token: string; timeZone: string; onFailure(error: PultError): void }) {
  const { api, token } = props;
  const { t } = useStaffText();
  const failed = useRef(props.onFailure);
  failed.current = props.onFailure;
  const [draft, setDraft] = useState<Settings | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [outcome, setOutcome] = useState<{ saved: boolean; changed: boolean; problems: Problems } | null>(null);

  useEffect(() => {
    void api.getSettings({ token }).then((reply) => {
      if (!reply.ok) return failed.current(reply.error);
      setDraft(reply.value.settings);
      setAudit(reply.value.audit);
    });
  }, [api, token]);

  if (!draft) return null;
  // Every change is applied to the newest draft (an updater), never to the one this render saw: two
  // changes in quick succession (a slow panel, a fast hand) must not undo each other.
  const edit = (change: (current: Settings) => Settings) => setDraft((current) => (current ? change(current) : current));
  const toggleLanguage = (language: Language, on: boolean) =>
    edit((current) => ({
      ...current,
      language: {
        ...current.language,
        enabled: on ? [...current.language.enabled, language] : current.language.enabled.filter((l) => l !== language),
      },
    }));

  const save = async () => {
    const before = audit.length;
    const reply = await api.changeSettings({ token, change: draft });
    if (!reply.ok) return props.onFailure(reply.error);
    if (!reply.value.applied) return setOutcome({ saved: false, changed: false, problems: reply.value.problems });
    setDraft(reply.value.settings);
    setAudit(reply.value.audit);
    setOutcome({ saved: true, changed: reply.value.audit.length !== before, problems: [] });
  };

  return (
    <section className="staff__section" data-testid="settings">
      <h2>{t('settings.heading')}</h2>
      {/* Two columns where the screen is wide enough: the form is one screen of a 7-inch panel. */}
      <div className="staff__columns">
        <div>
          <label className="staff__field">
            {t('settings.windowLabel')}
            <input
              type="text"
              value={draft.windowLabel}
              maxLength={16}
              onChange={(e) => {
                const windowLabel = e.target.value;
                edit((current) => ({ ...current, windowLabel }));
              }}
            />
          </label>
          <label className="staff__field">
            {t('settings.defaultLanguage')}
            <select
              value={draft.language.default}
              onChange={(e) => {
                const language = e.target.value as Language;
                edit((current) => ({ ...current, language: { ...current.language, default: language } }));
              }}
            >
              {SUPPORTED_LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`languageNames.${language}`)}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="staff__choices">
            <legend>{t('settings.enabled')}</legend>
            {SUPPORTED_LANGUAGES.map((language) => (
              <label key={language} className="staff__choice">
                <input
                  type="checkbox"
                  checked={draft.language.enabled.includes(language)}
                  onChange={(e) => toggleLanguage(language, e.target.checked)}
                />
                {t(`languageNames.${language}`)}
                {!REVIEWS[language] && <span className="staff__draft">({t('settings.draft')})</span>}
              </label>
            ))}
          </fieldset>
        </div>
        <FlowEditor flow={draft.flow} onChange={(flow) => edit((current) => ({ ...current, flow }))} />
      </div>
      <button type="button" className="staff__button staff__button--primary" onClick={() => void save()}>
        {t('settings.save')}
      </button>
      {outcome && (
        <div role="status" data-testid="settings-outcome">
          {outcome.saved ? (
            <p>{outcome.changed ? t('settings.saved') : t('settings.unchanged')}</p>
          ) : (
            <>
              <p>{t('settings.invalid')}</p>
              <ul>
                {outcome.problems.map((problem, i) => (
                  <li key={i}>
                    {problem.path}: {problem.rule ? t(`rules.${problem.rule}`) : problem.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {/* Folded: the form alone is one screen of a 7-inch panel. */}
      <details className="staff__numbers">
        <summary>{t('settings.audit')}</summary>
        <AuditLog audit={audit} timeZone={props.timeZone} />
      </details>
    </section>
  );
}
