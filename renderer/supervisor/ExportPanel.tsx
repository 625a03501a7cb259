import { useCallback, useEffect, useRef, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import type { PultError } from '../../shared/result.js';
import type { ExportFolder, Period } from '../../shared/supervisor.js';
import { useStaffText } from './text.js';

/** The period's answers as CSV (UTF-8 BOM, opens in Excel), an .xlsx workbook with readable column names, or JSONL, into a folder the core offers (a USB stick…). */
export function ExportPanel(props: { api: PultApi; token: string; period: Period; onFailure(error: PultError): void }) {
  const { api, token, period } = props;
  const { t, lng } = useStaffText();
  const failed = useRef(props.onFailure);
  failed.current = props.onFailure;
  const [folders, setFolders] = useState<ExportFolder[]>([]);
  const [folder, setFolder] = useState('');
  const [format, setFormat] = useState<'csv' | 'xlsx' | 'jsonl'>('csv');
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Asked when the panel opens and on «refresh»: a stick is often plugged in after the figures were read.
  const listFolders = useCallback(() => {
    void api.listExportFolders({ token }).then((reply) => {
      if (!reply.ok) return failed.current(reply.error);
      setFolders(reply.value);
      setFolder((chosen) => (reply.value.some((f) => f.path === chosen) ? chosen : (reply.value[0]?.path ?? '')));
    });
  }, [api, token]);
  useEffect(listFolders, [listFolders]);

  const run = async () => {
    setBusy(true);
    const reply = await api.exportPeriod({ token, period, format, folder, language: lng });
    setBusy(false);
    setResult(
      reply.ok
        ? t('export.done', { count: reply.value.answers, file: reply.value.file })
        : t('export.failed', { message: reply.error.message }),
    );
  };

  return (
    <section className="staff__section" data-testid="export">
      <h2>{t('export.heading')}</h2>
      <fieldset className="staff__choices">
        <legend>{t('export.format')}</legend>
        {(['csv', 'xlsx', 'jsonl'] as const).map((value) => (
          <label key={value} className="staff__choice">
            <input type="radio" name="export-format" checked={format === value} onChange={() => setFormat(value)} />
            {t(`export.${value}`)}
          </label>
        ))}
      </fieldset>
      <label className="staff__field">
        {t('export.folder')}
        <select value={folder} onChange={(event) => setFolder(event.target.value)}>
          {folders.map((f) => (
            <option key={f.path} value={f.path}>
              {f.path} — {t(`export.kind_${f.kind}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="staff__button" onClick={listFolders}>
        {t('export.refresh')}
      </button>
      <button
        type="button"
        className="staff__button staff__button--primary"
        disabled={busy || !folder}
        onClick={() => void run()}
      >
        {t('export.run')}
      </button>
      {result && (
        <p role="status" data-testid="export-result">
          {result}
        </p>
      )}
    </section>
  );
}
