// Where keyboard focus goes when the element that had it goes away.
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Moves focus to the orders grid (its cursor row is announced through aria-activedescendant), or,
 * when no row matches, to the "no order matches" line, so focus is never dropped on the page body.
 */
export function focusGrid(): void {
  const target = document.querySelector<HTMLElement>('[data-testid="orders-table"]') ?? document.querySelector<HTMLElement>('[data-testid="orders-empty"]');
  target?.focus();
}

/**
 * The grid and the "no order matches" line replace each other as orders come and go (a paid order
 * leaves a filtered list). If the one replaced had focus, the browser drops focus on the body:
 * hand it to the replacement, so a keyboard user is not thrown out of the list.
 */
export function useListKeepsFocus(pane: RefObject<HTMLElement | null>, empty: boolean): void {
  const listHadFocus = useRef(false);
  useEffect(() => {
    // focusin only: removing the focused element fires focusout but no focusin, so this still
    // says "the list had it" when the swap happens.
    const onFocusIn = (e: FocusEvent) => {
      listHadFocus.current = e.target instanceof Node && !!pane.current?.contains(e.target);
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, [pane]);
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (listHadFocus.current && (active === null || active === document.body)) focusGrid();
  }, [empty]);
}
