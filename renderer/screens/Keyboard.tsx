import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/languages.js';

/**
 * The comment screen's own keyboard: the console has no other. Its letters are in the locales
 * (`keyboard.rows`: ЙЦУКЕН for Russian, QWERTY for English, the applicants' languages their own
 * rows), and one key switches between the language's layout and the other alphabet (Russian ↔
 * English). Every key is a big button; Shift capitalises the next letter only.
 */
export function Keyboard(props: {
  language: Language;
  disabled: boolean;
  /** The text is at its limit: only Backspace types. */
  full: boolean;
  onKey(text: string): void;
  onBackspace(): void;
}) {
  const { t, i18n } = useTranslation();
  const other: Language = props.language === 'en' ? 'ru' : 'en';
  const [layout, setLayout] = useState<Language>(props.language);
  const [shift, setShift] = useState(false);
  const rows = i18n.getFixedT(layout)('keyboard.rows', { returnObjects: true }) as string[];
  const otherLayout = layout === props.language ? other : props.language;
  // The key shows the layout it switches to; its name says so and includes what it shows (WCAG 2.5.3).
  const otherName = i18n.getFixedT(otherLayout)('keyboard.name');
  const type = (key: string) => {
    props.onKey(shift ? key.toLocaleUpperCase(layout) : key);
    setShift(false);
  };
  return (
    <div className="keyboard" role="group" aria-label={t('keyboard.label')}>
      {rows.map((row) => (
        <div key={row} className="keyboard__row">
          {Array.from(row).map((key) => (
            <button key={key} type="button" className="key" disabled={props.disabled || props.full} onClick={() => type(key)}>
              {shift ? key.toLocaleUpperCase(layout) : key}
            </button>
          ))}
        </div>
      ))}
      <div className="keyboard__row">
        <FunctionKey name={t('keyboard.shift')} pressed={shift} disabled={props.disabled} onPress={() => setShift(!shift)}>
          ⇧
        </FunctionKey>
        <FunctionKey
          name={`${t('keyboard.switch')} ${otherName}`}
          disabled={props.disabled}
          onPress={() => setLayout(otherLayout)}
        >
          {otherName}
        </FunctionKey>
        <FunctionKey name={t('keyboard.space')} wide="space" disabled={props.disabled || props.full} onPress={() => type(' ')}>
          {t('keyboard.space')}
        </FunctionKey>
        <FunctionKey name={t('keyboard.backspace')} disabled={props.disabled} onPress={props.onBackspace}>
          ⌫
        </FunctionKey>
      </div>
    </div>
  );
}

/** Shift, the layout, the space bar, Backspace: named for a screen reader, pressed state where it has one. */
function FunctionKey(props: {
  name: string;
  wide?: 'space';
  pressed?: boolean;
  disabled: boolean;
  onPress(): void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className={props.wide === 'space' ? 'key key--space' : 'key key--wide'}
      aria-label={props.name}
      aria-pressed={props.pressed}
      disabled={props.disabled}
      onClick={props.onPress}
    >
      {props.children}
    </button>
  );
}
