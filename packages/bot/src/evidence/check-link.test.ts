import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLink, hostAllowed, pageTitle } from './check-link.js';

/** A loopback “government site”: a page with a title, a GBK page, a 404, a page that never answers, redirects. */
let server: Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    switch (req.url) {
      case '/zwgk/1.html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><head><title>\n  沁源县人民政府 &amp; 政务公开\n</title></head><body>…</body></html>');
        return;
      case '/gbk.html':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(Buffer.concat([Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>'), Buffer.from('c7dfd4b4cfd8c8cbc3f1d5feb8ae', 'hex'), Buffer.from('</title>')]));
        return;
      case '/big.html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.write('<title>大页面</title>');
        // More than the cap: the checker must stop reading.
        for (let i = 0; i < 64; i++) res.write('x'.repeat(16_384));
        res.end();
        return;
      case '/slow':
        // Never answers: the checker's time limit must end it.
        return;
      case '/moved':
        res.writeHead(302, { location: '/zwgk/1.html' });
        res.end();
        return;
      case '/away':
        res.writeHead(301, { location: 'http://outside.example.com/phish' });
        res.end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        res.end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<title>404</title>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const settings = { allowedHosts: ['127.0.0.1'], timeoutMs: 500, maxBytes: 65_536, maxRedirects: 3 };

describe('checkLink', () => {
  it('reads the status and the title of a reachable page', async () => {
    expect(await checkLink(`${base}/zwgk/1.html`, settings)).toEqual({ result: 'ok', httpStatus: 200, title: '沁源县人民政府 & 政务公开', finalUrl: null });
  });

  it('decodes the title of a page that declares GB2312 in a meta tag', async () => {
    expect(await checkLink(`${base}/gbk.html`, settings)).toMatchObject({ result: 'ok', title: '沁源县人民政府' });
  });

  it('stops reading a page at the size cap and still has its title', async () => {
    expect(await checkLink(`${base}/big.html`, settings)).toMatchObject({ result: 'ok', title: '大页面' });
  });

  it('flags a 404 with its status', async () => {
    expect(await checkLink(`${base}/gone.html`, settings)).toMatchObject({ result: 'http_error', httpStatus: 404 });
  });

  it('gives up on a page that does not answer within the time limit', async () => {
    const started = performance.now();
    expect(await checkLink(`${base}/slow`, { ...settings, timeoutMs: 200 })).toMatchObject({ result: 'timeout' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('flags a host outside the allow-list without fetching it', async () => {
    const before = hits.length;
    expect(await checkLink(`${base}/zwgk/1.html`, { ...settings, allowedHosts: ['*.qinyuan.gov.cn'] })).toEqual({ result: 'host_not_allowed', detail: '127.0.0.1' });
    expect(await checkLink('https://www.example.com/a', settings)).toMatchObject({ result: 'host_not_allowed' });
    expect(hits.length).toBe(before);
  });

  it('fetches nothing with an empty allow-list, but still flags a link that is not http or https', async () => {
    const before = hits.length;
    expect(await checkLink(`${base}/zwgk/1.html`, { ...settings, allowedHosts: [] })).toMatchObject({ result: 'not_checked' });
    expect(await checkLink('ftp://127.0.0.1/a', { ...settings, allowedHosts: [] })).toMatchObject({ result: 'bad_scheme', detail: 'ftp' });
    expect(hits.length).toBe(before);
  });

  it('follows a redirect on the allow-list and stops at one that leaves it, without fetching the target', async () => {
    expect(await checkLink(`${base}/moved`, settings)).toMatchObject({ result: 'ok', title: '沁源县人民政府 & 政务公开', finalUrl: `${base}/zwgk/1.html` });
    expect(await checkLink(`${base}/away`, settings)).toMatchObject({ result: 'redirect_not_allowed', httpStatus: 301, finalUrl: 'http://outside.example.com/phish' });
  });

  it('stops after the allowed number of redirects', async () => {
    const before = hits.length;
    expect(await checkLink(`${base}/loop`, { ...settings, maxRedirects: 2 })).toMatchObject({ result: 'too_many_redirects' });
    expect(hits.length - before).toBe(3);
  });

  it('says a closed port is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await checkLink(`http://127.0.0.1:${port}/`, settings)).toMatchObject({ result: 'unreachable' });
  });
});

describe('hostAllowed', () => {
  it('matches exact hosts and a wildcard’s domain and subdomains, and nothing that only ends alike', () => {
    const list = ['*.qinyuan.gov.cn', 'www.sxqy.gov.cn'];
    expect(hostAllowed('qinyuan.gov.cn', list)).toBe(true);
    expect(hostAllowed('WWW.Qinyuan.gov.cn.', list)).toBe(true);
    expect(hostAllowed('a.b.qinyuan.gov.cn', list)).toBe(true);
    expect(hostAllowed('evilqinyuan.gov.cn', list)).toBe(false);
    expect(hostAllowed('qinyuan.gov.cn.evil.com', list)).toBe(false);
    expect(hostAllowed('sxqy.gov.cn', list)).toBe(false);
    expect(hostAllowed('www.sxqy.gov.cn', list)).toBe(true);
  });
});

describe('pageTitle', () => {
  it('returns null for a page without a title', () => {
    expect(pageTitle(new TextEncoder().encode('<html><body>无标题</body></html>'), 'text/html')).toBeNull();
  });
});
