import { describe, expect, it } from 'vitest';
import { resolveConfig, type DingTalkAdapterOptions } from './config.js';
import { DingTalkConfigError } from './errors.js';

const base: DingTalkAdapterOptions = { clientId: 'ding-app', clientSecret: 's3cret', robotCode: 'ding-app' };

function failure(options: unknown): DingTalkConfigError {
  try {
    resolveConfig(options as DingTalkAdapterOptions);
  } catch (error) {
    if (error instanceof DingTalkConfigError) return error;
    throw error;
  }
  throw new Error('expected a DingTalkConfigError');
}

describe('resolveConfig', () => {
  it('lifts the send limits with rate: false, and refuses a rate of true', () => {
    expect(resolveConfig({ ...base, rate: false }).rate).toBe(false);
    expect(failure({ ...base, rate: true }).fields).toEqual(['rate']);
  });

  it('fills in the documented defaults', () => {
    const c = resolveConfig(base);
    expect(c.apiBase).toBe('https://api.dingtalk.com');
    expect(c.rate).toEqual({ perGroupPerMinute: 20, perAppPerSecond: 20 });
    expect(c.retry).toEqual({ attempts: 6, baseMs: 500, maxMs: 30_000 });
    expect(c.maxMessageBytes).toBe(14_000);
    expect(c.webhookMarginMs).toBe(300_000);
  });

  it('drops a trailing slash from apiBase', () => {
    expect(resolveConfig({ ...base, apiBase: 'http://127.0.0.1:8790/' }).apiBase).toBe('http://127.0.0.1:8790');
  });

  it('names a missing or empty credential', () => {
    expect(failure({ ...base, clientId: '' }).fields).toEqual(['clientId']);
    const e = failure({ clientSecret: 'x' });
    expect(e.fields).toEqual(['clientId', 'robotCode']);
    expect(e.message).toMatch(/clientId: .*Client ID/u);
  });

  it('names nested fields and unknown options', () => {
    expect(failure({ ...base, rate: { perAppPerSecond: -1 } }).message).toContain('rate.perAppPerSecond');
    expect(failure({ ...base, retry: { attempts: 0 } }).fields).toEqual(['retry.attempts']);
    expect(failure({ ...base, clientSecrets: 'typo' }).message).toMatch(/clientSecrets: unknown option/u);
    expect(failure({ ...base, apiBase: 'ftp://x' }).fields).toEqual(['apiBase']);
    expect(failure({ ...base, retry: { baseMs: 100, maxMs: 10 } }).fields).toEqual(['retry.maxMs']);
  });

  it('rejects a missing options object', () => {
    expect(failure(undefined).fields).toEqual(['options']);
  });
});
