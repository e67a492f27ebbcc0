// Where keyboard focus goes when the element that had it goes away.

/**
 * Moves focus to the orders grid (its cursor row is announced through aria-activedescendant), or,
 * when no row matches, to the "no order matches" line, so focus is never dropped on the page body.
 */
export function focusGrid(): void {
  const target = document.querySelector<HTMLElement>('[data-testid="orders-table"]') ?? document.querySelector<HTMLElement>('[data-testid="orders-empty"]');
  target?.focus();
}
