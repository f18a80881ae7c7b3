import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { DingTalkApiError } from '../errors.js';
import { backoffDelay, classifyOpenApi, classifyWebhook, createHttpClient } from './http.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function scriptedFetch(answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const a = answers.shift() ?? { status: 200, body: { ok: true } };
    if (a instanceof Error) throw a;
    return new Response(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body), { status: a.status, headers: a.headers });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function client(answers: Answer[], retry = { attempts: 5, baseMs: 100, maxMs: 1000 }) {
  const f = scriptedFetch(answers);
  const slept: number[] = [];
  const config = resolveConfig({ clientId: 'c', clientSecret: 's', robotCode: 'r', fetch: f.fetch, retry, sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
  return { http: createHttpClient(config), calls: f.calls, slept };
}

const spec = { what: 'send', url: 'http://127.0.0.1:9/x', body: { a: 1 }, classify: classifyOpenApi };

describe('classifyOpenApi', () => {
  it('tells throttling from permission refusals and bad tokens', () => {
    expect(classifyOpenApi(429, {})).toMatchObject({ ok: false, kind: 'throttled' });
    expect(classifyOpenApi(403, { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'qps' })).toMatchObject({ kind: 'throttled', code: 'Forbidden.AccessDenied.QpsLimitForApi' });
    expect(classifyOpenApi(403, { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: 'no permission' })).toMatchObject({ kind: 'rejected' });
    expect(classifyOpenApi(401, { code: 'InvalidAuthentication' })).toMatchObject({ kind: 'unauthorized' });
    expect(classifyOpenApi(400, { code: 'invalidParameter.robotCode.notExsit', message: '机器人不存在', requestid: 'R1' })).toMatchObject({ kind: 'rejected', requestId: 'R1' });
    expect(classifyOpenApi(503, 'busy')).toMatchObject({ kind: 'server' });
    expect(classifyOpenApi(200, { processQueryKey: 'k' })).toEqual({ ok: true, status: 200, body: { processQueryKey: 'k' } });
  });
});

describe('classifyWebhook', () => {
  it('reads errcode on HTTP 200', () => {
    expect(classifyWebhook(200, { errcode: 0, errmsg: 'ok' })).toMatchObject({ ok: true });
    expect(classifyWebhook(200, { errcode: 130101, errmsg: 'send too fast' })).toMatchObject({ ok: false, kind: 'throttled' });
    expect(classifyWebhook(200, { errcode: 300001, errmsg: 'session expired' })).toMatchObject({ ok: false, kind: 'rejected', code: '300001' });
  });
});

describe('backoffDelay', () => {
  it('draws from a doubling window, capped, and honours Retry-After', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0, 700)).toBe(700);
    expect(backoffDelay(1, policy, () => 0, 60_000)).toBe(1000);
  });
});

describe('createHttpClient', () => {
  it('retries 429 and 503 with jittered backoff, then succeeds', async () => {
    const { http, calls, slept } = client([{ status: 429, body: { code: 'Throttling' } }, { status: 503, body: 'x' }, { status: 200, body: { processQueryKey: 'k1' } }]);
    await expect(http.post(spec)).resolves.toEqual({ processQueryKey: 'k1' });
    expect(calls).toHaveLength(3);
    expect(slept).toEqual([50, 100]);
    expect(calls[0]?.init.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(calls[0]?.init.body).toBe('{"a":1}');
  });

  it('retries network errors', async () => {
    const { http, calls } = client([new TypeError('fetch failed'), { status: 200, body: { ok: 1 } }]);
    await expect(http.post(spec)).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  it('retries a refused connection, which provably did not reach DingTalk', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const { http, calls } = client([refused, { status: 200, body: { ok: 1 } }]);
    await expect(http.post(spec)).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  it('does not repeat a request that timed out or broke after it was sent, and marks it uncertain', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    for (const failure of [timeout, reset]) {
      const { http, calls } = client([failure, { status: 200, body: { ok: 1 } }]);
      const error = await http.post(spec).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'uncertain', uncertain: true, retryable: false, attempts: 1 });
      expect(calls).toHaveLength(1);
    }
  });

  it('does not retry a rejection, and says why', async () => {
    const { http, calls } = client([{ status: 400, body: { code: 'invalidParameter.msgKey.invalid', message: 'msgKey 无效', requestid: 'R9' } }]);
    const error = await http.post(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingTalkApiError);
    expect(error).toMatchObject({ kind: 'rejected', status: 400, code: 'invalidParameter.msgKey.invalid', requestId: 'R9', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('gives up after the configured attempts', async () => {
    const { http, calls, slept } = client(Array(5).fill({ status: 429, body: {} }), { attempts: 3, baseMs: 10, maxMs: 100 });
    await expect(http.post(spec)).rejects.toMatchObject({ kind: 'throttled', attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(slept).toHaveLength(2);
  });

  it('waits at least Retry-After', async () => {
    const { http, slept } = client([{ status: 429, body: {}, headers: { 'Retry-After': '0.8' } }, { status: 200, body: {} }]);
    await http.post(spec);
    expect(slept).toEqual([800]);
  });

  it('runs beforeAttempt before every attempt', async () => {
    const { http } = client([{ status: 503 }, { status: 200, body: {} }]);
    let before = 0;
    await http.post({ ...spec, beforeAttempt: async () => void before++ });
    expect(before).toBe(2);
  });
});
