// Fault rules set by tests: which endpoint (or '*'), optionally only for one order, how many times.
import type { Fault, SimEndpoint } from './types.ts';

interface Rule {
  endpoint: SimEndpoint | '*';
  orderNo: string | null;
  fault: Fault;
  remaining: number | null;
}

export class FaultBook {
  #rules: Rule[] = [];

  set(endpoint: SimEndpoint | '*', fault: Fault | null, options: { times?: number; orderNo?: string } = {}): void {
    const orderNo = options.orderNo ?? null;
    this.#rules = this.#rules.filter((r) => !(r.endpoint === endpoint && r.orderNo === orderNo));
    if (fault === null) return;
    if (options.times !== undefined && (!Number.isInteger(options.times) || options.times < 1)) throw new Error('times must be a positive integer');
    this.#rules.push({ endpoint, orderNo, fault: { ...fault }, remaining: options.times ?? null });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault to apply to this request, consuming one use. Most specific rule wins: order > endpoint > '*'. */
  take(endpoint: SimEndpoint, orderNo: string | null): Fault | null {
    const score = (r: Rule) => (r.orderNo !== null ? 2 : 0) + (r.endpoint !== '*' ? 1 : 0);
    const candidates = this.#rules
      .filter((r) => (r.endpoint === '*' || r.endpoint === endpoint) && (r.orderNo === null || r.orderNo === orderNo))
      .sort((a, b) => score(b) - score(a));
    const rule = candidates[0];
    if (!rule) return null;
    if (rule.remaining !== null) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    }
    return { ...rule.fault };
  }
}
