// An IPC failure in words: what happened and what to do next, chosen by error.code.
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../shared/ipc.ts';
import { errorText } from '../lib/explain.ts';

export function ErrorNote({ error, onRetry }: { error: IpcError | null; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid={`error-${error.code}`}>
      <span>{errorText(t, error)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
