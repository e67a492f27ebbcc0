// Modal dialog: focus moves in on open, Tab stays inside, Esc closes, focus returns on close.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { focusGrid } from '../lib/focus.ts';
import { useShortcuts } from '../lib/shortcuts.ts';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onClose } = props;

  // Everything behind the dialog is inert while it is open: not clickable, not focusable, not read.
  useEffect(() => {
    const own = ref.current?.closest('.backdrop');
    const behind = [...document.body.children].filter((el): el is HTMLElement => el !== own && el instanceof HTMLElement && !el.inert);
    for (const el of behind) el.inert = true;
    return () => {
      for (const el of behind) el.inert = false;
    };
  }, []);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current;
    // The field staff start with (data-autofocus), else the first control in the body, else ×.
    const first =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>(`.dialog-body :is(${FOCUSABLE})`) ??
      root?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      // Back to where staff were; if that control is gone, to the list rather than nowhere.
      if (previous && previous !== document.body && previous.isConnected) previous.focus();
      else focusGrid();
    };
  }, []);

  // Esc and Tab reach the dialog wherever focus is, e.g. when the focused button was replaced by
  // results: Tab then comes back in instead of escaping. No other shortcut fires while it is open.
  useShortcuts('dialog', {
    closeDialog: () => onClose(),
    moveFocus: (e) => {
      const root = ref.current;
      if (!root) return false;
      const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return false;
      const inside = root.contains(document.activeElement);
      if (!inside) (e.shiftKey ? last : first).focus();
      else if (e.shiftKey && document.activeElement === first) last.focus();
      else if (!e.shiftKey && document.activeElement === last) first.focus();
      // Inside and not at an end: the browser moves focus.
      else return false;
    },
  });

  // A portal to <body>, so the rest of the app can be made inert without making the dialog inert.
  return createPortal(
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={props.wide ? 'dialog wide' : 'dialog'}
        data-testid={props.testId}
      >
        <header className="dialog-head">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="icon" aria-label={t('common.close')} onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{props.children}</div>
      </div>
    </div>,
    document.body,
  );
}
