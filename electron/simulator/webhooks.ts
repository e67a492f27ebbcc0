// Best-effort webhook delivery, like Atlas: POST JSON, optional drops and duplicates, never throws.
import type { Rng } from './rng.ts';
import type { WebhookDelivery } from './types.ts';

export class WebhookSender {
  #url: string | null = null;
  #dropRate = 0;
  #duplicate = false;
  #deliveries: WebhookDelivery[] = [];
  #pending = new Set<Promise<void>>();
  #abort = new AbortController();
  #rng: Rng;
  #now: () => number;

  constructor(rng: Rng, now: () => number) {
    this.#rng = rng;
    this.#now = now;
  }

  configure(url: string | null, options: { dropRate?: number; duplicate?: boolean } = {}): void {
    if (url !== null) new URL(url); // throws on a malformed URL, at configuration time
    const dropRate = options.dropRate ?? 0;
    if (!(dropRate >= 0 && dropRate <= 1)) throw new Error('dropRate must be between 0 and 1');
    this.#url = url;
    this.#dropRate = dropRate;
    this.#duplicate = options.duplicate ?? false;
  }

  send(body: unknown): void {
    const url = this.#url;
    if (url === null) return;
    const copies = this.#duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const record: WebhookDelivery = { at: this.#now(), body, delivered: false, dropped: false };
      this.#deliveries.push(record);
      if (this.#dropRate > 0 && this.#rng.next() < this.#dropRate) {
        record.dropped = true;
        continue;
      }
      const p = this.#post(url, body).then((ok) => {
        record.delivered = ok;
      });
      this.#pending.add(p);
      void p.finally(() => this.#pending.delete(p));
    }
  }

  async #post(url: string, body: unknown): Promise<boolean> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(5000)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch {
      return false; // receiver down or slow: Atlas does not promise delivery either
    }
  }

  deliveries(): WebhookDelivery[] {
    return structuredClone(this.#deliveries);
  }

  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.flush();
  }
}
