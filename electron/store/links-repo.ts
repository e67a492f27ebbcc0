// Original → regenerated order links (docs/money-safety.md rule 3: never regenerate twice; a
// regenerated order that fails again rejoins the list linked to its ancestors).
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Guards the recursive walks against a cycle written by mistake. */
export const MAX_CHAIN = 64;

export class LinksRepo {
  readonly #link: StatementSync;
  readonly #into: StatementSync;
  readonly #from: StatementSync;
  readonly #ancestors: StatementSync;

  constructor(db: DatabaseSync) {
    // A new order has exactly one original (new_order_no is UNIQUE): re-linking is a no-op.
    this.#link = db.prepare(
      'INSERT OR IGNORE INTO order_links (original_order_no, new_order_no, created_at) VALUES (?, ?, ?)',
    );
    this.#into = db.prepare(
      'SELECT new_order_no AS n FROM order_links WHERE original_order_no = ? ORDER BY created_at, rowid',
    );
    this.#from = db.prepare('SELECT original_order_no AS n FROM order_links WHERE new_order_no = ?');
    this.#ancestors = db.prepare(`
      WITH RECURSIVE chain (order_no, depth) AS (
        SELECT original_order_no, 1 FROM order_links WHERE new_order_no = :start
        UNION ALL
        SELECT l.original_order_no, chain.depth + 1 FROM order_links l
          JOIN chain ON l.new_order_no = chain.order_no
          WHERE chain.depth < ${MAX_CHAIN}
      )
      SELECT order_no AS n FROM chain ORDER BY depth`);
  }

  /** Records that `newOrderNo` was regenerated from `originalOrderNo`. True when newly recorded. */
  link(originalOrderNo: string, newOrderNo: string, at: string): boolean {
    if (originalOrderNo === newOrderNo) throw new Error('links: an order cannot be regenerated into itself');
    return Number(this.#link.run(originalOrderNo, newOrderNo, at).changes) > 0;
  }

  /** Orders `orderNo` was regenerated into, oldest first. */
  regeneratedInto(orderNo: string): string[] {
    return (this.#into.all(orderNo) as { n: string }[]).map((r) => r.n);
  }

  regeneratedFrom(orderNo: string): string | null {
    return (this.#from.get(orderNo) as { n: string } | undefined)?.n ?? null;
  }

  /** Every ancestor of `orderNo`, nearest first (parent, grandparent, …). */
  ancestors(orderNo: string): string[] {
    return (this.#ancestors.all({ start: orderNo }) as { n: string }[]).map((r) => r.n);
  }

  /** The newest order `orderNo` was regenerated into, following links to the end (itself when none). */
  newest(orderNo: string): string {
    let current = orderNo;
    for (let i = 0; i < MAX_CHAIN; i++) {
      const into = this.regeneratedInto(current);
      const next = into[into.length - 1];
      if (next === undefined) break;
      current = next;
    }
    return current;
  }

  /** `orderNo`'s whole regeneration chain: its first order and every order regenerated from it, `orderNo` included. */
  chain(orderNo: string): Set<string> {
    const root = this.ancestors(orderNo).pop() ?? orderNo;
    const chain = new Set<string>([root, orderNo]);
    const todo = [root];
    for (let next = todo.pop(); next !== undefined && chain.size < MAX_CHAIN * 4; next = todo.pop()) {
      for (const child of this.regeneratedInto(next)) {
        if (!chain.has(child)) {
          chain.add(child);
          todo.push(child);
        }
      }
    }
    return chain;
  }
}
