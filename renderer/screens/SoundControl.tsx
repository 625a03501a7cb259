import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/languages.js';
import { PROMPT_VOICES } from '../../shared/prompts.js';

/**
 * The spoken prompts' switch, beside «Версия для слабовидящих» on every applicant screen: off for
 * each new applicant. In a language with no voice (Tajik: espeak-ng has none) it says so and
 * cannot be switched on; a prompt that failed to play says so too.
 */
export const SoundControl = memo(function SoundControl(props: {
  on: boolean;
  language: Language;
  playable: boolean;
  onChange(on: boolean): void;
}) {
  const { t } = useTranslation();
  const voiced = PROMPT_VOICES[props.language] !== null;
  const label = !voiced ? t('sound.missing') : props.on && !props.playable ? t('sound.failed') : t('sound.toggle');
  return (
    <button
      type="button"
      className="sound__toggle"
      aria-pressed={voiced ? props.on : undefined}
      disabled={!voiced}
      onClick={() => props.onChange(!props.on)}
    >
      <svg className="sound__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
        {props.on && voiced ? (
          <path
            d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
        ) : (
          <path d="M16 9l6 6M22 9l-6 6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        )}
      </svg>
      {label}
    </button>
  );
});
