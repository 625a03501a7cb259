import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { ConsoleStore } from './store.js';
import { LanguageSwitch } from './screens/LanguageSwitch.js';
import { ScoreScreen } from './screens/ScoreScreen.js';
import { ReasonsScreen } from './screens/ReasonsScreen.js';
import { ThanksScreen } from './screens/ThanksScreen.js';
import { useConsoleInputs } from './use-console-inputs.js';

/** How long a save may take before «Сохраняем…» appears: shorter saves show no flicker. */
const SAVING_NOTICE_AFTER_MS = 300;

/** True once the wall clock reached `at`; re-renders at that moment. */
function useReached(at: number | null): boolean {
  const [, rerender] = useState(0);
  const wait = at === null ? 0 : at - Date.now();
  useEffect(() => {
    if (wait <= 0) return;
    const timer = window.setTimeout(() => rerender((n) => n + 1), wait);
    return () => window.clearTimeout(timer);
  }, [at, wait]);
  return at !== null && wait <= 0;
}

export function App({ store }: { store: ConsoleStore }) {
  const { t, i18n } = useTranslation();
  const { phase, setup, flow, saveFailed, saving, savingSinceMs, settlesAtMs } = useStore(store);
  const dispatch = useStore(store, (s) => s.dispatch);
  useConsoleInputs(dispatch);
  const settled = useReached(flow ? settlesAtMs(flow) : null);
  const slowSave = useReached(saving && savingSinceMs !== null ? savingSinceMs + SAVING_NOTICE_AFTER_MS : null);

  const language = flow?.language;
  useEffect(() => {
    if (!language) return;
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);

  if (phase === 'loading') return <main className="console console--message">{t('loading')}</main>;
  if (phase === 'unavailable' || !setup || !flow)
    return (
      <main className="console console--message" role="alert">
        {t('errors.unavailable')}
      </main>
    );

  const { screen } = flow;
  return (
    <div className="console" data-screen={screen.kind === 'question' ? screen.question : screen.kind}>
      <header className="console__header">
        <span className="console__window">{t('window.label', { label: setup.window.label })}</span>
        {screen.kind !== 'thanks' && (
          <LanguageSwitch
            enabled={setup.language.enabled}
            current={flow.language}
            onChoose={(choice) => void dispatch({ type: 'setLanguage', language: choice })}
          />
        )}
      </header>
      <main className="console__main">
        {screen.kind === 'question' && (
          <ScoreScreen
            question={screen.question}
            canSkip={flow.responseId !== null}
            settled={settled}
            onScore={(value) => void dispatch({ type: 'score', value, source: 'touch' })}
            onSkip={() => void dispatch({ type: 'skip' })}
          />
        )}
        {screen.kind === 'reasons' && (
          <ReasonsScreen
            selected={screen.selected}
            settled={settled}
            onToggle={(reason) => void dispatch({ type: 'toggleReason', reason })}
            onDone={() => void dispatch({ type: 'submitReasons' })}
            onSkip={() => void dispatch({ type: 'skip' })}
          />
        )}
        {screen.kind === 'thanks' && <ThanksScreen />}
      </main>
      {slowSave && (
        <p className="console__saving" role="status">
          {t('saving')}
        </p>
      )}
      {saveFailed && (
        <p className="console__error" role="alert">
          {t('errors.saveFailed')}
        </p>
      )}
    </div>
  );
}
