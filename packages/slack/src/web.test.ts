import { describe, expect, it } from 'vitest';
import { SlackApiError } from './errors.js';
import { maybeSent } from './web.js';

describe('maybeSent', () => {
  it('counts a timeout or a connection cut after sending as possibly delivered', () => {
    expect(maybeSent(Object.assign(new Error('A request error occurred'), { original: { code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' } }))).toBe(true);
    expect(maybeSent(Object.assign(new Error('A request error occurred'), { original: { code: 'ECONNRESET', message: 'socket hang up' } }))).toBe(true);
  });

  it('counts a refused connection or an error without detail as not delivered', () => {
    expect(maybeSent(Object.assign(new Error('A request error occurred'), { original: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }))).toBe(false);
    expect(maybeSent(new Error('A request error occurred'))).toBe(false);
  });
});

describe('SlackApiError', () => {
  it('is retryable for rate limits and 5xx, uncertain and final for an uncertain send', () => {
    expect(new SlackApiError('chat.postMessage', 'ratelimited')).toMatchObject({ retryable: true, uncertain: false });
    expect(new SlackApiError('chat.postMessage', 'http_503')).toMatchObject({ retryable: true });
    expect(new SlackApiError('chat.postMessage', 'channel_not_found')).toMatchObject({ retryable: false });
    expect(new SlackApiError('chat.postMessage', 'uncertain')).toMatchObject({ retryable: false, uncertain: true });
  });
});
