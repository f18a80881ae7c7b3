// Buttons in the Slack emulator, driven with a raw WebSocket and fetch (no Slack SDK): Block Kit checks on
// chat.postMessage and chat.update, and clicks delivered as block_actions in interactive envelopes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { checkInteractiveBlocks } from './block-kit.js';
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

async function api(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.apiUrl}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${emu.botToken}` }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

async function link(): Promise<{ ws: WebSocket; frames: Record<string, unknown>[] }> {
  const open = await fetch(`${emu.apiUrl}apps.connections.open`, { method: 'POST', headers: { Authorization: `Bearer ${emu.appToken}` } });
  const ws = new WebSocket(((await open.json()) as { url: string }).url);
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

const button = (action_id: string, text: string, value: string, extra: Record<string, unknown> = {}) => ({ type: 'button', action_id, text: { type: 'plain_text', text }, value, ...extra });
const digestBlocks = [
  { type: 'section', text: { type: 'mrkdwn', text: '*本周待办*\n任务 4' } },
  { type: 'actions', block_id: 'item-4', elements: [button('done-4', '已完成', '确认 4', { style: 'primary' }), button('view-4', '查看任务', '进度 4')] },
];

describe('checkInteractiveBlocks', () => {
  it.each([
    ['an empty actions block', [{ type: 'actions', elements: [] }], /non-empty/],
    ['26 elements', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`, 'x', 'v')) }], /25/],
    ['a label over 75 characters', [{ type: 'actions', elements: [button('a', 'x'.repeat(76), 'v')] }], /75/],
    ['markdown as a button label', [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'mrkdwn', text: 'x' } }] }], /plain_text/],
    ['a duplicate action_id', [{ type: 'actions', elements: [button('a', 'x', '1'), button('a', 'y', '2')] }], /duplicate action_id a/],
    ['an unknown style', [{ type: 'actions', elements: [button('a', 'x', 'v', { style: 'warning' })] }], /primary or danger/],
    ['a value over 2000 characters', [{ type: 'section', text: { type: 'mrkdwn', text: 't' }, accessory: button('a', 'x', 'v'.repeat(2_001)) }], /accessory.*2000/],
  ])('refuses %s', (_what, blocks, why) => {
    expect(checkInteractiveBlocks(blocks)).toMatch(why);
  });

  it('accepts buttons Slack accepts', () => {
    expect(checkInteractiveBlocks(digestBlocks)).toBeUndefined();
  });
});

describe('Slack emulator buttons', () => {
  it('answers invalid_blocks with the reason on chat.postMessage and chat.update, and changes nothing', async () => {
    const c = emu.createChannel({ name: 'g', members: [] });
    const bad = [{ type: 'actions', elements: [button('a', 'x', '1'), button('a', 'y', '2')] }];
    expect(await api('chat.postMessage', { channel: c.id, text: 'x', blocks: bad })).toEqual({ ok: false, error: 'invalid_blocks', errors: [expect.stringContaining('duplicate action_id')] });
    const posted = await api('chat.postMessage', { channel: c.id, text: '本周待办', blocks: digestBlocks });
    expect(posted.ok).toBe(true);
    expect(await api('chat.update', { channel: c.id, ts: posted.ts, text: 'x', blocks: bad })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(emu.messages(c.id)[0]).toMatchObject({ text: '本周待办', blocks: digestBlocks });
  });

  it('delivers a click as block_actions in an interactive envelope, redelivered until acked by envelope_id', async () => {
    const c = emu.createChannel({ name: 'guodao', members: [{ id: 'U01', name: '张三' }] });
    const posted = await api('chat.postMessage', { channel: c.id, text: '本周待办', blocks: digestBlocks });
    const { ws, frames } = await link();
    const res = await fetch(`${emu.url}/_emulator/channels/${c.id}/messages/${String(posted.ts)}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'U01', action_id: 'done-4' }) });
    const { envelopeId, actionTs } = (await res.json()) as { envelopeId: string; actionTs: string };
    const first = await until(() => frames.find((f) => f.envelope_id === envelopeId));
    expect(first).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        user: { id: 'U01', team_id: emu.teamId },
        api_app_id: expect.any(String),
        container: { type: 'message', message_ts: posted.ts, channel_id: c.id, is_ephemeral: false },
        channel: { id: c.id, name: 'guodao' },
        message: { ts: posted.ts, bot_id: expect.any(String), blocks: digestBlocks },
        trigger_id: expect.any(String),
        response_url: expect.any(String),
        actions: [{ type: 'button', action_id: 'done-4', block_id: 'item-4', value: '确认 4', style: 'primary', text: { type: 'plain_text', text: '已完成' }, action_ts: actionTs }],
      },
    });
    expect(first).not.toHaveProperty('retry_attempt');
    const again = await until(() => frames.filter((f) => f.envelope_id === envelopeId)[1]);
    expect(again.payload).toEqual(first.payload);
    ws.send(JSON.stringify({ envelope_id: envelopeId }));
    await until(() => emu.envelopes().find((e) => e.envelope_id === envelopeId)?.status === 'acked');
    expect(emu.envelopes().find((e) => e.envelope_id === envelopeId)).toMatchObject({ type: 'interactive', eventType: 'block_actions', messageKey: `${c.id}:${String(posted.ts)}` });
  });

  it('finds a button by its label and names the buttons when it cannot', async () => {
    const c = emu.createChannel({ name: 'g', members: [{ id: 'U01', name: '张三' }] });
    const posted = await api('chat.postMessage', { channel: c.id, text: '本周待办', blocks: digestBlocks });
    expect(emu.click({ channel: c.id, ts: posted.ts as string, user: 'U01', text: '查看任务' }).envelopeId).toEqual(expect.any(String));
    expect(() => emu.click({ channel: c.id, ts: posted.ts as string, user: 'U01', action_id: 'nope' })).toThrow(/done-4 已完成, view-4 查看任务/);
    expect(() => emu.click({ channel: c.id, ts: posted.ts as string, user: 'U99', action_id: 'done-4' })).toThrow(/not a member/);
    expect(() => emu.click({ channel: c.id, ts: '1.000001', user: 'U01', action_id: 'done-4' })).toThrow(/no bot message/);
    const res = await fetch(`${emu.url}/_emulator/channels/${c.id}/messages/${String(posted.ts)}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'U01', action_id: 'nope' }) });
    expect(res.status).toBe(400);
  });
});
