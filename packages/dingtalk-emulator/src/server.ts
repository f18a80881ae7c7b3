/** `startEmulator`: wires the state, the Stream gateway, the OpenAPI, the control API and the page on 127.0.0.1. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clickCard, type CardClickInput, type CardClickResult, type CardInstance, type CardTemplate } from './cards.js';
import { handleControl, injectFaults, postUserMessage, snapshot, type ControlContext, type UserMessageInput } from './control.js';
import { sendJson } from './http.js';
import { handleOpenApi } from './openapi.js';
import { PAGE_CSP, renderPage, type PageExtras } from './page.js';
import { EmulatorState } from './state.js';
import { StreamGateway, type Logger } from './stream.js';
import type {
  ChatMessage,
  ConnectionInfo,
  DeliveryRecord,
  EmulatorApp,
  EmulatorEvent,
  EmulatorSnapshot,
  FaultInput,
  FaultState,
  Group,
  GroupInput,
  Limits,
} from './types.js';

/** The app the emulator knows when none is configured (the sandbox's credentials). */
export const SANDBOX_APP: Readonly<EmulatorApp> = Object.freeze({
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  robotCode: 'sandbox-robot',
  name: '政务公开助手',
});

/** The default port of the CLI and of `startEmulator` without `port`. */
export const DEFAULT_PORT = 8790;

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1. Default 8790; 0 picks a free one. */
  port?: number;
  /** Apps with robots. Default `[SANDBOX_APP]` (`sandbox-client` / `sandbox-secret` / `sandbox-robot`). */
  apps?: EmulatorApp[];
  /** Groups created at start. */
  groups?: GroupInput[];
  /** Interactive card templates known at start (see {@link CardTemplate}). Default none: `createAndDeliver` refuses unknown ids. */
  cardTemplates?: CardTemplate[];
  /** The organisation's corpId in callbacks. Default `'dingsandboxcorp'`. */
  corpId?: string;
  /** Access-token lifetime (`expireIn`). Default 7200 s. */
  tokenTtlSeconds?: number;
  /** Stream ticket lifetime. Default 90 000 ms (DingTalk: 90 s, single use). */
  ticketTtlMs?: number;
  /** Session-webhook lifetime (`sessionWebhookExpiredTime`). Default 90 min. */
  sessionWebhookTtlMs?: number;
  /** SYSTEM ping interval. Default 30 000 ms. */
  pingIntervalMs?: number;
  /** Unanswered pings before the gateway closes a connection. Default 3. */
  maxMissedPings?: number;
  /** Time before an unacked CALLBACK is redelivered with the same messageId. Default 60 000 ms. */
  ackTimeoutMs?: number;
  /** Redeliveries of an unacked CALLBACK before it counts as failed. Default 3. */
  maxRedeliveries?: number;
  /** Time between SYSTEM disconnect and the server's close. Default 1000 ms (DingTalk waits about 10 s). */
  disconnectGraceMs?: number;
  /** Disconnect every connection this long after it opened, like DingTalk's periodic rebalancing. Default never. */
  maxConnectionAgeMs?: number;
  /**
   * Chooses which of an app's open Stream connections gets a callback (each delivery and each redelivery
   * anew, like DingTalk): a number in [0, 1). Default `Math.random`.
   */
  random?: () => number;
  /** Rate and size limits. Default: no rate limits, msgParam 15 000 bytes, webhook content 20 000 bytes. */
  limits?: Partial<Limits>;
  /** The clock of timestamps and expiries (ms). Default `Date.now`. */
  now?: () => number;
  /** Where ignored frames and connection changes are reported. Default: silent. */
  logger?: Logger;
  /** Title and trusted HTML for the page's header (`<div id="sandbox-controls">`). */
  pageExtras?: PageExtras;
  /**
   * Extra HTTP routes, asked first: return true when the request was handled (e.g. `/_sandbox/*`).
   * A throw answers 500; the emulator keeps running.
   */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`: the page, the control API and the DingTalk API base (`apiBase` of the adapter). */
  readonly url: string;
  readonly port: number;
  /** The WebSocket endpoint the gateway hands out (`ws://127.0.0.1:PORT/connect`). */
  readonly wsEndpoint: string;
  /** The configured apps. */
  readonly apps: EmulatorApp[];
  /** Adds a group. @throws Error on invalid input or a taken conversationId. */
  createGroup(input: GroupInput): Group;
  groups(): Group[];
  /** Every message of a group, in order, the robot's included. @throws Error for an unknown group. */
  messages(conversationId: string): ChatMessage[];
  /** A member types in a group (see `POST /_emulator/groups/:id/messages`). @throws Error on invalid input. */
  postMessage(conversationId: string, input: UserMessageInput): { msgId: string; messageId?: string };
  /** Resolves with the next message added anywhere that satisfies `predicate`; rejects after `timeoutMs` (default 5000). */
  nextMessage(predicate?: (m: ChatMessage) => boolean, timeoutMs?: number): Promise<ChatMessage>;
  /** Registers (or replaces) a card template (see `POST /_emulator/card-templates`). @throws Error on invalid input. */
  registerCardTemplate(template: CardTemplate): Required<CardTemplate>;
  /** Every interactive card instance, in creation order. */
  cards(): CardInstance[];
  /**
   * A member clicks a card's button (see `POST /_emulator/cards/:outTrackId/actions`): the callback goes
   * to the app on topic `/v1.0/card/instances/callback`, queued, acked and redelivered like robot messages.
   * @throws Error for an unknown card or button, a non-member, or a card without `callbackType: 'STREAM'`.
   */
  clickCard(outTrackId: string, input: CardClickInput): CardClickResult;
  /** Arms faults (see `POST /_emulator/faults`). @throws Error on invalid input. */
  injectFaults(faults: FaultInput): FaultState;
  clearFaults(): FaultState;
  /** Changes rate and size limits; `null` removes a rate limit. @throws Error on invalid input. */
  setLimits(limits: { [K in keyof Limits]?: Limits[K] | null }): Limits;
  /** `GET /_emulator/state`. */
  state(): EmulatorSnapshot;
  deliveries(): DeliveryRecord[];
  connections(): ConnectionInfo[];
  /** Subscribes to the event feed; returns the unsubscribe function. */
  on(listener: (event: EmulatorEvent) => void): () => void;
  /** Forgets groups, messages, tokens, deliveries, faults and counters; connections stay. */
  reset(): void;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * Starts a DingTalk emulator on 127.0.0.1: the Stream gateway (`/v1.0/gateway/connections/open`,
 * WebSocket `/connect`), oauth2 access tokens, robot `groupMessages/send`, session webhooks, interactive
 * cards (`/v1.0/card/instances/createAndDeliver`, `PUT /v1.0/card/instances`, clicks on `TOPIC_CARD`),
 * the control API under `/_emulator/` and the web page at `/`.
 *
 * @example
 * const emu = await startEmulator({ port: 0, ackTimeoutMs: 200 });
 * const group = emu.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] });
 * // point the adapter at emu.url with SANDBOX_APP's credentials, then:
 * emu.postMessage(group.conversationId, { senderStaffId: 'u1', text: '确认 4' });
 * const reply = await emu.nextMessage((m) => m.from === 'bot');
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const logger = options.logger ?? {};
  const state = new EmulatorState({
    apps: options.apps ?? [{ ...SANDBOX_APP }],
    corpId: options.corpId ?? 'dingsandboxcorp',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
    ticketTtlMs: options.ticketTtlMs ?? 90_000,
    sessionWebhookTtlMs: options.sessionWebhookTtlMs ?? 90 * 60_000,
    limits: { maxMsgParamBytes: 15_000, maxWebhookBytes: 20_000, ...options.limits },
    now: options.now ?? Date.now,
  });
  const stream = new StreamGateway(state, {
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    maxMissedPings: options.maxMissedPings ?? 3,
    ackTimeoutMs: options.ackTimeoutMs ?? 60_000,
    maxRedeliveries: options.maxRedeliveries ?? 3,
    disconnectGraceMs: options.disconnectGraceMs ?? 1000,
    maxConnectionAgeMs: options.maxConnectionAgeMs,
    logger,
    random: options.random ?? Math.random,
  });
  let baseUrl = '';
  const ctx: ControlContext = { state, stream, baseUrl: () => baseUrl, sseClients: new Set() };
  const page = renderPage(options.pageExtras);

  for (const g of options.groups ?? []) orThrow(state.createGroup(g));
  for (const t of options.cardTemplates ?? []) orThrow(state.cards.registerTemplate(t));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (options.extraRoutes && (await options.extraRoutes(req, res, url))) return;
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' });
      res.end(page);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (await handleOpenApi(ctx, req, res, url)) return;
    if (await handleControl(ctx, req, res, url)) return;
    sendJson(res, 404, { code: 'NotFound', message: `no route ${req.method} ${url.pathname}`, requestid: '' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error?.(`request ${req.method} ${req.url} failed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: `emulator error: ${(e as Error).message}` });
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => stream.handleUpgrade(req, socket, head));
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${options.port ?? DEFAULT_PORT} on 127.0.0.1 is in use` : e.message)),
    );
    server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  let closed = false;
  return {
    url: baseUrl,
    port,
    wsEndpoint: `ws://127.0.0.1:${port}/connect`,
    apps: state.apps.map(({ clientId, clientSecret, robotCode, name }) => ({ clientId, clientSecret, robotCode, name })),
    createGroup: (input) => orThrow(state.createGroup(input)),
    groups: () => state.listGroups(),
    messages: (cid) => {
      const list = state.messagesOf(cid);
      if (!list) throw new Error(`no group with conversationId ${cid}`);
      return list;
    },
    postMessage: (cid, input) => orThrow(postUserMessage(ctx, cid, input)),
    nextMessage: (predicate = () => true, timeoutMs = 5000) =>
      new Promise<ChatMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          state.events.off('event', listener);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (e: EmulatorEvent): void => {
          if (e.type === 'message' && predicate(e.message)) {
            clearTimeout(timer);
            state.events.off('event', listener);
            resolve(e.message);
          }
        };
        state.events.on('event', listener);
      }),
    registerCardTemplate: (template) => orThrow(state.cards.registerTemplate(template)),
    cards: () => state.cards.listInstances(),
    clickCard: (outTrackId, input) => orThrow(clickCard(state, stream, outTrackId, input)),
    injectFaults: (faults) => {
      const r = orThrow(injectFaults(ctx, faults));
      const { disconnected: _, ...rest } = r;
      return rest;
    },
    clearFaults: () => state.clearFaults(),
    setLimits: (limits) => orThrow(state.setLimits(limits)),
    state: () => snapshot(ctx),
    deliveries: () => [...state.deliveries.values()].map((d) => structuredClone(d)),
    connections: () => stream.connectionInfos(),
    on: (listener) => {
      state.events.on('event', listener);
      return () => state.events.off('event', listener);
    },
    reset: () => {
      stream.forgetDeliveries();
      state.reset();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const res of ctx.sseClients) res.end();
      ctx.sseClients.clear();
      await stream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function orThrow<T>(r: { success: true; data: T } | { success: false; error: { status: number; message: string } }): T {
  if (!r.success) throw new Error(r.error.message);
  return r.data;
}
