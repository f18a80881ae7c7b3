// The emulator's wire formats, driven with a raw WebSocket and fetch (no Slack SDK), so that the adapter tests
// rest on a double that speaks Slack's protocol.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSlackEmulator, type SlackEmulator } from './index.js';

let emu: SlackEmulator;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  emu = await startSlackEmulator({ port: 0, ackTimeoutMs: 150, maxRedeliveries: 2, pingIntervalMs: 0 });
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await emu.close();
});

async function api(method: string, token: string | undefined, body: Record<string, unknown> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${emu.apiUrl}${method}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

/** Opens a Socket Mode connection and collects its frames. */
async function link(): Promise<{ ws: WebSocket; frames: Record<string, unknown>[] }> {
  const open = await api('apps.connections.open', emu.appToken);
  const ws = new WebSocket(open.json.url as string);
  sockets.push(ws);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

async function until<T>(probe: () => T | undefined | false): Promise<T> {
  const end = Date.now() + 10_000;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('startSlackEmulator', () => {
  it('opens Socket Mode only for the app-level token', async () => {
    expect((await api('apps.connections.open', emu.appToken)).json).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/u) });
    expect((await api('apps.connections.open', emu.botToken)).json).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect((await api('apps.connections.open', 'xapp-other')).json).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await api('apps.connections.open', undefined)).json).toEqual({ ok: false, error: 'not_authed' });
  });

  it('answers auth.test and refuses unknown bot tokens with HTTP 200 ok:false', async () => {
    expect((await api('auth.test', emu.botToken)).json).toMatchObject({ ok: true, user_id: emu.botUserId, team_id: emu.teamId, bot_id: expect.any(String) });
    const bad = await api('auth.test', 'xoxb-nope');
    expect([bad.status, bad.json]).toEqual([200, { ok: false, error: 'invalid_auth' }]);
  });

  it('accepts chat.postMessage as form fields with JSON blocks, and reports channel_not_found', async () => {
    const c = emu.createChannel({ name: 'g', members: [] });
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.botToken}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: c.id, text: 'hi', blocks: JSON.stringify([{ type: 'divider' }]) }).toString(),
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: true, channel: c.id, ts: expect.stringMatching(/^\d+\.\d{6}$/u), message: { text: 'hi', blocks: [{ type: 'divider' }], bot_id: expect.any(String) } });
    expect(emu.messages(c.id)).toMatchObject([{ from: 'bot', text: 'hi', ts: json.ts }]);
    expect((await api('chat.postMessage', emu.botToken, { channel: 'CNONE', text: 'x' })).json).toEqual({ ok: false, error: 'channel_not_found' });
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3_001) } }];
    expect((await api('chat.postMessage', emu.botToken, { channel: c.id, text: 'x', blocks: long })).json).toEqual({ ok: false, error: 'invalid_blocks' });
  });

  it('answers 429 with Retry-After while the rateLimit fault lasts', async () => {
    const c = emu.createChannel({ name: 'g', members: [] });
    emu.faults({ rateLimit: { count: 1, retryAfter: 7 } });
    const limited = await api('chat.postMessage', emu.botToken, { channel: c.id, text: 'x' });
    expect([limited.status, limited.headers.get('retry-after'), limited.json.error]).toEqual([429, '7', 'ratelimited']);
    expect((await api('chat.postMessage', emu.botToken, { channel: c.id, text: 'x' })).status).toBe(200);
  });

  it('says hello, then delivers a mention as an events_api app_mention envelope', async () => {
    const c = emu.createChannel({ name: 'g', members: [{ id: 'U01', name: '张三' }] });
    const { frames } = await link();
    await until(() => frames.length === 1);
    expect(frames[0]).toMatchObject({ type: 'hello', connection_info: { app_id: expect.any(String) } });
    const { ts, envelopeId } = emu.post({ channel: c.id, user: 'U01', text: `<@${emu.botUserId}> 本周` });
    const env = await until(() => frames[1]);
    expect(env).toMatchObject({
      envelope_id: envelopeId,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      payload: { type: 'event_callback', team_id: emu.teamId, event: { type: 'app_mention', user: 'U01', channel: c.id, ts, text: `<@${emu.botUserId}> 本周` } },
    });
    emu.post({ channel: c.id, user: 'U01', text: '闲聊' });
    expect(await until(() => frames[2])).toMatchObject({ payload: { event: { type: 'message', channel_type: 'channel' } } });
  });

  it('redelivers an unacked envelope with retry_attempt incremented until it is acked', async () => {
    const c = emu.createChannel({ name: 'g', members: [{ id: 'U01', name: '张三' }] });
    const { ws, frames } = await link();
    const { envelopeId } = emu.post({ channel: c.id, user: 'U01', text: `<@${emu.botUserId}> 进度` });
    const second = await until(() => frames.filter((f) => f.envelope_id === envelopeId)[1]);
    expect(second).toMatchObject({ retry_attempt: 1, retry_reason: 'http_timeout' });
    ws.send(JSON.stringify({ envelope_id: envelopeId, payload: {} }));
    await until(() => emu.envelopes()[0]?.status === 'acked');
    expect(emu.envelopes()[0]?.attempts.map((a) => a.retryAttempt)).toEqual([0, 1]);
  });

  it('gives up on an envelope after the last redelivery', async () => {
    const c = emu.createChannel({ name: 'g', members: [{ id: 'U01', name: '张三' }] });
    const { frames } = await link();
    emu.post({ channel: c.id, user: 'U01', text: `<@${emu.botUserId}> 进度` });
    await until(() => emu.envelopes()[0]?.status === 'failed');
    expect(frames.filter((f) => f.type === 'events_api').map((f) => f.retry_attempt)).toEqual([0, 1, 2]);
  });

  it('sends disconnect with its reason before closing the connection', async () => {
    const { ws, frames } = await link();
    const closed = new Promise((resolve) => ws.once('close', resolve));
    emu.faults({ disconnect: { reason: 'link_disabled' } });
    await closed;
    expect(frames.at(-1)).toMatchObject({ type: 'disconnect', reason: 'link_disabled' });
    await until(() => emu.connections().length === 0);
  });

  it('refuses a WebSocket without a valid ticket', async () => {
    const ws = new WebSocket(`${emu.url.replace('http', 'ws')}/link/?ticket=forged`);
    sockets.push(ws);
    await expect(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    })).rejects.toThrow(/401/u);
  });
});
