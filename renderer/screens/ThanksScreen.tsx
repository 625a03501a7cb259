import { useTranslation } from 'react-i18next';

export function ThanksScreen() {
  const { t } = useTranslation();
  return (
    <section className="thanks" role="status" aria-live="polite">
      <h1 className="thanks__title">{t('thanks.title')}</h1>
      <p className="thanks__subtitle">{t('thanks.subtitle')}</p>
    </section>
  );
}
