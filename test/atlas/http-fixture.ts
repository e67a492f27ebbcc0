// A tiny real HTTP server for transport-level cases the simulator need not model (gzip, odd
// status codes, resets). Not a mock of Atlas: each test scripts exactly the bytes it needs.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './self-signed-cert.ts';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Fixture {
  baseUrl: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startFixture(handler: (req: Received, res: http.ServerResponse) => void): Promise<Fixture> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just free: connecting to it is refused. */
export async function refusedBaseUrl(): Promise<string> {
  const f = await startFixture(() => {});
  await f.close();
  return f.baseUrl;
}

export function json(res: http.ServerResponse, body: unknown, status = 200, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface RawFixture {
  baseUrl: string;
  /** Requests whose headers the server read (HTTP), or connections it accepted (raw). */
  seen(): number;
  close(): Promise<void>;
}

/** An HTTPS server with a certificate no client trusts: the handshake fails before any request. */
export async function startSelfSignedTls(): Promise<RawFixture> {
  let seen = 0;
  const server = https.createServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => {
    seen += 1;
    res.end('{"status":0}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    seen: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts every connection and destroys it at once, before reading a byte. */
export async function startAcceptThenDestroy(): Promise<RawFixture> {
  let seen = 0;
  const server = net.createServer((socket) => {
    seen += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
