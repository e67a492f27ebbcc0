// An IPC failure in words: what happened and what to do next, chosen by error.code, and — when
// the desk said which refusal it was (error.reason, e.g. `not_marked_failed`, `already_queued`) — why, in words.
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../shared/ipc.ts';
import { codeText, errorText } from '../lib/explain.ts';

export function ErrorNote({ error, onRetry }: { error: IpcError | null; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid={`error-${error.code}`}>
      <span>{errorText(t, error)}</span>
      {error.reason && <span data-testid="error-reason"> {codeText(i18n, error.reason)}</span>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
