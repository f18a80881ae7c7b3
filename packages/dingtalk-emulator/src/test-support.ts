/** Helpers for this package's tests (not exported): HTTP calls and a raw Stream client on `ws`. */
import WebSocket from 'ws';
import { SANDBOX_APP, type Emulator } from './server.js';
import type { DownstreamFrame } from './protocol.js';

/** An HTTP answer with its parsed JSON (or text). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Calls the emulator with a JSON (or raw string) body. */
export async function call(url: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...init.headers },
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** The subscriptions `dingtalk-stream` sends after `registerCallbackListener(TOPIC_ROBOT, …)`. */
export const ROBOT_SUBSCRIPTIONS = [
  { type: 'EVENT', topic: '*' },
  { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
];

/** A raw Stream client: the frames it received, in order, and a way to wait for more. */
export interface RawClient {
  ws: WebSocket;
  frames: DownstreamFrame[];
  next(predicate: (f: DownstreamFrame) => boolean, timeoutMs?: number): Promise<DownstreamFrame>;
  sendJson(value: unknown): void;
  ack(frame: DownstreamFrame): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a ticket and connects, like `dingtalk-stream` does. */
export async function connectRaw(emu: Emulator, subscriptions = ROBOT_SUBSCRIPTIONS, app = SANDBOX_APP): Promise<RawClient> {
  const open = await call(`${emu.url}/v1.0/gateway/connections/open`, {
    body: { clientId: app.clientId, clientSecret: app.clientSecret, ua: 'test-raw/1.0', subscriptions },
  });
  if (open.status !== 200) throw new Error(`gateway open failed: ${JSON.stringify(open.body)}`);
  const ws = new WebSocket(`${open.body.endpoint}?ticket=${open.body.ticket}`);
  const frames: DownstreamFrame[] = [];
  const waiters: Array<{ predicate: (f: DownstreamFrame) => boolean; resolve: (f: DownstreamFrame) => void }> = [];
  const handed = new Set<DownstreamFrame>();
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as DownstreamFrame;
    frames.push(frame);
    for (const w of [...waiters]) {
      if (!handed.has(frame) && w.predicate(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    next(predicate, timeoutMs = 3000) {
      // Frames that already arrived and were not handed out yet count too.
      const already = frames.find((f) => !handed.has(f) && predicate(f));
      if (already) {
        handed.add(already);
        return Promise.resolve(already);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (f) => {
            clearTimeout(timer);
            handed.add(f);
            resolve(f);
          },
        });
      });
    },
    sendJson: (value) => ws.send(JSON.stringify(value)),
    ack(frame) {
      ws.send(
        JSON.stringify({
          code: 200,
          headers: { contentType: 'application/json', messageId: frame.headers.messageId },
          message: 'OK',
          data: JSON.stringify({ response: null }),
        }),
      );
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
