// Optional receiver for Atlas webhooks (atlas-api.md §4). Off unless the shell starts it. Atlas
// signs nothing, so the URL path carries an unguessable token, and the payload is trusted for one
// thing only: which order to re-query. Answers fast (200) and hands the order number on afterwards.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const ORDER_NO = /^[A-Z0-9]{6,40}$/;
/** Event types that concern an order's state: ticketed, cancelled (both shapes), voids, abnormal cancellation. */
const ORDER_EVENT = /^(order|abnormal)\./;

export interface WebhookReceiverOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Secret path segment; a new random one when absent. Persist it so the registered URL survives restarts. */
  token?: string;
  onHint: (orderNo: string) => void | Promise<void>;
  log?: (line: string) => void;
  /** Larger bodies get 413; 256 KiB by default (an order.ticketed carries all passengers). */
  maxBodyBytes?: number;
}

/** 32 random bytes, URL-safe: the secret part of the webhook URL. */
export function newWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The order number an event is about, or null. Shapes: order.cancelled {data.orderNo, errorCode}, order.ticketed {data.orderNo, orderStatus}. */
export function hintedOrderNo(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { type, data } = body as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || !ORDER_EVENT.test(type)) return null;
  if (typeof data !== 'object' || data === null) return null;
  const orderNo = (data as { orderNo?: unknown }).orderNo;
  if (typeof orderNo !== 'string') return null;
  const normalized = orderNo.trim().toUpperCase();
  return ORDER_NO.test(normalized) ? normalized : null;
}

export class WebhookReceiver {
  readonly token: string;
  readonly #options: WebhookReceiverOptions;
  readonly #maxBody: number;
  readonly #log: (line: string) => void;
  #server: Server | null = null;

  constructor(options: WebhookReceiverOptions) {
    this.#options = options;
    this.token = options.token ?? newWebhookToken();
    this.#maxBody = options.maxBodyBytes ?? 256 * 1024;
    this.#log = options.log ?? (() => {});
  }

  get path(): string {
    return `/webhook/${this.token}`;
  }

  /** Starts listening; resolves with the URL to register in ATRIP (host as configured). */
  async start(): Promise<{ url: string; port: number }> {
    if (this.#server) throw new Error('webhook receiver already started');
    const server = createServer((req, res) => this.#handle(req, res));
    // Slow or stuck senders must not hold sockets open.
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return { url: `http://${host}:${port}${this.path}`, port };
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  #pathMatches(url: string | undefined): boolean {
    const path = (url ?? '').split('?')[0] ?? '';
    const a = Buffer.from(path);
    const b = Buffer.from(this.path);
    // Constant-time: the token is the only thing standing between the Internet and our re-queries.
    return a.length === b.length && timingSafeEqual(a, b);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body = '') => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(body);
    };
    if (!this.#pathMatches(req.url)) {
      req.resume();
      return reply(404, 'not found');
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      return reply(405, 'method not allowed');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.#maxBody) {
      reply(413, 'payload too large');
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > this.#maxBody) {
        aborted = true;
        reply(413, 'payload too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      aborted = true;
    });
    req.on('end', () => {
      if (aborted) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, 'bad json');
      }
      reply(200, 'ok');
      const orderNo = hintedOrderNo(body);
      if (!orderNo) return;
      // After the answer: Atlas must never wait for our re-query.
      setImmediate(() => {
        Promise.resolve()
          .then(() => this.#options.onHint(orderNo))
          .catch((error: unknown) => this.#log(`webhook: hint for ${orderNo} failed: ${(error as Error).message}`));
      });
    });
  }
}
