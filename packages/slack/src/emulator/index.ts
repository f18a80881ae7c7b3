import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { blockActionsPayload, buttonsOf, checkInteractiveBlocks } from './block-kit.js';

/** A person in the emulated workspace. */
export interface SlackPerson {
  /** Slack user id, e.g. `U01GUODAO`. */
  id: string;
  /** Display name. */
  name: string;
}

/** A channel of the emulated workspace. */
export interface SlackChannel {
  /** Channel id: `C…` for channels, `D…` for a direct message with the bot. */
  id: string;
  name: string;
  members: SlackPerson[];
}

/** A message as the emulator keeps it (user and bot messages alike). */
export interface SlackChatMessage {
  ts: string;
  channel: string;
  from: 'user' | 'bot';
  /** Sender user id (the bot's user id for bot messages). */
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** Set by `chat.update`. */
  edited?: { ts: string };
}

/** One delivery attempt of an envelope. */
export interface EnvelopeAttempt {
  connectionId: string;
  retryAttempt: number;
  at: number;
}

/** A Socket Mode envelope and what happened to it. */
export interface EnvelopeRecord {
  envelope_id: string;
  /** `events_api` for messages, `interactive` for button clicks (`block_actions`). */
  type: 'events_api' | 'interactive';
  /** The user message's `channel:ts` (for a click: the clicked message's). */
  messageKey: string;
  eventType: 'app_mention' | 'message' | 'block_actions';
  /** `pending` until acked; `failed` after the last redelivery went unacked. */
  status: 'pending' | 'acked' | 'failed';
  attempts: EnvelopeAttempt[];
  /** Acks the emulator ignored because of the `dropAcks` fault. */
  droppedAcks: number;
}

/** Faults to inject; each count is consumed by the next matching calls. */
export interface SlackFaults {
  /** The next `count` Web API calls of `methods` (default chat.postMessage and chat.update) get HTTP 429 with `Retry-After: retryAfter` (seconds, default 1). */
  rateLimit?: { count: number; retryAfter?: number; methods?: string[] };
  /** The next `n` envelope acks are ignored (the envelope stays pending and is redelivered). */
  dropAcks?: number;
  /** Sends `{type:'disconnect', reason}` to every connection and closes them after `graceMs` (default 20). */
  disconnect?: { reason?: 'refresh_requested' | 'warning' | 'link_disabled'; graceMs?: number };
}

/** Options of {@link startSlackEmulator}. */
export interface SlackEmulatorOptions {
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** The bot token the Web API accepts (default `xoxb-emulator-bot-token`). */
  botToken?: string;
  /** The app-level token `apps.connections.open` accepts (default `xapp-1-emulator-app-token`). */
  appToken?: string;
  /** The bot's user id (default `UBOT`). */
  botUserId?: string;
  /** An unacked envelope is redelivered after this long (default 3 000 ms; Slack waits a few seconds). */
  ackTimeoutMs?: number;
  /** Redeliveries after the first attempt (default 3, like Slack's Events API). */
  maxRedeliveries?: number;
  /** Interval of server WebSocket pings (default 5 000 ms; 0 turns them off). */
  pingIntervalMs?: number;
}

/** Counters for assertions. */
export interface SlackEmulatorCounters {
  rateLimited: number;
  connectionsOpened: number;
  apiCalls: Record<string, number>;
}

/** A running loopback Slack: Web API under `${url}/api/`, Socket Mode under `ws://…/link/`. */
export interface SlackEmulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The Web API base to give the adapter as `apiUrl`: `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly teamId: string;
  /** Creates a channel (the bot is a member). `id` defaults to `C…` (or `D…` when `direct`). */
  createChannel(input: { name: string; members: SlackPerson[]; id?: string; direct?: boolean }): SlackChannel;
  /**
   * A user posts in a channel. A text mentioning the bot (`<@UBOT>`) is delivered as an `app_mention`
   * event; any other text as a `message` event. Returns the message ts and the envelope id.
   */
  post(input: { channel: string; user: string; text: string; thread_ts?: string }): { ts: string; envelopeId: string };
  /**
   * A member clicks a button of a bot message: a `block_actions` payload goes out in an `interactive` envelope,
   * acked by envelope_id and redelivered while unacked (like events). The button is named by `action_id`, or by
   * its label `text`. Throws for an unknown channel, message or button, or a non-member.
   */
  click(input: { channel: string; ts: string; user: string; action_id?: string; text?: string }): { envelopeId: string; actionTs: string };
  /** Every message of a channel, oldest first, the bot's included. */
  messages(channel: string): SlackChatMessage[];
  /** Every envelope sent (or waiting for a connection), oldest first. */
  envelopes(): EnvelopeRecord[];
  /** Ids of the open Socket Mode connections. */
  connections(): string[];
  faults(faults: SlackFaults): void;
  counters(): SlackEmulatorCounters;
  close(): Promise<void>;
}

interface Connection {
  id: string;
  socket: WebSocket;
}

interface Pending {
  record: EnvelopeRecord;
  frame: Record<string, unknown>;
  timer?: NodeJS.Timeout;
  connectionId?: string;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: HttpRequest): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  // Slack's clients post form-encoded bodies with structured fields (blocks) as JSON strings.
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}

function bearer(req: HttpRequest, body: Record<string, unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  return typeof body.token === 'string' ? body.token : undefined;
}

function parseBlocks(value: unknown): { ok: true; blocks: unknown[] | undefined } | { ok: false; why?: string } {
  if (value === undefined || value === '') return { ok: true, blocks: undefined };
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return { ok: false };
    }
  }
  if (!Array.isArray(v) || v.length > 50 || !v.every((b) => b !== null && typeof b === 'object' && typeof (b as { type?: unknown }).type === 'string')) return { ok: false };
  // Slack's limits: section text 3 000 characters, header text 150.
  for (const b of v as { type: string; text?: { text?: unknown } }[]) {
    const t = b.text?.text;
    if (typeof t === 'string' && ((b.type === 'section' && t.length > 3_000) || (b.type === 'header' && t.length > 150))) return { ok: false };
  }
  const why = checkInteractiveBlocks(v);
  if (why) return { ok: false, why };
  return { ok: true, blocks: v };
}

/**
 * Starts a loopback Slack for tests and the sandbox: the Web API methods the adapter uses
 * (`apps.connections.open`, `auth.test`, `chat.postMessage`, `chat.update`, `conversations.info`, `users.info`), a Socket Mode
 * WebSocket (hello, `events_api` envelopes, `interactive` envelopes with `block_actions` for button clicks, ack
 * tracking with redelivery and `retry_attempt`, disconnect), Block Kit button validation, and a control API (the
 * returned object; also `POST /_emulator/channels`, `POST /_emulator/channels/:id/messages`,
 * `POST /_emulator/channels/:id/messages/:ts/actions` `{ user, action_id | text }`,
 * `GET /_emulator/channels/:id/messages`, `POST /_emulator/faults`). Needs the `ws` package.
 *
 * @example
 * const slack = await startSlackEmulator({ port: 0 });
 * const channel = slack.createChannel({ name: 'guodao', members: [{ id: 'U01', name: '张三' }] });
 * slack.post({ channel: channel.id, user: 'U01', text: `<@${slack.botUserId}> 本周` });
 * await slack.close();
 */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const { WebSocketServer: Wss } = (await import('ws')) as unknown as { WebSocketServer: typeof WebSocketServer };
  const botToken = options.botToken ?? 'xoxb-emulator-bot-token';
  const appToken = options.appToken ?? 'xapp-1-emulator-app-token';
  const botUserId = options.botUserId ?? 'UBOT';
  const botId = 'BBOT';
  const teamId = 'TEMULATOR';
  const appId = 'AEMULATOR';
  const ackTimeoutMs = options.ackTimeoutMs ?? 3_000;
  const maxRedeliveries = options.maxRedeliveries ?? 3;
  const pingIntervalMs = options.pingIntervalMs ?? 5_000;

  const channels = new Map<string, SlackChannel>();
  const history = new Map<string, SlackChatMessage[]>();
  const envelopes: Pending[] = [];
  const tickets = new Set<string>();
  const conns = new Map<string, Connection>();
  const counters: SlackEmulatorCounters = { rateLimited: 0, connectionsOpened: 0, apiCalls: {} };
  let rateLimit: { count: number; retryAfter: number; methods: string[] } | undefined;
  let dropAcks = 0;
  let seq = 0;
  let channelSeq = 0;
  let closed = false;

  function nextTs(): string {
    seq++;
    return `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
  }

  function pickConnection(): Connection | undefined {
    // Slack spreads envelopes over the app's connections; the newest one is as good as any.
    return [...conns.values()].at(-1);
  }

  function transmit(p: Pending): void {
    if (p.record.status !== 'pending') return;
    const conn = pickConnection();
    if (!conn) {
      p.connectionId = undefined; // sent when a connection says hello
      return;
    }
    const retryAttempt = p.record.attempts.length;
    if (p.record.type === 'events_api') {
      p.frame.retry_attempt = retryAttempt;
      p.frame.retry_reason = retryAttempt === 0 ? '' : 'http_timeout';
    }
    p.record.attempts.push({ connectionId: conn.id, retryAttempt, at: Date.now() });
    p.connectionId = conn.id;
    conn.socket.send(JSON.stringify(p.frame));
    clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      if (p.record.status !== 'pending') return;
      if (p.record.attempts.length > maxRedeliveries) {
        p.record.status = 'failed';
        return;
      }
      p.connectionId = undefined;
      transmit(p);
    }, ackTimeoutMs);
    p.timer.unref();
  }

  function enqueue(channel: SlackChannel, event: Record<string, unknown>, messageKey: string): Pending {
    const envelope_id = randomUUID();
    const eventType = event.type as 'app_mention' | 'message';
    const frame: Record<string, unknown> = {
      envelope_id,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: {
        token: 'emulator-verification-token',
        team_id: teamId,
        context_team_id: teamId,
        api_app_id: appId,
        event,
        type: 'event_callback',
        event_id: `Ev${randomUUID().replace(/-/gu, '').slice(0, 10).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
        event_context: `4-emulator-${channel.id}`,
      },
    };
    const p: Pending = { record: { envelope_id, type: 'events_api', messageKey, eventType, status: 'pending', attempts: [], droppedAcks: 0 }, frame };
    envelopes.push(p);
    transmit(p);
    return p;
  }

  function onAck(raw: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    const id = (msg as { envelope_id?: unknown } | null)?.envelope_id;
    const p = envelopes.find((e) => e.record.envelope_id === id);
    if (p?.record.status !== 'pending') return;
    if (dropAcks > 0) {
      dropAcks--;
      p.record.droppedAcks++;
      return;
    }
    p.record.status = 'acked';
    clearTimeout(p.timer);
  }

  function addMessage(m: SlackChatMessage): void {
    const list = history.get(m.channel) ?? [];
    list.push(m);
    history.set(m.channel, list);
  }

  function createChannel(input: { name: string; members: SlackPerson[]; id?: string; direct?: boolean }): SlackChannel {
    channelSeq++;
    const id = input.id ?? `${input.direct ? 'D' : 'C'}EMU${String(channelSeq).padStart(5, '0')}`;
    const channel: SlackChannel = { id, name: input.name, members: input.members.map((m) => ({ ...m })) };
    channels.set(id, channel);
    history.set(id, []);
    return channel;
  }

  function post(input: { channel: string; user: string; text: string; thread_ts?: string }): { ts: string; envelopeId: string } {
    const channel = channels.get(input.channel);
    if (!channel) throw new Error(`slack emulator: no channel ${input.channel}`);
    if (!channel.members.some((m) => m.id === input.user)) throw new Error(`slack emulator: ${input.user} is not a member of ${input.channel}`);
    const ts = nextTs();
    const message: SlackChatMessage = { ts, channel: channel.id, from: 'user', user: input.user, text: input.text };
    if (input.thread_ts) message.thread_ts = input.thread_ts;
    addMessage(message);
    const direct = channel.id.startsWith('D');
    const mentioned = input.text.includes(`<@${botUserId}>`);
    const common: Record<string, unknown> = { user: input.user, text: input.text, ts, team: teamId, channel: channel.id, event_ts: ts, client_msg_id: randomUUID() };
    if (input.thread_ts) common.thread_ts = input.thread_ts;
    const event = mentioned && !direct ? { type: 'app_mention', ...common } : { type: 'message', ...common, channel_type: direct ? 'im' : 'channel' };
    const p = enqueue(channel, event, `${channel.id}:${ts}`);
    return { ts, envelopeId: p.record.envelope_id };
  }

  function click(input: { channel: string; ts: string; user: string; action_id?: string; text?: string }): { envelopeId: string; actionTs: string } {
    const channel = channels.get(input.channel);
    if (!channel) throw new Error(`slack emulator: no channel ${input.channel}`);
    const person = channel.members.find((m) => m.id === input.user);
    if (!person) throw new Error(`slack emulator: ${input.user} is not a member of ${input.channel}`);
    const message = history.get(channel.id)?.find((m) => m.ts === input.ts);
    if (message?.from !== 'bot') throw new Error(`slack emulator: no bot message ${input.ts} in ${input.channel}`);
    if ((input.action_id === undefined) === (input.text === undefined)) throw new Error('slack emulator: name the button by exactly one of action_id and text');
    const buttons = buttonsOf(message.blocks);
    const found = buttons.find((b) => (input.action_id !== undefined ? b.button.action_id === input.action_id : b.button.text.text === input.text));
    if (!found) {
      throw new Error(`slack emulator: message ${input.ts} has no button ${input.action_id ?? input.text}; buttons: ${buttons.map((b) => `${b.button.action_id ?? '(no action_id)'} ${b.button.text.text}`).join(', ') || 'none'}`);
    }
    const actionTs = nextTs();
    const envelope_id = randomUUID();
    const payload = blockActionsPayload({
      teamId,
      appId,
      user: person,
      channel,
      message: botMessageJson(message),
      messageTs: message.ts,
      found,
      actionTs,
      triggerId: `${seq}.${randomUUID().replace(/-/gu, '').slice(0, 12)}`,
      responseUrl: `${baseUrl}/actions/${teamId}/${envelope_id}`,
    });
    const frame: Record<string, unknown> = { envelope_id, payload, type: 'interactive', accepts_response_payload: false };
    const p: Pending = { record: { envelope_id, type: 'interactive', messageKey: `${channel.id}:${message.ts}`, eventType: 'block_actions', status: 'pending', attempts: [], droppedAcks: 0 }, frame };
    envelopes.push(p);
    transmit(p);
    return { envelopeId: envelope_id, actionTs };
  }

  type Api = (body: Record<string, unknown>, token: string | undefined) => Record<string, unknown>;

  function botAuth(token: string | undefined): Record<string, unknown> | undefined {
    if (token === undefined || token === '') return { ok: false, error: 'not_authed' };
    if (token === appToken) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== botToken) return { ok: false, error: 'invalid_auth' };
    return undefined;
  }

  function postable(body: Record<string, unknown>): { channel: SlackChannel; text: string; blocks: unknown[] | undefined } | Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? channels.get(body.channel) : undefined;
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const blocks = parseBlocks(body.blocks);
    if (!blocks.ok) return blocks.why ? { ok: false, error: 'invalid_blocks', errors: [blocks.why] } : { ok: false, error: 'invalid_blocks' };
    const text = typeof body.text === 'string' ? body.text : '';
    if (text === '' && !blocks.blocks) return { ok: false, error: 'no_text' };
    return { channel, text, blocks: blocks.blocks };
  }

  function botMessageJson(m: SlackChatMessage): Record<string, unknown> {
    const out: Record<string, unknown> = { type: 'message', subtype: 'bot_message', text: m.text, user: botUserId, bot_id: botId, ts: m.ts, team: teamId, app_id: appId };
    if (m.blocks) out.blocks = m.blocks;
    if (m.thread_ts) out.thread_ts = m.thread_ts;
    return out;
  }

  const api: Record<string, Api> = {
    'apps.connections.open': (_body, token) => {
      if (token === undefined || token === '') return { ok: false, error: 'not_authed' };
      if (token === botToken) return { ok: false, error: 'not_allowed_token_type' };
      if (token !== appToken) return { ok: false, error: 'invalid_auth' };
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `${baseUrl.replace(/^http/u, 'ws')}/link/?ticket=${ticket}&app_id=${appId}` };
    },
    'auth.test': (_body, token) =>
      botAuth(token) ?? { ok: true, url: 'https://emulator.slack.com/', team: 'zwgk emulator', user: 'zwgk', team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false },
    'chat.postMessage': (body, token) => {
      const refused = botAuth(token);
      if (refused) return refused;
      const p = postable(body);
      if (!('channel' in p) || !(p.channel as SlackChannel).id) return p as Record<string, unknown>;
      const { channel, text, blocks } = p as { channel: SlackChannel; text: string; blocks: unknown[] | undefined };
      const m: SlackChatMessage = { ts: nextTs(), channel: channel.id, from: 'bot', user: botUserId, text };
      if (blocks) m.blocks = blocks;
      if (typeof body.thread_ts === 'string' && body.thread_ts !== '') m.thread_ts = body.thread_ts;
      addMessage(m);
      return { ok: true, channel: channel.id, ts: m.ts, message: botMessageJson(m) };
    },
    'chat.update': (body, token) => {
      const refused = botAuth(token);
      if (refused) return refused;
      const p = postable(body);
      if (!('channel' in p) || !(p.channel as SlackChannel).id) return p as Record<string, unknown>;
      const { channel, text, blocks } = p as { channel: SlackChannel; text: string; blocks: unknown[] | undefined };
      const m = history.get(channel.id)?.find((x) => x.ts === body.ts);
      if (!m) return { ok: false, error: 'message_not_found' };
      if (m.from !== 'bot') return { ok: false, error: 'cant_update_message' };
      m.text = text;
      if (blocks) m.blocks = blocks;
      else delete m.blocks;
      m.edited = { ts: nextTs() };
      return { ok: true, channel: channel.id, ts: m.ts, text, message: botMessageJson(m) };
    },
    'users.info': (body, token) => {
      const refused = botAuth(token);
      if (refused) return refused;
      const person = [...channels.values()].flatMap((c) => c.members).find((m) => m.id === body.user);
      if (!person) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: { id: person.id, team_id: teamId, name: person.id.toLowerCase(), real_name: person.name, is_bot: false, profile: { real_name: person.name, display_name: person.name } } };
    },
    'conversations.info': (body, token) => {
      const refused = botAuth(token);
      if (refused) return refused;
      const channel = typeof body.channel === 'string' ? channels.get(body.channel) : undefined;
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const direct = channel.id.startsWith('D');
      return {
        ok: true,
        channel: { id: channel.id, name: channel.name, is_channel: !direct, is_group: false, is_im: direct, is_private: false, is_member: true, num_members: channel.members.length + 1, created: 1_600_000_000 },
      };
    },
  };

  async function handleControl(req: HttpRequest, res: ServerResponse, path: string): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : {};
    if (req.method === 'POST' && path === '/channels') {
      sendJson(res, 200, createChannel(body as unknown as { name: string; members: SlackPerson[] }));
      return;
    }
    const a = /^\/channels\/([^/]+)\/messages\/([^/]+)\/actions$/u.exec(path);
    if (a?.[1] && a[2] && req.method === 'POST') {
      sendJson(res, 200, click({ ...(body as { user: string; action_id?: string; text?: string }), channel: decodeURIComponent(a[1]), ts: decodeURIComponent(a[2]) }));
      return;
    }
    const m = /^\/channels\/([^/]+)\/messages$/u.exec(path);
    if (m?.[1] && req.method === 'POST') {
      sendJson(res, 200, post({ ...(body as { user: string; text: string }), channel: decodeURIComponent(m[1]) }));
      return;
    }
    if (m?.[1] && req.method === 'GET') {
      sendJson(res, 200, { messages: history.get(decodeURIComponent(m[1])) ?? [] });
      return;
    }
    if (req.method === 'POST' && path === '/faults') {
      emulator.faults(body as SlackFaults);
      sendJson(res, 200, { ok: true });
      return;
    }
    if (req.method === 'GET' && path === '/envelopes') {
      sendJson(res, 200, { envelopes: emulator.envelopes() });
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  }

  async function handle(req: HttpRequest, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_emulator/')) {
      try {
        await handleControl(req, res, url.pathname.slice('/_emulator'.length));
      } catch (error) {
        sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    const method = /^\/api\/([a-zA-Z.]+)$/u.exec(url.pathname)?.[1];
    const fn = method ? api[method] : undefined;
    if (!method || !fn) {
      sendJson(res, 404, { ok: false, error: 'unknown_method' });
      return;
    }
    counters.apiCalls[method] = (counters.apiCalls[method] ?? 0) + 1;
    let body: Record<string, unknown>;
    try {
      body = await readBody(req);
    } catch {
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    for (const [k, v] of url.searchParams) if (!(k in body)) body[k] = v;
    if (rateLimit && rateLimit.count > 0 && rateLimit.methods.includes(method)) {
      rateLimit.count--;
      counters.rateLimited++;
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(rateLimit.retryAfter) });
      return;
    }
    sendJson(res, 200, fn(body, bearer(req, body)));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(error) });
    });
  });
  const wss = new Wss({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { id: randomUUID(), socket: ws };
      conns.set(conn.id, conn);
      counters.connectionsOpened++;
      const ping = pingIntervalMs > 0 ? setInterval(() => ws.ping(), pingIntervalMs) : undefined;
      ping?.unref();
      ws.on('message', (data, isBinary) => {
        if (!isBinary) onAck(data.toString());
      });
      ws.on('close', () => {
        clearInterval(ping);
        conns.delete(conn.id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: conns.size, debug_info: { host: 'applink-emulator', approximate_connection_time: 18060 }, connection_info: { app_id: appId } }));
      // Envelopes waiting for a connection, or last sent on a connection that is gone, go out now; those
      // outstanding on another live connection wait for their redelivery timer.
      for (const p of envelopes) if (p.record.status === 'pending' && (p.connectionId === undefined || !conns.has(p.connectionId))) transmit(p);
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const emulator: SlackEmulator = {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken,
    appToken,
    botUserId,
    teamId,
    createChannel,
    post,
    click,
    messages: (channel) => (history.get(channel) ?? []).map((m) => ({ ...m })),
    envelopes: () => envelopes.map((p) => ({ ...p.record, attempts: [...p.record.attempts] })),
    connections: () => [...conns.keys()],
    faults(f) {
      if (f.rateLimit) rateLimit = { count: f.rateLimit.count, retryAfter: f.rateLimit.retryAfter ?? 1, methods: f.rateLimit.methods ?? ['chat.postMessage', 'chat.update'] };
      if (f.dropAcks !== undefined) dropAcks = f.dropAcks;
      if (f.disconnect) {
        const reason = f.disconnect.reason ?? 'refresh_requested';
        const grace = f.disconnect.graceMs ?? 20;
        for (const conn of conns.values()) {
          conn.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator' } }));
          setTimeout(() => conn.socket.close(1000), grace).unref();
        }
      }
    },
    counters: () => ({ ...counters, apiCalls: { ...counters.apiCalls } }),
    async close() {
      if (closed) return;
      closed = true;
      for (const p of envelopes) clearTimeout(p.timer);
      for (const conn of conns.values()) conn.socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}
