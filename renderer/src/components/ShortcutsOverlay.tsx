// "?" overlay listing the keyboard shortcuts.
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog.tsx';

export const SHORTCUTS: [string, string][] = [
  ['j / ↓', 'next'], ['k / ↑', 'prev'], ['Space / x', 'select'], ['Shift+click', 'range'], ['Enter', 'open'], ['Tab / Shift+Tab', 'tab'],
  ['d', 'deposit'], ['/', 'search'], ['s', 'sync'], ['g o / g q / g h / g s', 'screens'], ['g r', 'reports'], ['Esc', 'close'], ['?', 'help'],
];

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} testId="shortcuts">
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, id]) => (
          <div key={id}><dt><kbd>{keys}</kbd></dt><dd>{t(`shortcuts.${id}`)}</dd></div>
        ))}
      </dl>
    </Dialog>
  );
}
