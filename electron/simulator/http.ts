// The HTTP face of the simulator: Atlas paths (POST /<name>.do, header auth, gzip, faults) and the
// control prefix /__sim/<method>. Control can move money and clocks in the Training world, so it
// answers only a loopback peer that names the simulator itself in Host (a web page reaching
// 127.0.0.1 through DNS rebinding sends its own host name) and carries this launch's token in a
// header (a custom header also makes a browser ask CORS permission first, which is never given).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Answer, Body, SimEngine } from './engine.ts';
import type { FaultBook } from './faults.ts';
import type { Fault, RequestRecord, SimEndpoint } from './types.ts';
import { SIM_ENDPOINTS } from './types.ts';

export const CONTROL_PREFIX = '/__sim/';
/** Header that must carry the simulator's per-launch control token. */
export const CONTROL_TOKEN_HEADER = 'x-sim-control-token';
const MAX_BODY = 1024 * 1024;

export interface HttpDeps {
  engine: SimEngine;
  faults: FaultBook;
  clientId: string;
  clientSecret: string;
  /** Control method by name → implementation (args from the JSON array). */
  control: Record<string, (...args: unknown[]) => unknown>;
  /** Required in CONTROL_TOKEN_HEADER on every control request. */
  controlToken: string;
  records: RequestRecord[];
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Request bodies are kept for tests, but never a full card number or CVV. */
function sanitize(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Body) };
  const card = copy.creditCard;
  if (card && typeof card === 'object') {
    const c = { ...(card as Body) };
    if (typeof c.cardNumber === 'string') c.cardNumber = `${'*'.repeat(Math.max(0, c.cardNumber.length - 4))}${c.cardNumber.slice(-4)}`;
    if (c.cardCVV !== undefined && c.cardCVV !== null) c.cardCVV = '***';
    copy.creditCard = c;
  }
  return copy;
}

function orderNoOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const b = body as Body;
  const v = b.orderNo ?? b.originalOrderNo;
  return typeof v === 'string' ? v : null;
}

export class SimHttpServer {
  readonly server: Server;
  #deps: HttpDeps;
  #sockets = new Set<Socket>();
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Orders whose pay.do is on the wire (only observable with latency) → a second one gets 406. */
  #payInFlight = new Set<string>();
  #stopped = false;

  constructor(deps: HttpDeps) {
    this.#deps = deps;
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) this.#send(req, res, 500, { status: 9999, msg: String(err) });
      });
    });
    this.server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }

  #send(req: IncomingMessage, res: ServerResponse, httpStatus: number, body: unknown, opts: { partial?: boolean } = {}): void {
    if (this.#stopped || res.destroyed) return;
    let payload: Buffer = Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { 'content-type': 'application/json;charset=UTF-8' };
    if (/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) {
      payload = gzipSync(payload);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = payload.length;
    res.writeHead(httpStatus, headers);
    if (opts.partial) {
      // Headers and half the body, then the connection dies (reset_mid_response).
      res.write(payload.subarray(0, Math.max(1, Math.floor(payload.length / 2))), () => res.destroy());
      return;
    }
    res.end(payload);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith(CONTROL_PREFIX)) return this.#control(req, res, path.slice(CONTROL_PREFIX.length));
    // Every answer carries Atlas's own clock (switch atlasClockOffsetMs), never this machine's:
    // the desk reads Atlas's clock from it (docs/money-safety.md rule 11).
    res.setHeader('date', new Date(this.#deps.engine.now()).toUTCString());
    const match = /^\/([A-Za-z]+)\.do$/.exec(path);
    const endpoint = match && (SIM_ENDPOINTS as readonly string[]).includes(match[1] ?? '') ? (match[1] as SimEndpoint) : null;
    const raw = await readBody(req);
    let parsed: unknown = undefined;
    let parseOk = false;
    if (raw !== null) {
      try {
        parsed = JSON.parse(raw.toString('utf8'));
        parseOk = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
      } catch {
        parseOk = false;
      }
    }
    const record: RequestRecord = {
      seq: this.#deps.records.length + 1,
      at: this.#deps.engine.now(),
      endpoint,
      path,
      orderNo: orderNoOf(parsed),
      body: parseOk ? sanitize(parsed) : raw === null ? null : raw.toString('utf8').slice(0, 200),
      fault: null,
      httpStatus: null,
      status: null,
    };
    this.#deps.records.push(record);
    const reply = (httpStatus: number, body: unknown, partial = false) => {
      record.httpStatus = httpStatus;
      if (body && typeof body === 'object' && typeof (body as Body).status === 'number') record.status = (body as Body).status as number;
      this.#send(req, res, httpStatus, body, { partial });
    };

    if (!endpoint) {
      record.httpStatus = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (req.method !== 'POST') {
      record.httpStatus = 405;
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('Method Not Allowed');
      return;
    }

    const fault = this.#deps.faults.take(endpoint, record.orderNo);
    record.fault = fault?.kind ?? null;
    if (fault && (await this.#preFault(fault, endpoint, record, req, res))) return;
    if (this.#stopped) return;

    if (req.headers['x-atlas-client-id'] !== this.#deps.clientId || req.headers['x-atlas-client-secret'] !== this.#deps.clientSecret) {
      return reply(200, { status: 900, msg: 'unauthorized' });
    }
    if (!parseOk) return reply(200, { status: 901, msg: 'illegal request data' });

    const engine = this.#deps.engine;
    engine.sweep();
    const lockKey = endpoint === 'pay' ? record.orderNo : null;
    if (lockKey !== null && this.#payInFlight.has(lockKey)) return reply(200, { status: 406, msg: 'a previous payment is still in progress' });
    // The endpoint's own time (switch latencyMs) plus a latency fault's.
    const delayMs = (engine.switches.latencyMs[endpoint] ?? 0) + (fault?.kind === 'latency' ? fault.ms : 0);
    let answer: Answer;
    if (lockKey !== null && delayMs > 0) {
      // The request is "being processed" for the whole delay: a concurrent pay.do sees 406.
      this.#payInFlight.add(lockKey);
      try {
        await this.#sleep(delayMs);
      } finally {
        this.#payInFlight.delete(lockKey);
      }
      if (this.#stopped) return;
      engine.sweep();
      answer = engine.pay(parsed as Body);
    } else {
      if (delayMs > 0) {
        await this.#sleep(delayMs);
        if (this.#stopped) return;
        engine.sweep();
      }
      answer = engine[endpoint](parsed as Body);
    }
    if (fault?.kind === 'commit_then_drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'late_answer') {
      await this.#sleep(fault.ms);
      if (this.#stopped) return;
    }
    reply(200, answer, fault?.kind === 'reset_mid_response');
  }

  /** Faults that answer (or not) instead of the business logic. Returns true when the request is finished. */
  async #preFault(fault: Fault, endpoint: SimEndpoint, record: RequestRecord, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'hang':
        return true; // never answered; stop() destroys the socket
      case 'reset':
        req.socket.destroy();
        return true;
      case 'http_error':
        record.httpStatus = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/html' }).end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
        return true;
      case 'malformed':
        record.httpStatus = 200;
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>upstream error</html>{"status":0');
        return true;
      case 'rate_limit': {
        const body = { code: 429, message: 'Too Many Requests', limitType: endpoint === 'search' ? 'SEARCH_QPS' : 'API_QPS', limit: 10, retryAfter: fault.retryAfter };
        record.httpStatus = fault.httpStatus;
        this.#send(req, res, fault.httpStatus, body);
        return true;
      }
      default:
        return false; // latency, commit_then_drop, reset_mid_response, late_answer wrap the real handling
    }
  }

  async #control(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const json = (status: number, body: unknown) => {
      if (this.#stopped || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? null));
    };
    if (!isLoopback(req.socket.remoteAddress)) return json(403, { error: 'control is loopback only' });
    const port = req.socket.localPort;
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!hosts.includes(String(req.headers.host ?? '').toLowerCase())) return json(403, { error: 'control answers only to its own host name' });
    if (!sameSecret(req.headers[CONTROL_TOKEN_HEADER], this.#deps.controlToken)) {
      return json(403, { error: `control needs this launch's token in ${CONTROL_TOKEN_HEADER}` });
    }
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    const fn = Object.hasOwn(this.#deps.control, method) ? this.#deps.control[method] : undefined;
    if (!fn) return json(404, { error: `unknown control method ${method}` });
    const raw = await readBody(req);
    let args: unknown = [];
    try {
      const text = raw?.toString('utf8').trim() ?? '';
      args = text === '' ? [] : JSON.parse(text);
    } catch {
      return json(400, { error: 'body must be a JSON array of arguments' });
    }
    if (!Array.isArray(args)) return json(400, { error: 'body must be a JSON array of arguments' });
    try {
      const result = await fn(...args);
      json(200, result === undefined ? null : result);
    } catch (err) {
      json(400, { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
