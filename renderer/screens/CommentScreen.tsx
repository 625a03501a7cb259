import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_COMMENT_LENGTH } from '../../shared/vocabulary.js';
import type { Language } from '../../shared/languages.js';
import { Keyboard } from './Keyboard.js';
import { Actions } from './Actions.js';

/** A keystroke tells the core the person is still here at most this often (its idle return waits). */
const STILL_HERE_EVERY_MS = 3_000;

/**
 * «Что можно улучшить?» — free text on the screen's keyboard, at most 500 characters, sent once
 * with «Готово»; «Пропустить» sends nothing. The prompt never asks for a name, a phone or any
 * other personal data, and says not to type them.
 */
export function CommentScreen(props: {
  language: Language;
  settled: boolean;
  /** A box's buttons (null: none): its last one is «Пропустить» here (a box cannot type). */
  boxButtons: number | null;
  onTyping(): void;
  onDone(text: string): void;
  onSkip(): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const lastTold = useRef(0);
  const edit = (next: string) => {
    setText(Array.from(next).slice(0, MAX_COMMENT_LENGTH).join(''));
    if (Date.now() - lastTold.current >= STILL_HERE_EVERY_MS) {
      lastTold.current = Date.now();
      props.onTyping();
    }
  };
  const length = Array.from(text).length;
  return (
    <section className="question question--comment" aria-labelledby="comment-question">
      <h1 id="comment-question" className="question__text">
        {t('comment.question')}
      </h1>
      <p className="question__hint">{t('comment.hint')}</p>
      <textarea
        className="comment__text"
        aria-labelledby="comment-question"
        aria-describedby="comment-count"
        value={text}
        readOnly
        inputMode="none"
        rows={3}
      />
      <p id="comment-count" className="comment__count" aria-live="polite">
        {t('comment.count', { count: length, max: MAX_COMMENT_LENGTH })}
      </p>
      <Keyboard
        language={props.language}
        disabled={!props.settled}
        full={length >= MAX_COMMENT_LENGTH}
        onKey={(key) => edit(text + key)}
        onBackspace={() => edit(Array.from(text).slice(0, -1).join(''))}
      />
      <Actions
        settled={props.settled}
        canFinish={text.trim() !== ''}
        onSkip={props.onSkip}
        onDone={() => props.onDone(text)}
        boxKeys={{ skip: props.boxButtons ?? undefined }}
      />
    </section>
  );
}
