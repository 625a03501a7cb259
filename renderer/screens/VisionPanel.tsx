import { useState, memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Vision, VisionChange } from '../../shared/session.js';
import { VISION_SCHEMES } from '../../shared/vocabulary.js';

const SIZES = [1, 2, 3] as const;

/**
 * «Версия для слабовидящих»: a control on every applicant screen (an eye and its words) that opens
 * the choices over the screen — the text size (100, 150, 200 %), the colours (as designed, black on
 * white, white on black, dark blue on light blue, brown on beige; each choice drawn in its own
 * colours) and pictures on or off. Every choice goes to the core, which keeps it for this applicant
 * only; the screen under it keeps its buttons' size and order.
 */
function Panel(props: { vision: Vision; onChange(change: VisionChange): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // Only what this touch changes: a quick second touch must not send back a choice not yet shown.
  const set = (change: VisionChange) => props.onChange(change);
  return (
    <>
      <button
        type="button"
        className="vision__toggle"
        aria-expanded={open}
        aria-controls="vision-panel"
        onClick={() => setOpen(!open)}
      >
        <svg className="vision__eye" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" fill="none" stroke="currentColor" strokeWidth="2" />
          <circle cx="12" cy="12" r="3.5" fill="currentColor" />
        </svg>
        {t('vision.toggle')}
      </button>
      {open && (
        <section id="vision-panel" className="vision" aria-labelledby="vision-heading">
          <h2 id="vision-heading" className="vision__heading">
            {t('vision.toggle')}
          </h2>
          <div className="vision__group" role="group" aria-label={t('vision.size')}>
            <span className="vision__label">{t('vision.size')}</span>
            {SIZES.map((size) => (
              <button
                key={size}
                type="button"
                className="vision__choice"
                data-size-choice={size}
                aria-pressed={props.vision.size === size}
                onClick={() => set({ size })}
              >
                {t(`vision.sizes.${size}`)}
              </button>
            ))}
          </div>
          <div className="vision__group" role="group" aria-label={t('vision.colours')}>
            <span className="vision__label">{t('vision.colours')}</span>
            {VISION_SCHEMES.map((scheme) => (
              <button
                key={scheme}
                type="button"
                className="vision__choice"
                data-scheme-choice={scheme}
                aria-pressed={props.vision.scheme === scheme}
                onClick={() => set({ scheme })}
              >
                {t(`vision.schemes.${scheme}`)}
              </button>
            ))}
          </div>
          <div className="vision__group" role="group" aria-label={t('vision.images')}>
            <span className="vision__label">{t('vision.images')}</span>
            <button
              type="button"
              className="vision__choice"
              aria-pressed={props.vision.images}
              onClick={() => set({ images: true })}
            >
              {t('vision.imagesOn')}
            </button>
            <button
              type="button"
              className="vision__choice"
              aria-pressed={!props.vision.images}
              onClick={() => set({ images: false })}
            >
              {t('vision.imagesOff')}
            </button>
          </div>
          <button type="button" className="action action--primary vision__close" onClick={() => setOpen(false)}>
            {t('actions.done')}
          </button>
        </section>
      )}
    </>
  );
}

/** Drawn again only when a choice in it changed (each screen brings an equal `vision` object anew). */
export const VisionPanel = memo(
  Panel,
  (before, after) =>
    before.onChange === after.onChange &&
    (Object.keys(after.vision) as (keyof Vision)[]).every((key) => before.vision[key] === after.vision[key]),
);
