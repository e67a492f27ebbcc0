// A tiny real HTTP server for transport-level cases the simulator need not model (gzip, odd
// status codes, resets). Not a mock of Atlas: each test scripts exactly the bytes it needs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
