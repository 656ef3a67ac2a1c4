/**
 * A hostile (or merely odd) QRadar console for tests: a `node:http` server on 127.0.0.1 whose every answer is the
 * test's `handler`, recording each request (method, path, query, Range header) first. Shared by the QRadar API
 * hostile-input tests (qradar-api-hostile*.test.ts, qradar-api-fetch-bound.test.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hostile {
  url: string;
  /** Requests received, in order: method, path, query, Range header. */
  requests: { method: string; path: string; query: Record<string, string>; range?: string }[];
  close(): Promise<void>;
}

/** A console whose every answer is `handler`'s (after the request is recorded; `n` is its 1-based number). */
export async function hostile(handler: (req: http.IncomingMessage, res: http.ServerResponse, u: URL, n: number) => void | Promise<void>): Promise<Hostile> {
  const requests: Hostile['requests'] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), range: req.headers.range });
    req.resume();
    void handler(req, res, u, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answers `status` with `body` as JSON (a string is sent as it is: a body that is not JSON). */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
