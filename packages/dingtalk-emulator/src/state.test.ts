import { describe, expect, it } from 'vitest';
import { EmulatorState } from './state.js';

function makeState(overrides: Partial<ConstructorParameters<typeof EmulatorState>[0]> = {}) {
  let now = 1_700_000_000_000;
  const state = new EmulatorState({
    apps: [
      { clientId: 'c1', clientSecret: 's1', robotCode: 'r1' },
      { clientId: 'c2', clientSecret: 's2', robotCode: 'r2' },
    ],
    corpId: 'corp',
    tokenTtlSeconds: 7200,
    ticketTtlMs: 90_000,
    sessionWebhookTtlMs: 5_400_000,
    limits: { maxMsgParamBytes: 15000, maxWebhookBytes: 20000 },
    now: () => now,
    ...overrides,
  });
  return { state, advance: (ms: number) => (now += ms) };
}

describe('EmulatorState', () => {
  it('refuses to start without apps', () => {
    expect(() => makeState({ apps: [] })).toThrow(/at least one app/);
  });

  it('creates a group with nicks defaulting to staff ids', () => {
    const { state } = makeState();
    const r = state.createGroup({ title: ' 郭道镇 ', members: [{ staffId: 'u1', nick: '张三' }, { staffId: 'u2' }] });
    expect(r.success && r.data).toMatchObject({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }, { staffId: 'u2', nick: 'u2' }] });
    expect(r.success && r.data.conversationId).toMatch(/^cid/);
  });

  it('refuses a group without a title, with a bad member or with a taken id', () => {
    const { state } = makeState();
    expect(state.createGroup({ members: [] })).toMatchObject({ success: false, error: { status: 400, message: 'title must be a non-empty string' } });
    expect(state.createGroup({ title: 'x', members: [{ nick: 'n' }] })).toMatchObject({
      success: false,
      error: { message: 'members[0].staffId must be a non-empty string' },
    });
    expect(state.createGroup({ title: 'x', members: [{ staffId: 'a' }, { staffId: 'a' }] }).success).toBe(false);
    expect(state.createGroup({ title: 'x', members: [], conversationId: 'cidA' }).success).toBe(true);
    expect(state.createGroup({ title: 'y', members: [], conversationId: 'cidA' })).toMatchObject({ success: false, error: { status: 409 } });
  });

  it('hands out the same token while it is valid, with the time left', () => {
    const { state, advance } = makeState();
    const app = state.appByClientId('c1')!;
    const first = state.issueToken(app);
    expect(first.expireIn).toBe(7200);
    advance(1000_000);
    const second = state.issueToken(app);
    expect(second.accessToken).toBe(first.accessToken);
    expect(second.expireIn).toBe(6200);
  });

  it('stops accepting a token when it expires, and issues a new one', () => {
    const { state, advance } = makeState({ tokenTtlSeconds: 10 });
    const app = state.appByClientId('c1')!;
    const { accessToken } = state.issueToken(app);
    expect(state.appOfToken(accessToken)?.clientId).toBe('c1');
    advance(10_000);
    expect(state.appOfToken(accessToken)).toBeUndefined();
    expect(state.issueToken(app).accessToken).not.toBe(accessToken);
  });

  it('accepts a ticket once and not after 90 s', () => {
    const { state, advance } = makeState();
    const app = state.appByClientId('c1')!;
    const t1 = state.openTicket(app, 'ua', []);
    expect(state.takeTicket(t1)?.clientId).toBe('c1');
    expect(state.takeTicket(t1)).toBeUndefined();
    const t2 = state.openTicket(app, 'ua', []);
    advance(90_000);
    expect(state.takeTicket(t2)).toBeUndefined();
  });

  it('expires session webhooks after their lifetime', () => {
    const { state, advance } = makeState();
    const s = state.openSession('cid', 'c1');
    expect(state.session(s.key)?.conversationId).toBe('cid');
    advance(5_400_000);
    expect(state.session(s.key)).toBeUndefined();
  });

  it('throttles a group past its per-minute limit and admits again a minute later', () => {
    const { state, advance } = makeState({ limits: { groupPerMinute: 2, maxMsgParamBytes: 1, maxWebhookBytes: 1 } });
    expect(state.admitSend('openapi', 'c1', 'g1').kind).toBe('ok');
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('ok');
    expect(state.admitSend('openapi', 'c1', 'g1')).toEqual({ kind: 'throttle', status: 403 });
    expect(state.admitSend('openapi', 'c1', 'g2').kind).toBe('ok');
    advance(60_001);
    expect(state.admitSend('openapi', 'c1', 'g1').kind).toBe('ok');
  });

  it('slides the per-minute window send by send, also when the clock is set back', () => {
    const { state, advance } = makeState({ limits: { groupPerMinute: 2, maxMsgParamBytes: 1, maxWebhookBytes: 1 } });
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('ok'); // t = 0
    advance(30_000);
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('ok'); // t = 30 s
    advance(30_001);
    // The first send left the window, the second is still in it.
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('ok'); // t = 60.001 s
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('throttle');
    advance(-20_000);
    // Set back to t = 40.001 s: both sends of the last minute (30 s and 60.001 s) still count.
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('throttle');
    advance(50_000);
    // t = 90.001 s: 30 s has left, 60.001 s has not.
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('ok');
    expect(state.admitSend('webhook', 'c1', 'g1').kind).toBe('throttle');
  });

  it('throttles an app past its per-minute limit across groups', () => {
    const { state } = makeState({ limits: { appPerMinute: 1, maxMsgParamBytes: 1, maxWebhookBytes: 1 } });
    expect(state.admitSend('openapi', 'c1', 'g1').kind).toBe('ok');
    expect(state.admitSend('openapi', 'c1', 'g2').kind).toBe('throttle');
    expect(state.admitSend('openapi', 'c2', 'g2').kind).toBe('ok');
  });

  it('counts the limits over a shorter window when windowMs is set', () => {
    const { state, advance } = makeState({ limits: { appPerMinute: 2, windowMs: 1000, maxMsgParamBytes: 1, maxWebhookBytes: 1 } });
    expect(state.admitSend('openapi', 'c1', 'g1').kind).toBe('ok');
    expect(state.admitSend('webhook', 'c1', 'g2').kind).toBe('ok');
    expect(state.admitSend('openapi', 'c1', 'g3').kind).toBe('throttle');
    advance(1001);
    expect(state.admitSend('openapi', 'c1', 'g3').kind).toBe('ok');
    expect(state.setLimits({ windowMs: 0 })).toMatchObject({ success: false, error: { message: 'windowMs must be a positive integer or null' } });
  });

  it('spends throttle and failSends faults only on their target', () => {
    const { state } = makeState();
    state.applyFaults({ throttle: { count: 1, status: 429, target: 'webhook' }, failSends: { count: 1, status: 503, target: 'openapi' } });
    expect(state.admitSend('openapi', 'c1', 'g')).toEqual({ kind: 'fail', status: 503 });
    expect(state.admitSend('openapi', 'c1', 'g')).toEqual({ kind: 'ok' });
    expect(state.admitSend('webhook', 'c1', 'g')).toEqual({ kind: 'throttle', status: 429 });
    expect(state.admitSend('webhook', 'c1', 'g')).toEqual({ kind: 'ok' });
  });

  it('adds fault counts up', () => {
    const { state } = makeState();
    state.applyFaults({ dropAcks: 2 });
    const r = state.applyFaults({ dropAcks: 1 });
    expect(r.success && r.data.dropAcks).toBe(3);
  });

  it('refuses unknown or malformed faults and arms nothing', () => {
    const { state } = makeState();
    expect(state.applyFaults({ dropAcks: -1 })).toMatchObject({ success: false, error: { status: 400 } });
    expect(state.applyFaults({ explode: true })).toMatchObject({ success: false, error: { message: expect.stringContaining('unknown fault explode') } });
    expect(state.applyFaults({ throttle: { count: 1, status: 500 } }).success).toBe(false);
    expect(state.applyFaults({ dropAcks: 1, failSends: { count: 1, status: 200 } }).success).toBe(false);
    expect(state.faults.dropAcks).toBe(0);
  });

  it('expires every token and session on request', () => {
    const { state } = makeState();
    const app = state.appByClientId('c1')!;
    const { accessToken } = state.issueToken(app);
    const s = state.openSession('cid', 'c1');
    state.applyFaults({ expireTokens: true, expireSessions: true });
    expect(state.appOfToken(accessToken)).toBeUndefined();
    expect(state.session(s.key)).toBeUndefined();
  });

  it('changes limits and removes a rate limit with null', () => {
    const { state } = makeState();
    expect(state.setLimits({ groupPerMinute: 5, maxWebhookBytes: 100 })).toMatchObject({ success: true, data: { groupPerMinute: 5, maxWebhookBytes: 100 } });
    expect(state.setLimits({ groupPerMinute: null }).success && state.limits.groupPerMinute).toBeUndefined();
    expect(state.setLimits({ groupPerMinute: 0 }).success).toBe(false);
    expect(state.setLimits({ speed: 1 }).success).toBe(false);
  });

  it('reset forgets groups and counters but keeps apps', () => {
    const { state } = makeState();
    state.createGroup({ title: 'x', members: [] });
    state.counters.acks = 3;
    state.reset();
    expect(state.listGroups()).toEqual([]);
    expect(state.counters.acks).toBe(0);
    expect(state.apps).toHaveLength(2);
  });
});
