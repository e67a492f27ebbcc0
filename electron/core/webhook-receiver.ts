// Optional receiver for Atlas webhooks (docs/atlas-api.md §4). Off unless the shell starts it.
// Atlas signs nothing, so the URL path carries an unguessable token, and the payload is trusted for
// one thing only: which order to re-query. Answers fast (200) and hands the order number on
// afterwards. It speaks plain HTTP: outside this computer it must sit behind the agency's TLS
// proxy (the public URL registered in ATRIP is https), and it listens only on loopback or on one
// address of this machine that staff picked.
//
// Resource limits, because anyone who can reach the port can open connections: a connection that
// sends nothing or dribbles its headers is closed after HEADERS_TIMEOUT_MS, one that dribbles its
// body after REQUEST_TIMEOUT_MS (Node checks both only every `connectionsCheckingInterval`, 30 s
// by default, hence the short interval here), an idle socket after IDLE_TIMEOUT_MS; at most
// MAX_CONNECTIONS sockets in all and MAX_CONNECTIONS_PER_ADDRESS from one address (behind the
// proxy every connection comes from the proxy); bodies over MAX_BODY_BYTES get 413.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { WebhookAddress } from '../../shared/ipc.ts';

const ORDER_NO = /^[A-Z0-9]{6,40}$/;
/** Event types that concern an order's state: ticketed, cancelled (both shapes), voids, abnormal cancellation. */
const ORDER_EVENT = /^(order|abnormal)\./;

export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
export const IDLE_TIMEOUT_MS = 10_000;
/** How often Node looks for connections past the two timeouts above. */
const TIMEOUT_CHECK_MS = 1_000;
export const MAX_CONNECTIONS = 64;
export const MAX_CONNECTIONS_PER_ADDRESS = 8;
/** An order.ticketed for nine passengers is about 3 KB: 16 KiB leaves room and no more. */
export const MAX_BODY_BYTES = 16 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;

export const LOOPBACK_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

export interface WebhookReceiverOptions {
  /** Loopback or an address of this machine (webhookBindAddresses); anything else is refused. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Secret path segment; a new random one when absent. Persist it so the registered URL survives restarts. */
  token?: string;
  onHint: (orderNo: string) => void | Promise<void>;
  log?: (line: string) => void;
  /** Larger bodies get 413. */
  maxBodyBytes?: number;
  /** The machine's addresses (injectable for tests); os.networkInterfaces() by default. */
  addresses?: () => readonly WebhookAddress[];
}

/** 32 random bytes, URL-safe: the secret part of the webhook URL. */
export function newWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Where the receiver may listen: loopback, or one address of this machine's interfaces. Never a
 * wildcard (0.0.0.0, ::), which would open it on every network the laptop joins; IPv6 link-local
 * addresses are left out (they need a zone and are not reachable through the proxy anyway).
 */
export function webhookBindAddresses(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): WebhookAddress[] {
  const out: WebhookAddress[] = LOOPBACK_ADDRESSES.map((address) => ({
    address,
    family: address.includes(':') ? 'IPv6' : 'IPv4',
    interface: 'loopback',
    loopback: true,
  }));
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal || LOOPBACK_ADDRESSES.includes(info.address)) continue;
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      out.push({ address: info.address, family: info.family, interface: name, loopback: false });
    }
  }
  return out;
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

/** A refusal to start that the desk reports in webhook:status. */
export class WebhookStartError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'WebhookStartError';
    this.code = code;
  }
}

export class WebhookReceiver {
  #token: string;
  readonly #options: WebhookReceiverOptions;
  readonly #maxBody: number;
  readonly #log: (line: string) => void;
  readonly #perAddress = new Map<string, number>();
  #server: Server | null = null;

  constructor(options: WebhookReceiverOptions) {
    this.#options = options;
    this.#token = options.token ?? newWebhookToken();
    this.#maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.#log = options.log ?? (() => {});
  }

  get token(): string {
    return this.#token;
  }

  get path(): string {
    return `/webhook/${this.#token}`;
  }

  /** Open connections (tests and diagnostics). */
  connections(): number {
    let n = 0;
    for (const open of this.#perAddress.values()) n += open;
    return n;
  }

  /** A new secret path, effective for the next request: the old URL stops working at once. */
  setToken(token: string): void {
    this.#token = token;
  }

  /** Starts listening; resolves with the local URL (host as configured) and the port. */
  async start(): Promise<{ url: string; port: number }> {
    if (this.#server) throw new Error('webhook receiver already started');
    const host = this.#options.host;
    const allowed = (this.#options.addresses ?? webhookBindAddresses)().map((a) => a.address);
    if (!allowed.includes(host)) {
      throw new WebhookStartError('host_not_allowed', `webhook receiver: ${host} is neither loopback nor an address of this machine`);
    }
    const server = createServer(
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: TIMEOUT_CHECK_MS,
        keepAliveTimeout: 1_000,
        maxHeaderSize: MAX_HEADER_BYTES,
      },
      (req, res) => this.#handle(req, res),
    );
    server.maxConnections = MAX_CONNECTIONS;
    server.maxRequestsPerSocket = 1;
    server.setTimeout(IDLE_TIMEOUT_MS, (socket: Socket) => socket.destroy());
    // Node's own answer to a timed-out request leaves a connection that never sent a byte open: close it.
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      if (socket.writable && socket.bytesWritten === 0) {
        const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      socket.destroy();
    });
    server.on('connection', (socket: Socket) => this.#admit(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return { url: `http://${urlHost}:${port}${this.path}`, port };
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

  /** One address may hold only a few sockets, so one sender cannot take them all. */
  #admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const open = this.#perAddress.get(address) ?? 0;
    if (open >= MAX_CONNECTIONS_PER_ADDRESS) {
      socket.destroy();
      return;
    }
    this.#perAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, left);
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
