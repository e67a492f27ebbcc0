// "?" overlay: the shortcut table (lib/shortcuts.ts), one row per action staff can take.
import { useTranslation } from 'react-i18next';
import { overlayRows } from '../lib/shortcuts.ts';
import { Dialog } from './Dialog.tsx';

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} testId="shortcuts">
      <dl className="shortcuts">
        {overlayRows().map((row) => (
          <div key={row.label}><dt><kbd>{row.keys}</kbd></dt><dd>{t(row.label)}</dd></div>
        ))}
      </dl>
    </Dialog>
  );
}
