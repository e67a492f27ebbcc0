// Add orders by number: paste (line/comma/space separated) or import a CSV. "Payment failed"
// marks them as Scenario A evidence. The text stays put if the request fails.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseOrderNumbers, parseOrdersCsv } from '../lib/parse-orders.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';

function readFile(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file);
  });
}

export function AddOrdersDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [markFailed, setMarkFailed] = useState(true);
  const orderNos = parseOrderNumbers(text);
  const adding = useDeskCall((d) => d.orders.add({ orderNos: orderNos.slice(0, 500), markFailed }));
  const outcome = adding.value;
  const busy = adding.loading;

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const found = parseOrdersCsv(await readFile(file));
    setText((prev) => [...new Set([...parseOrderNumbers(prev), ...found])].join('\n'));
  };

  const submit = async () => {
    if (orderNos.length === 0) return;
    const r = await adding.run();
    if (!r?.ok) return;
    // Leave only what still needs attention in the box, so staff can fix and resend.
    setText([...r.value.notFound, ...r.value.invalid].join('\n'));
  };

  return (
    <Dialog title={t('add.title')} onClose={onClose} testId="add-dialog">
      <label className="field">
        <span>{t('add.paste')}</span>
        <textarea
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={t('add.paste')}
          placeholder={t('add.placeholder')}
          data-testid="add-text"
          data-autofocus
        />
      </label>
      <div className="row">
        <label className="file">
          <span>{t('add.csv')}</span>
          <input type="file" accept=".csv,text/csv,text/plain" aria-label={t('add.csv')} onChange={(e) => void onFile(e.target.files?.[0])} data-testid="add-file" />
        </label>
        <span className="muted" data-testid="add-count">{t('add.count', { count: orderNos.length })}</span>
      </div>
      {orderNos.length > 500 && <p className="warn-text">{t('add.tooMany')}</p>}
      <label className="check">
        <input type="checkbox" checked={markFailed} onChange={(e) => setMarkFailed(e.target.checked)} aria-label={t('add.markFailed')} data-testid="add-mark-failed" />
        {t('add.markFailed')}
      </label>
      <p className="hint muted">{t('add.markFailedHint')}</p>
      <ErrorNote error={adding.error} />
      {outcome && (
        <div className="result" role="status" data-testid="add-result">
          <p data-testid="add-added">{t('add.added', { count: outcome.added.length })}</p>
          {outcome.notFound.length > 0 && <p className="warn-text" data-testid="add-notfound">{t('add.notFound', { count: outcome.notFound.length, list: outcome.notFound.join(', ') })}</p>}
          {outcome.invalid.length > 0 && <p className="warn-text" data-testid="add-invalid">{t('add.invalid', { count: outcome.invalid.length, list: outcome.invalid.join(', ') })}</p>}
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>{t('common.close')}</button>
        <button type="button" className="primary" disabled={busy || orderNos.length === 0} onClick={() => void submit()} data-testid="add-submit">
          {busy ? t('common.working') : t('add.submit')}
        </button>
      </div>
    </Dialog>
  );
}
