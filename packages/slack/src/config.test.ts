import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { SlackConfigError } from './errors.js';

const good = { botToken: 'xoxb-1-2-abc', appToken: 'xapp-1-A1-2-def' };

describe('resolveConfig', () => {
  it('fills in Slack’s API base and the defaults', () => {
    const c = resolveConfig(good);
    expect({ apiUrl: c.apiUrl, attempts: c.attempts, replyInThread: c.replyInThread }).toEqual({ apiUrl: 'https://slack.com/api/', attempts: 5, replyInThread: false });
  });

  it('ends the API base with exactly one slash', () => {
    expect(resolveConfig({ ...good, apiUrl: 'http://127.0.0.1:9/api' }).apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(resolveConfig({ ...good, apiUrl: 'http://127.0.0.1:9/api//' }).apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it.each([
    ['botToken', { ...good, botToken: 'xapp-1-swapped' }, /botToken: .*xoxb-/u],
    ['appToken', { ...good, appToken: 'xoxb-swapped' }, /appToken: .*xapp-/u],
    ['botToken', { ...good, botToken: undefined }, /botToken/u],
    ['apiUrl', { ...good, apiUrl: 'slack.com' }, /apiUrl: expected an http\(s\) URL/u],
    ['attempts', { ...good, attempts: 0 }, /attempts/u],
  ])('throws SlackConfigError naming %s', (field, options, message) => {
    let error: unknown;
    try {
      resolveConfig(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlackConfigError);
    expect((error as SlackConfigError).fields).toEqual([field]);
    expect((error as Error).message).toMatch(message);
  });
});
