// A tiny DingTalk on loopback for the adapter's own tests: gateway, WebSocket frames, oauth2, robot
// sends and session webhooks, each scriptable. (The protocol-faithful emulator is @zwgk/dingtalk-emulator.)
import { createServer, type IncomingMessage as HttpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Recorded {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeDingTalk {
  url: string;
  requests: Recorded[];
  /** Frames the client sent (acks, ping echoes), parsed. */
  received: any[];
  sockets: WebSocket[];
  /** Answers the next calls to `path` with these, in order (then the default answer). */
  script(path: string, ...answers: Scripted[]): void;
  /** Sends a frame to the newest connection. */
  push(frame: object | string, socket?: WebSocket): void;
  callback(data: object | string, messageId?: string): string;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  acksFor(messageId: string): any[];
  connections: number;
  /** Request URLs of WebSocket upgrades, in order. */
  upgrades: string[];
  /** Secret the gateway and oauth2 accept. */
  secret: string;
  close(): Promise<void>;
}

let frameCounter = 0;

export function robotData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    conversationId: 'cidGroupA',
    conversationType: '2',
    conversationTitle: '郭道镇工作群',
    msgId: `msg-${++frameCounter}`,
    msgtype: 'text',
    text: { content: ' 确认 4' },
    senderStaffId: 'staff-1',
    senderNick: '张三',
    senderCorpId: 'corp',
    isAdmin: false,
    chatbotUserId: '$:LWCP_v1:$bot',
    robotCode: 'robot-1',
    atUsers: [{ dingtalkId: '$:LWCP_v1:$bot' }],
    isInAtList: true,
    createAt: 1_700_000_000_000,
    sessionWebhook: 'http://127.0.0.1:1/placeholder',
    sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
    ...overrides,
  };
}

export async function startFakeDingTalk(options: { secret?: string; autoPong?: boolean } = {}): Promise<FakeDingTalk> {
  const secret = options.secret ?? 'secret-1';
  const requests: Recorded[] = [];
  const received: any[] = [];
  const sockets: WebSocket[] = [];
  const upgrades: string[] = [];
  const scripts = new Map<string, Scripted[]>();
  let tokenCounter = 0;
  let ticketCounter = 0;
  let connections = 0;
  let url = '';

  const answer = (res: ServerResponse, a: Scripted) => {
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(a.body === undefined ? '' : JSON.stringify(a.body));
  };

  const server = createServer((req: HttpRequest, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        // keep text
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ path, headers: req.headers, body });
      const queued = scripts.get(path);
      if (queued && queued.length > 0) return answer(res, queued.shift() as Scripted);
      if (path === '/v1.0/gateway/connections/open') {
        if (body?.clientSecret !== secret) return answer(res, { status: 400, body: { code: 'InvalidAuthentication', message: 'bad client' } });
        return answer(res, { status: 200, body: { endpoint: `${url.replace('http', 'ws')}/connect`, ticket: `ticket-${++ticketCounter}` } });
      }
      if (path === '/v1.0/oauth2/accessToken') {
        if (body?.appSecret !== secret) return answer(res, { status: 400, body: { code: 'invalidClientSecret', message: 'appSecret is wrong', requestid: 'r1' } });
        return answer(res, { status: 200, body: { accessToken: `token-${++tokenCounter}`, expireIn: 7200 } });
      }
      if (path === '/v1.0/robot/groupMessages/send' || path === '/v1.0/robot/oToMessages/batchSend') {
        if (!String(req.headers['x-acs-dingtalk-access-token'] ?? '').startsWith('token-')) return answer(res, { status: 401, body: { code: 'InvalidAuthentication', message: 'no token' } });
        return answer(res, { status: 200, body: { processQueryKey: `pqk-${requests.length}` } });
      }
      if (path.startsWith('/webhook/')) return answer(res, { status: 200, body: { errcode: 0, errmsg: 'ok' } });
      answer(res, { status: 404, body: { code: 'notFound', message: path } });
    });
  });
  const wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push(req.url ?? '');
    if (!(req.url ?? '').includes('ticket=ticket-')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections++;
      sockets.push(ws);
      ws.on('message', (data) => {
        try {
          received.push(JSON.parse(String(data)));
        } catch {
          received.push(String(data));
        }
      });
      ws.on('close', () => {
        const i = sockets.indexOf(ws);
        if (i >= 0) sockets.splice(i, 1);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeDingTalk = {
    url,
    requests,
    received,
    sockets,
    upgrades,
    secret,
    get connections() {
      return connections;
    },
    script(path, ...answers) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    push(frame, socket) {
      const target = socket ?? sockets[sockets.length - 1];
      if (!target) throw new Error('fake dingtalk: no connection');
      target.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    callback(data, messageId) {
      const id = messageId ?? `frame-${++frameCounter}`;
      fake.push({
        specVersion: '1.0',
        type: 'CALLBACK',
        headers: { appId: 'app', connectionId: 'c', contentType: 'application/json', messageId: id, time: String(Date.now()), topic: '/v1.0/im/bot/messages/get' },
        data: typeof data === 'string' ? data : JSON.stringify(data),
      });
      return id;
    },
    async waitFor(probe, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as any;
        if (Date.now() > until) throw new Error('fake dingtalk: waitFor timed out');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    acksFor(messageId) {
      return received.filter((f) => f && typeof f === 'object' && f.headers?.messageId === messageId && f.code === 200);
    },
    async close() {
      for (const ws of [...sockets]) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
