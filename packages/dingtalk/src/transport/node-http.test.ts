import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maybeSent } from './http.js';
import { createNodeHttpExchange } from './node-http.js';

describe('createNodeHttpExchange', () => {
  let server: Server;
  let base: string;
  let connections = 0;
  const seen: Array<{ method: string; body: string; type: string | undefined }> = [];

  beforeEach(async () => {
    connections = 0;
    seen.length = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', body, type: req.headers['content-type'] });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/throttled') {
          res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '2' });
          res.end(JSON.stringify({ code: 'Throttling', message: '请求过快' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (exchange: ReturnType<typeof createNodeHttpExchange>, path: string, body: unknown, timeoutMs = 5000) =>
    exchange(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });

  it('posts the body as sent, reads status, headers and text, and reuses one connection', async () => {
    const exchange = createNodeHttpExchange();
    const first = await post(exchange, '/ok', { text: '确认 4' });
    expect(first.status).toBe(200);
    expect(first.headers.get('Content-Type')).toBe('application/json');
    expect(first.headers.get('x-missing')).toBeNull();
    expect(JSON.parse(await first.text())).toEqual({ echo: { text: '确认 4' } });
    const second = await post(exchange, '/ok', { n: 2 });
    expect(JSON.parse(await second.text())).toEqual({ echo: { n: 2 } });
    expect(seen.map((s) => [s.method, s.type])).toEqual([
      ['POST', 'application/json'],
      ['POST', 'application/json'],
    ]);
    expect(connections).toBe(1);
  });

  it('does not queue requests behind a cap on connections: 100 at once all go out together', async () => {
    const exchange = createNodeHttpExchange();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(exchange, '/ok', { i })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(connections).toBeGreaterThan(64);
  });

  it('gives error answers as answers, with their headers', async () => {
    const answer = await post(createNodeHttpExchange(), '/throttled', {});
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(JSON.parse(await answer.text())).toMatchObject({ code: 'Throttling' });
  });

  it('fails a request that got no answer in time as maybe sent, and a refused one as not sent', async () => {
    const exchange = createNodeHttpExchange();
    const timedOut = await post(exchange, '/slow', {}, 100).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(Error);
    expect(maybeSent(timedOut)).toBe(true);
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const refused = await exchange(`http://127.0.0.1:${port}/ok`, { method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(5000) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(maybeSent(refused)).toBe(false);
    server = createServer().listen(0, '127.0.0.1');
  });
});
