import { Suspense, useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Action } from '../shared/session.js';
import type { PultApi } from '../shared/contract.js';
import type { ConsoleStore } from './store.js';
import { CornerHold } from './corner-hold.js';
import { Supervisor } from './lazy-supervisor.js';
import { LanguageSwitch } from './screens/LanguageSwitch.js';
import { LanguageScreen } from './screens/LanguageScreen.js';
import { ScoreScreen } from './screens/ScoreScreen.js';
import { ReasonsScreen } from './screens/ReasonsScreen.js';
import { CommentScreen } from './screens/CommentScreen.js';
import { VisionPanel } from './screens/VisionPanel.js';
import { SoundControl } from './screens/SoundControl.js';
import { usePrompt } from './use-prompt.js';
import type { Vision, VisionChange } from '../shared/session.js';
import type { FlowStep } from '../shared/config.js';
import { ThanksScreen } from './screens/ThanksScreen.js';
import { useConsoleInputs } from './use-console-inputs.js';
import { useTouchTaps } from './touch-taps.js';
import { hasLanguages, loadLanguages } from './i18n.js';
import type { Language } from '../shared/vocabulary.js';

/** How soon a language's texts that could not be fetched are asked for again. */
const LANGUAGES_RETRY_MS = 1_000;

/**
 * True once the texts of the language on the screen are here. The other languages the console
 * offers are fetched after the first screen, not before it: nobody chose them yet, and each one's
 * own name already came with the page (renderer/i18n.ts). A language chosen before its texts
 * arrived shows «Загрузка…» until they do, never a screen in another language.
 */
function useLanguages(offered: readonly Language[] | undefined, current: Language | undefined): boolean {
  const [attempt, again] = useState(0);
  const complete = offered === undefined || hasLanguages(offered);
  useEffect(() => {
    if (complete || !offered) return;
    let live = true;
    const next = () => live && again((n) => n + 1);
    loadLanguages(offered).then(next, () => window.setTimeout(next, LANGUAGES_RETRY_MS));
    return () => {
      live = false;
    };
  }, [offered, complete, attempt]);
  return current === undefined || hasLanguages([current]);
}

/**
 * «Сохраняем…» while a press waits for its reply longer than the store's SAVING_NOTICE_AFTER_MS.
 * Its own component: the notice coming and going re-renders this line only, not the screen.
 */
function SavingNotice({ store }: { store: ConsoleStore }) {
  const { t } = useTranslation();
  const saving = useStore(store, (s) => s.saving);
  if (!saving) return null;
  return (
    <p className="console__saving" role="status">
      {t('saving')}
    </p>
  );
}

/** The applicant's «версия для слабовидящих» as attributes the stylesheet reads. */
const visionAttributes = (vision: Vision) => ({
  'data-size': vision.size,
  'data-scheme': vision.scheme,
  'data-images': vision.images ? 'on' : 'off',
});

/** The reasons the flow's reasons step offers (the parsed config always has its list: the office's, else ours). */
const reasonsOf = (flow: readonly FlowStep[]) => {
  const step = flow.find((s) => s.type === 'reasons_if_low');
  return step?.type === 'reasons_if_low' ? step.reasons : [];
};

export function App({ store, api }: { store: ConsoleStore; api: PultApi }) {
  const { t, i18n } = useTranslation();
  // Only what the screen draws: a store change that leaves these as they were re-renders nothing.
  const { phase, setup, session, failedOn } = useStore(
    store,
    useShallow((s) => ({ phase: s.phase, setup: s.setup, session: s.session, failedOn: s.failedOn })),
  );
  const press = useStore(store, (s) => s.press);
  const [supervising, setSupervising] = useState(false);
  useConsoleInputs(press, !supervising);
  useTouchTaps(session, !supervising);
  // Stable handlers: the header's controls (memo) are not drawn again with every screen.
  const touch = useCallback((action: Action) => void press('touch', action), [press]);
  const chooseLanguage = useCallback((language: Language) => touch({ type: 'chooseLanguage', language }), [touch]);
  const changeVision = useCallback((change: VisionChange) => touch({ type: 'setVision', vision: change }), [touch]);
  const changeSound = useCallback((sound: boolean) => touch({ type: 'setVision', vision: { sound } }), [touch]);

  const { player, playable } = usePrompt(setup, session);
  const language = session?.language;
  const languagesReady = useLanguages(setup?.language.enabled, language);
  // Before the paint: the first screen never flashes in another language. Until the texts of a
  // newly chosen one are here, the language before it goes on speaking («Загрузка…» in it).
  useLayoutEffect(() => {
    if (!language || !languagesReady) return;
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language, languagesReady]);

  if (phase === 'loading') return <main className="console console--message">{t('loading')}</main>;
  if (phase === 'starting' || phase === 'restarting')
    return (
      <main className="console console--message" role="status">
        {t(phase === 'starting' ? 'kiosk.starting' : 'kiosk.restarting')}
      </main>
    );
  if (phase === 'unavailable' || !setup || !session)
    return (
      <main className="console console--message" role="alert">
        {t('errors.unavailable')}
      </main>
    );

  if (!languagesReady) return <main className="console console--message">{t('loading')}</main>;
  if (supervising)
    return (
      <Suspense fallback={<main className="console console--message">{t('loading')}</main>}>
        <Supervisor
          api={api}
          where="console"
          idleMs={setup.supervisorIdleMs}
          language={session.language === 'en' ? 'en' : 'ru'}
          onLeave={() => setSupervising(false)}
        />
      </Suspense>
    );
  if (session.paused)
    return (
      <main className="console console--message" role="status">
        {t('paused')}
      </main>
    );

  const { screen, settled, ticket, vision } = session;
  // «Версия для слабовидящих» and the spoken prompts, in the header of every applicant screen.
  const accessibility = (
    <div className="console__access">
      <VisionPanel vision={vision} onChange={changeVision} />
      {setup.sound.offered && (
        <SoundControl on={vision.sound} language={session.language} playable={playable} onChange={changeSound} />
      )}
    </div>
  );
  if (session.waitingForTicket)
    return (
      <div className="console" data-screen="waiting" {...visionAttributes(session.vision)}>
        <CornerHold onHold={() => setSupervising(true)} />
        <header className="console__header">
          <span className="console__window">{t('window.label', { label: setup.window.label })}</span>
          {accessibility}
          <LanguageSwitch enabled={setup.language.enabled} current={session.language} onChoose={chooseLanguage} />
        </header>
        <main className="console__main console__waiting" role="status">
          {t('queue.waiting')}
        </main>
      </div>
    );
  return (
    <div
      className={ticket && screen.kind !== 'thanks' ? 'console console--ticket' : 'console'}
      data-screen={screen.kind === 'question' ? screen.question : screen.kind}
      {...visionAttributes(session.vision)}
    >
      <CornerHold onHold={() => setSupervising(true)} />
      <header className="console__header">
        <span className="console__window">{t('window.label', { label: setup.window.label })}</span>
        {accessibility}
        {screen.kind !== 'thanks' && screen.kind !== 'language' && (
          <LanguageSwitch enabled={setup.language.enabled} current={session.language} onChoose={chooseLanguage} />
        )}
      </header>
      {ticket && screen.kind !== 'thanks' && (
        <p className="console__ticket">
          {ticket.operator
            ? t('queue.ticketOperator', { ticket: ticket.number, operator: ticket.operator })
            : t('queue.ticket', { ticket: ticket.number })}
        </p>
      )}
      <main className="console__main">
        {screen.kind === 'language' && (
          <LanguageScreen
            enabled={setup.language.enabled}
            boxButtons={setup.boxButtons}
            settled={settled}
            onChoose={chooseLanguage}
          />
        )}
        {screen.kind === 'question' && (
          <ScoreScreen
            key={screen.question}
            question={screen.question}
            canSkip={session.canSkip}
            settled={settled}
            onScore={(value) => touch({ type: 'score', value })}
            onSkip={() => touch({ type: 'skip' })}
          />
        )}
        {screen.kind === 'reasons' && (
          <ReasonsScreen
            reasons={reasonsOf(setup.flow)}
            language={session.language}
            boxButtons={setup.boxButtons}
            selected={screen.selected}
            settled={settled}
            onToggle={(reason) => touch({ type: 'toggleReason', reason })}
            onDone={() => touch({ type: 'done' })}
            onSkip={() => touch({ type: 'skip' })}
          />
        )}
        {screen.kind === 'comment' && (
          <CommentScreen
            key={session.screenId}
            language={session.language}
            boxButtons={setup.boxButtons}
            settled={settled}
            onTyping={() => touch({ type: 'typing' })}
            onDone={(text) => touch({ type: 'comment', text })}
            onSkip={() => touch({ type: 'skip' })}
          />
        )}
        {screen.kind === 'thanks' && <ThanksScreen />}
      </main>
      <audio ref={player} className="console__prompt" preload="none" />
      <SavingNotice store={store} />
      {failedOn === session.screenId && (
        <p className="console__error" role="alert">
          {t('errors.saveFailed')}
        </p>
      )}
    </div>
  );
}
