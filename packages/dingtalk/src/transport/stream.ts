import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientConfig, type DWClientDownStream } from 'dingtalk-stream';
import type { ResolvedConfig } from '../config.js';
import { DingTalkApiError, DingTalkAuthError } from '../errors.js';
import { backoffDelay, classifyOpenApi, type HttpClient } from './http.js';

/** The part of a `ws` WebSocket the stream client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  prependListener(event: string, listener: (...args: never[]) => void): unknown;
}

const OPEN = 1;
const CLOSED = 3;

/** The ack handle of one delivered CALLBACK frame. */
export interface Delivery {
  /** The frame's `headers.messageId`. */
  readonly frameMessageId: string;
  /**
   * Acknowledges the frame on the connection it arrived on (`{code:200, …, data:'{"response":null}'}`).
   * Returns false when that connection is gone: DingTalk then redelivers, and the id dedupe absorbs it.
   */
  ack(): boolean;
}

/** Connection state of the stream client. */
export interface StreamState {
  connected: boolean;
  /** Successful reconnections since `start`. */
  reconnects: number;
  /** When the current connection opened. */
  connectedAt: Date | undefined;
  /** The last connection error, if the client is (re)connecting. */
  lastError: string | undefined;
}

/** Options of {@link DingTalkStreamClient}. */
export interface StreamClientOptions {
  config: Pick<ResolvedConfig, 'clientId' | 'clientSecret' | 'apiBase' | 'reconnect' | 'retry' | 'logger' | 'random' | 'clock' | 'sleep'>;
  http: HttpClient;
  /** Every robot-message CALLBACK frame, with its ack handle. Called synchronously; must not throw. */
  onRobotFrame: (frame: DWClientDownStream, delivery: Delivery) => void;
  /**
   * Every card-button CALLBACK frame (`TOPIC_CARD`), with its ack handle; when given, the client subscribes to
   * the topic. Called synchronously; must not throw.
   */
  onCardFrame?: (frame: DWClientDownStream, delivery: Delivery) => void;
  /** A replaced connection is closed this long after its successor opened (default 30 s). */
  drainMs?: number;
  /** User agent sent to the gateway. */
  ua?: string;
}

interface Internals {
  dw_url?: string;
  userDisconnect: boolean;
}

/**
 * `DWClient` from `dingtalk-stream` with the gateway URL following `apiBase`, and its own connection
 * supervision. The SDK's `autoReconnect` is turned off because, in 2.1.5, a failed connection schedules two
 * reconnects (error and close), heartbeat intervals leak across reconnects, a pending reconnect revives
 * the client after `disconnect()`, and an unreadable frame throws out of the socket's message listener.
 * Instead this client reconnects with capped, jittered backoff after any close, right away after a SYSTEM
 * `disconnect` (keeping the old connection until it drains), and closes a connection whose WebSocket pings
 * go unanswered. Acks go out on the connection the message came in on.
 */
export class DingTalkStreamClient extends DWClient {
  private readonly options: StreamClientOptions;
  private current: SocketLike | undefined;
  private readonly sockets = new Set<SocketLike>();
  private readonly heartbeats = new Map<SocketLike, ReturnType<typeof setInterval>>();
  private inbound: SocketLike | undefined;
  private stopping = true;
  private connecting = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private reconnectCount = 0;
  private connectedAt: Date | undefined;
  private lastError: string | undefined;

  constructor(options: StreamClientOptions) {
    super({ clientId: options.config.clientId, clientSecret: options.config.clientSecret, ua: options.ua ?? 'zwgk-dingtalk', keepAlive: false, debug: false });
    this.options = options;
    const config = this.config as DWClientConfig;
    config.autoReconnect = false;
    // Only robot messages (and card clicks when asked): the SDK's default `EVENT *` subscription would auto-ack every event.
    config.subscriptions = [];
    // Every socket the SDK creates passes through here, before any of its events fire.
    Object.defineProperty(this, 'socket', {
      configurable: true,
      enumerable: false,
      get: () => this.current,
      set: (ws: SocketLike | undefined) => this.adopt(ws),
    });
    this.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) => this.dispatch(frame, options.onRobotFrame));
    const onCard = options.onCardFrame;
    if (onCard) this.registerCallbackListener(TOPIC_CARD, (frame: DWClientDownStream) => this.dispatch(frame, onCard));
  }

  private get internals(): Internals {
    return this as unknown as Internals;
  }

  private get log() {
    return this.options.config.logger;
  }

  /** Asks the gateway at `{apiBase}/v1.0/gateway/connections/open` for a WebSocket endpoint and ticket. */
  override async getEndpoint(): Promise<this> {
    const { config, http } = this.options;
    const outcome = await http.once({
      what: 'stream gateway',
      url: `${config.apiBase}/v1.0/gateway/connections/open`,
      body: { clientId: config.clientId, clientSecret: config.clientSecret, ua: this.config.ua ?? '', subscriptions: this.config.subscriptions },
      classify: classifyOpenApi,
    });
    if (!outcome.ok) {
      if (outcome.kind === 'rejected' || outcome.kind === 'unauthorized') throw new DingTalkAuthError(config.clientId, outcome.status, outcome.code, outcome.message);
      throw new DingTalkApiError({ ...outcome, attempts: 1, what: 'stream gateway' });
    }
    const body = (outcome.body ?? {}) as { endpoint?: unknown; ticket?: unknown };
    if (typeof body.endpoint !== 'string' || body.endpoint === '' || typeof body.ticket !== 'string' || body.ticket === '') {
      throw new Error('stream gateway: the answer has no endpoint or ticket');
    }
    // The endpoint is used as given (host, port, path); only the ticket is added.
    this.internals.dw_url = `${body.endpoint}${body.endpoint.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error), frame: String(data).slice(0, 200) }, 'dingtalk: dropped an unreadable frame');
    }
  }

  override onSystem(frame: DWClientDownStream): void {
    const socket = this.inbound;
    const topic = frame.headers?.topic;
    if (topic === 'ping' && socket !== undefined && socket !== this.current) {
      // A ping on a draining connection is answered there, not on the new one.
      if (socket.readyState === OPEN) socket.send(JSON.stringify({ code: 200, headers: frame.headers, message: 'OK', data: frame.data }));
      return;
    }
    super.onSystem(frame);
    if (topic === 'disconnect' && socket !== undefined && socket === this.current && !this.stopping) {
      this.log.info({}, 'dingtalk: gateway announced a disconnect, reconnecting');
      this.scheduleReconnect(true);
    }
  }

  /** Opens the first connection; retries transient failures `retry.attempts` times, never bad credentials. */
  async start(): Promise<void> {
    if (!this.stopping) return;
    this.stopping = false;
    const { config } = this.options;
    for (let attempt = 1; ; attempt++) {
      this.connecting = true;
      try {
        await this.openOnce();
        this.connecting = false;
        this.failures = 0;
        this.lastError = undefined;
        return;
      } catch (error) {
        this.connecting = false;
        this.lastError = error instanceof Error ? error.message : String(error);
        if (error instanceof DingTalkAuthError || this.stopping || attempt >= config.retry.attempts) {
          await this.stop();
          throw error;
        }
        const delay = backoffDelay(attempt, config.reconnect, config.random);
        this.log.warn({ err: this.lastError, attempt, retryInMs: delay }, 'dingtalk: connecting failed, retrying');
        await config.sleep(delay);
      }
    }
  }

  /** Closes every connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.internals.userDisconnect = true;
    await Promise.all([...this.sockets].map((ws) => this.closeSocket(ws)));
    this.connectedAt = undefined;
  }

  /** Connection state, for health checks. */
  state(): StreamState {
    return { connected: this.current?.readyState === OPEN, reconnects: this.reconnectCount, connectedAt: this.connectedAt, lastError: this.lastError };
  }

  /** Closes the current connection abruptly (tests and diagnostics: supervision reconnects). */
  dropConnection(): void {
    this.current?.terminate();
  }

  private closeSocket(ws: SocketLike): Promise<void> {
    return new Promise<void>((resolve) => {
      if (ws.readyState === CLOSED) {
        resolve();
        return;
      }
      const force = setTimeout(() => ws.terminate(), 2_000);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      try {
        ws.close(1000, 'client stopping');
      } catch {
        ws.terminate();
      }
    });
  }

  private adopt(ws: SocketLike | undefined): void {
    this.current = ws;
    if (ws === undefined) return;
    this.sockets.add(ws);
    ws.prependListener('message', () => {
      this.inbound = ws;
    });
    // The SDK logs socket errors and closes the socket; the close listener below takes over.
    ws.on('open', () => this.startHeartbeat(ws));
    ws.on('close', () => {
      this.sockets.delete(ws);
      const beat = this.heartbeats.get(ws);
      if (beat !== undefined) clearInterval(beat);
      this.heartbeats.delete(ws);
      if (this.inbound === ws) this.inbound = undefined;
      if (ws === this.current) {
        this.connectedAt = undefined;
        if (!this.stopping) {
          this.log.warn({}, 'dingtalk: connection closed, reconnecting');
          this.scheduleReconnect(false);
        }
      }
    });
  }

  private startHeartbeat(ws: SocketLike): void {
    const every = this.options.config.reconnect.heartbeatMs;
    if (every <= 0) return;
    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    const timer = setInterval(() => {
      if (!alive) {
        this.log.warn({}, 'dingtalk: no pong from the gateway, dropping the connection');
        ws.terminate();
        return;
      }
      alive = false;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }, every);
    timer.unref?.();
    this.heartbeats.set(ws, timer);
  }

  private async openOnce(): Promise<void> {
    const previous = this.current;
    await this.getEndpoint();
    if (this.stopping) throw new Error('stream client stopped');
    const timeoutMs = this.options.config.reconnect.connectTimeoutMs;
    const opening = this._connect();
    opening.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the WebSocket did not open within ${timeoutMs} ms`)), timeoutMs);
    });
    const socket = this.current;
    try {
      await Promise.race([opening, timeout]);
    } catch (error) {
      socket?.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.connectedAt = this.options.config.clock();
    if (previous !== undefined && previous !== this.current && previous.readyState !== CLOSED) {
      // The replaced connection may still deliver (and take acks) until DingTalk closes it.
      const drain = setTimeout(() => void this.closeSocket(previous), this.options.drainMs ?? 30_000);
      drain.unref?.();
    }
  }

  private scheduleReconnect(immediate: boolean): void {
    if (this.stopping || this.connecting || this.reconnectTimer !== undefined) return;
    const { config } = this.options;
    const delay = immediate ? 0 : backoffDelay(++this.failures, config.reconnect, config.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopping) return;
      this.connecting = true;
      this.openOnce().then(
        () => {
          this.connecting = false;
          this.failures = 0;
          this.lastError = undefined;
          this.reconnectCount++;
          this.log.info({ reconnects: this.reconnectCount }, 'dingtalk: reconnected');
        },
        (error: unknown) => {
          this.connecting = false;
          this.lastError = error instanceof Error ? error.message : String(error);
          this.log.warn({ err: this.lastError }, 'dingtalk: reconnecting failed');
          this.scheduleReconnect(false);
        },
      );
    }, delay);
  }

  private dispatch(frame: DWClientDownStream, target: (frame: DWClientDownStream, delivery: Delivery) => void): void {
    const socket = this.inbound;
    const frameMessageId = frame.headers?.messageId;
    if (typeof frameMessageId !== 'string' || frameMessageId === '') {
      this.log.warn({ topic: frame.headers?.topic }, 'dingtalk: dropped a callback without a messageId');
      return;
    }
    const delivery: Delivery = {
      frameMessageId,
      ack: () => {
        if (socket === undefined || socket.readyState !== OPEN) return false;
        if (socket === this.current) this.socketCallBackResponse(frameMessageId, null);
        else socket.send(JSON.stringify({ code: 200, headers: { contentType: 'application/json', messageId: frameMessageId }, message: 'OK', data: JSON.stringify({ response: null }) }));
        return true;
      },
    };
    try {
      target(frame, delivery);
    } catch (error) {
      this.log.error({ err: error instanceof Error ? error.message : String(error), topic: frame.headers?.topic }, 'dingtalk: callback dispatch failed');
    }
  }
}
