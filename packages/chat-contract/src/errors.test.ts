import { describe, expect, it } from 'vitest';
import { AdapterError, isRetryable } from './index.js';

describe('AdapterError', () => {
  it('carries its code, retryable flag and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new AdapterError('send failed', { code: 'network', retryable: true, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AdapterError');
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
  });

  it('is never retryable when the send is uncertain', () => {
    const error = new AdapterError('read timeout after the request was sent', { code: 'uncertain', retryable: true, uncertain: true });
    expect(error.uncertain).toBe(true);
    expect(error.retryable).toBe(false);
    expect(new AdapterError('x', { code: 'c', retryable: true }).uncertain).toBe(false);
  });

  it('lets subclasses name themselves', () => {
    class PlatformError extends AdapterError {
      override readonly name = 'PlatformError';
    }
    const error = new PlatformError('refused', { code: 'unauthorized', retryable: false });
    expect(error.name).toBe('PlatformError');
    expect(error).toBeInstanceOf(AdapterError);
    expect(error.cause).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it('reads the retryable flag of any error that has one', () => {
    expect(isRetryable(new AdapterError('x', { code: 'rejected', retryable: false }))).toBe(false);
    expect(isRetryable(Object.assign(new Error('database is locked'), { retryable: true }), false)).toBe(true);
  });

  it('falls back for errors without the flag', () => {
    expect(isRetryable(new Error('boom'))).toBe(true);
    expect(isRetryable(new Error('boom'), false)).toBe(false);
    expect(isRetryable('text', false)).toBe(false);
    expect(isRetryable({ retryable: 'yes' }, false)).toBe(false);
  });
});
