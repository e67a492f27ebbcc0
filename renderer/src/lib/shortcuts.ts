// Every keyboard shortcut, in one table. The "?" overlay lists it; components bind its actions with
// useShortcuts (the compiler asks for a handler per action of the scope), and one window listener
// dispatches each key to the right scope:
// - `dialog`: an open dialog takes every key, and only its own (Esc, Tab); nothing else fires.
// - `search`: keys typed in the list's search field.
// - `global` and `list`: when nobody is typing and no Ctrl/Alt/⌘ is held; `global` first.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

export type ShortcutScope = 'global' | 'list' | 'search' | 'dialog';

/** A KeyboardEvent `key` (with `Shift+` when Shift must be held), or a two-key sequence like g then o. */
export type KeyBinding = string | readonly [prefix: string, key: string];

export interface Shortcut {
  action: string;
  scope: ShortcutScope;
  keys: readonly KeyBinding[];
  /** The same action done with the mouse, shown beside the keys (its listener is the element's click). */
  click?: string;
  /** i18n key of the words in the overlay; entries with the same label share one row. */
  label: string;
}

export const SHORTCUTS = [
  { action: 'next', scope: 'list', keys: ['j', 'ArrowDown'], label: 'shortcuts.next' },
  { action: 'prev', scope: 'list', keys: ['k', 'ArrowUp'], label: 'shortcuts.prev' },
  { action: 'select', scope: 'list', keys: [' ', 'x'], label: 'shortcuts.select' },
  { action: 'range', scope: 'list', keys: ['Shift+ '], click: 'Shift+click', label: 'shortcuts.range' },
  { action: 'open', scope: 'list', keys: ['Enter'], label: 'shortcuts.open' },
  { action: 'moveFocus', scope: 'dialog', keys: ['Tab', 'Shift+Tab'], label: 'shortcuts.tab' },
  { action: 'recover', scope: 'list', keys: ['d'], label: 'shortcuts.deposit' },
  { action: 'search', scope: 'list', keys: ['/'], label: 'shortcuts.search' },
  { action: 'leaveSearch', scope: 'search', keys: ['Enter', 'ArrowDown'], label: 'shortcuts.searchBack' },
  { action: 'clearSearch', scope: 'search', keys: ['Escape'], label: 'shortcuts.searchClear' },
  { action: 'sync', scope: 'list', keys: ['s'], label: 'shortcuts.sync' },
  { action: 'goOrders', scope: 'global', keys: [['g', 'o']], label: 'shortcuts.screens' },
  { action: 'goQueue', scope: 'global', keys: [['g', 'q']], label: 'shortcuts.screens' },
  { action: 'goHistory', scope: 'global', keys: [['g', 'h']], label: 'shortcuts.screens' },
  { action: 'goSettings', scope: 'global', keys: [['g', 's']], label: 'shortcuts.screens' },
  { action: 'goReports', scope: 'global', keys: [['g', 'r']], label: 'shortcuts.reports' },
  { action: 'closeDialog', scope: 'dialog', keys: ['Escape'], label: 'shortcuts.close' },
  { action: 'dismiss', scope: 'list', keys: ['Escape'], label: 'shortcuts.close' },
  { action: 'help', scope: 'global', keys: ['?'], label: 'shortcuts.help' },
] as const satisfies readonly Shortcut[];

/** The table, widened for look-ups by any key. */
const TABLE: readonly Shortcut[] = SHORTCUTS;

export type ShortcutAction<S extends ShortcutScope = ShortcutScope> = Extract<(typeof SHORTCUTS)[number], { scope: S }>['action'];

/** Returns false when the key does not apply now (nothing selected, a focused button owns Enter…): it then goes on as usual. */
export type ShortcutHandler = (e: KeyboardEvent) => boolean | void;
export type ShortcutHandlers<S extends ShortcutScope> = { [A in ShortcutAction<S>]: ShortcutHandler };

const KEY_NAMES: Record<string, string> = { ' ': 'Space', ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc' };

function keyText(binding: KeyBinding): string {
  if (typeof binding !== 'string') return binding.join(' ');
  const shift = binding.startsWith('Shift+') && binding.length > 'Shift+'.length;
  const key = shift ? binding.slice('Shift+'.length) : binding;
  return `${shift ? 'Shift+' : ''}${KEY_NAMES[key] ?? key}`;
}

export interface OverlayRow {
  keys: string;
  label: string;
}

/** The overlay's rows: one per label, in table order, with every key (and click) that does it. */
export function overlayRows(): OverlayRow[] {
  const rows = new Map<string, string[]>();
  for (const s of TABLE) {
    const keys = rows.get(s.label) ?? [];
    for (const text of [...s.keys.map(keyText), ...(s.click ? [s.click] : [])]) if (!keys.includes(text)) keys.push(text);
    rows.set(s.label, keys);
  }
  return [...rows].map(([label, keys]) => ({ label, keys: keys.join(' / ') }));
}

/** Keys typed into a field belong to the field, not to the shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable;
}

/**
 * Enter and Space belong to a focused control (a button, link, checkbox, tab…): pressing Enter on
 * "Add orders…" must open that dialog, and Space on a row's checkbox must select THAT row.
 */
export function ownsEnterAndSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest('button, a[href], input, select, textarea, summary, [role="button"], [role="tab"], [role="checkbox"], [contenteditable="true"]') !== null;
}

// ---- dispatch ----

interface Bound {
  scope: ShortcutScope;
  handlers: RefObject<Partial<Record<string, ShortcutHandler>>>;
  within: RefObject<HTMLElement | null> | null;
}

/** Mounted bindings, oldest first (the newest dialog is the one on top). */
const bound: Bound[] = [];
/** The first key of a sequence, while it waits for the second. */
let pendingPrefix: string | null = null;
const PREFIXES = new Set(TABLE.flatMap((s) => s.keys.filter((k): k is readonly [string, string] => typeof k !== 'string').map((k) => k[0])));

function entryFor(scope: ShortcutScope, e: KeyboardEvent, prefix: string | null): Shortcut | undefined {
  const inScope = TABLE.filter((s) => s.scope === scope);
  if (prefix !== null) return inScope.find((s) => s.keys.some((k) => typeof k !== 'string' && k[0] === prefix && k[1] === e.key));
  // With Shift held, a Shift+ binding wins over the plain key (Shift+Space selects a range, Space one row).
  const shifted = e.shiftKey ? inScope.find((s) => s.keys.includes(`Shift+${e.key}`)) : undefined;
  return shifted ?? inScope.find((s) => s.keys.includes(e.key));
}

function run(b: Bound, e: KeyboardEvent, prefix: string | null = null): boolean {
  const entry = entryFor(b.scope, e, prefix);
  const handler = entry && b.handlers.current[entry.action];
  if (!handler || handler(e) === false) return false;
  e.preventDefault();
  e.stopPropagation();
  return true;
}

function onKeyDown(e: KeyboardEvent): void {
  const dialog = bound.findLast((b) => b.scope === 'dialog');
  if (dialog) {
    run(dialog, e);
    return;
  }
  const target = e.target instanceof Node ? e.target : null;
  for (const b of bound) if (b.within?.current && target && b.within.current.contains(target) && run(b, e)) return;
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
  const open = bound.filter((b) => b.within === null).sort((a, b) => Number(a.scope !== 'global') - Number(b.scope !== 'global'));
  if (pendingPrefix !== null) {
    const prefix = pendingPrefix;
    pendingPrefix = null;
    for (const b of open) if (run(b, e, prefix)) return;
  }
  if (PREFIXES.has(e.key)) {
    // "g" waits for its letter, which is then the sequence's (so "g s" is not also "s": sync).
    pendingPrefix = e.key;
    return;
  }
  for (const b of open) if (run(b, e)) return;
}

/**
 * Binds the actions of one scope while the component is mounted. Handlers may change on every
 * render (they see current props). `within`: only keys whose target is inside this element.
 */
export function useShortcuts<S extends ShortcutScope>(scope: S, handlers: ShortcutHandlers<S>, within: RefObject<HTMLElement | null> | null = null): void {
  const current = useRef<Partial<Record<string, ShortcutHandler>>>(handlers);
  useLayoutEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const binding: Bound = { scope, handlers: current, within };
    if (bound.length === 0) window.addEventListener('keydown', onKeyDown, true);
    bound.push(binding);
    return () => {
      bound.splice(bound.indexOf(binding), 1);
      if (bound.length === 0) {
        window.removeEventListener('keydown', onKeyDown, true);
        pendingPrefix = null;
      }
    };
  }, [scope, within]);
}

/** The actions listening right now, as `scope:action` (the shortcuts test checks every entry has one). */
export function boundShortcuts(): Set<string> {
  return new Set(bound.flatMap((b) => Object.keys(b.handlers.current).map((action) => `${b.scope}:${action}`)));
}
