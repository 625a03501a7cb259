import { useEffect, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import type { OpenReply } from '../../shared/supervisor.js';
import { formatTime } from './format.js';
import { useStaffText } from './text.js';

export type Opened = Extract<OpenReply, { status: 'open' }>;
type Refusal = Exclude<OpenReply, { status: 'open' }> | { status: 'failed' };

const MAX_DIGITS = 8;
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Big digit buttons (and the keyboard's digits): the PIN goes to the core, which alone decides. */
export function PinPad(props: { api: PultApi; onOpened(opened: Opened): void; onCancel?: () => void; ended?: boolean }) {
  const { t, lng } = useStaffText();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const submit = async () => {
    if (busy || pin.length === 0) return;
    setBusy(true);
    const reply = await props.api.openSupervisor({ pin });
    setBusy(false);
    setPin('');
    if (!reply.ok) return setRefusal({ status: 'failed' });
    if (reply.value.status === 'open') return props.onOpened(reply.value);
    setRefusal(reply.value);
  };
  const type = (digit: string) => setPin((entered) => (entered.length < MAX_DIGITS ? entered + digit : entered));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^[0-9]$/.test(event.key)) type(event.key);
      else if (event.key === 'Backspace') setPin((entered) => entered.slice(0, -1));
      else if (event.key === 'Enter') void submit();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const message = (() => {
    if (busy) return t('pin.checking');
    if (!refusal) return props.ended ? t('sessionEnded') : '';
    if (refusal.status === 'wrong') return t('pin.wrong', { count: refusal.attemptsLeft });
    if (refusal.status === 'locked') return t('pin.locked', { time: formatTime(refusal.untilMs, lng) });
    if (refusal.status === 'no_pin') return t('pin.noPin');
    return t('pin.failed');
  })();

  return (
    <main className="staff pin" lang={lng}>
      <h1 className="pin__title">{t('pin.title')}</h1>
      <output className="pin__dots" aria-label={t('pin.digits')} data-testid="pin-dots">
        <span aria-hidden="true">{'●'.repeat(pin.length) || ' '}</span>
        <span className="visually-hidden">{t('pin.entered', { count: pin.length })}</span>
      </output>
      <p className="pin__message" role="alert" data-refusal={refusal?.status ?? ''}>
        {message}
      </p>
      <div className="pin__pad">
        {DIGITS.map((digit) => (
          <button key={digit} type="button" className="pin__key" onClick={() => type(digit)} disabled={busy}>
            {digit}
          </button>
        ))}
        <button type="button" className="pin__key pin__key--word" onClick={() => setPin(pin.slice(0, -1))} disabled={busy}>
          {t('pin.erase')}
        </button>
        <button type="button" className="pin__key" onClick={() => type('0')} disabled={busy}>
          0
        </button>
        <button
          type="button"
          className="pin__key pin__key--enter"
          onClick={() => void submit()}
          disabled={busy || pin.length === 0}
        >
          {t('pin.enter')}
        </button>
      </div>
      {props.onCancel && (
        <button type="button" className="staff__button" onClick={props.onCancel}>
          {t('pin.cancel')}
        </button>
      )}
    </main>
  );
}
