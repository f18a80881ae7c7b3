import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { DingTalkAuthError } from '../errors.js';
import { createHttpClient } from './http.js';
import { createTokenProvider } from './token.js';

function setup(answer: (n: number, body: any) => { status: number; body: unknown }, tokenMarginMs = 300_000) {
  let now = Date.parse('2022-11-21T01:00:00Z');
  const requests: any[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body));
    requests.push(body);
    await new Promise((r) => setTimeout(r, 5));
    const a = answer(requests.length, body);
    return new Response(JSON.stringify(a.body), { status: a.status });
  }) as unknown as typeof globalThis.fetch;
  const config = resolveConfig({ clientId: 'ding-app', clientSecret: 'pw', robotCode: 'r', fetch, tokenMarginMs, clock: () => new Date(now), sleep: async () => {}, retry: { attempts: 3, baseMs: 1, maxMs: 1 } });
  return { tokens: createTokenProvider(config, createHttpClient(config)), requests, advance: (ms: number) => (now += ms) };
}

const ok = (n: number) => ({ status: 200, body: { accessToken: `t${n}`, expireIn: 7200 } });

describe('createTokenProvider', () => {
  it('asks with appKey and appSecret and caches the token', async () => {
    const { tokens, requests } = setup(ok);
    expect(await tokens.get()).toBe('t1');
    expect(await tokens.get()).toBe('t1');
    expect(requests).toEqual([{ appKey: 'ding-app', appSecret: 'pw' }]);
  });

  it('refreshes the margin before expiry, not earlier', async () => {
    const { tokens, advance } = setup(ok, 300_000);
    await tokens.get();
    advance(7200_000 - 300_000 - 1);
    expect(await tokens.get()).toBe('t1');
    advance(1);
    expect(await tokens.get()).toBe('t2');
  });

  it('shares one refresh among concurrent callers', async () => {
    const { tokens, requests } = setup(ok);
    const got = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    expect(got).toEqual(['t1', 't1', 't1']);
    expect(requests).toHaveLength(1);
  });

  it('drops only the token it is told is bad', async () => {
    const { tokens } = setup(ok);
    await tokens.get();
    tokens.invalidate('stale');
    expect(await tokens.get()).toBe('t1');
    tokens.invalidate('t1');
    expect(await tokens.get()).toBe('t2');
  });

  it('throws DingTalkAuthError naming the client id for bad credentials, without retrying', async () => {
    const { tokens, requests } = setup(() => ({ status: 400, body: { code: 'invalidClientSecret', message: '无效的appSecret' } }));
    const error = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingTalkAuthError);
    expect((error as Error).message).toContain('"ding-app"');
    expect((error as DingTalkAuthError).code).toBe('invalidClientSecret');
    expect(requests).toHaveLength(1);
  });

  it('retries a throttled token request', async () => {
    const { tokens, requests } = setup((n) => (n === 1 ? { status: 429, body: {} } : ok(n)));
    expect(await tokens.get()).toBe('t2');
    expect(requests).toHaveLength(2);
  });
});
