/**
 * The Stream gateway's WebSocket side: ticket-checked connections on `/connect`, SYSTEM ping and
 * disconnect, robot-message CALLBACKs with ack tracking and redelivery under the same messageId.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { callbackFrame, newConnectionId, parseUpstreamFrame, systemFrame, type DownstreamFrame } from './protocol.js';
import type { AppRecord, EmulatorState } from './state.js';
import type { ConnectionInfo, DeliveryRecord } from './types.js';

/** Where the emulator reports what it ignored or did (strings only). Every method is optional. */
export interface Logger {
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** Timing of the gateway. */
export interface StreamOptions {
  pingIntervalMs: number;
  maxMissedPings: number;
  ackTimeoutMs: number;
  maxRedeliveries: number;
  disconnectGraceMs: number;
  maxConnectionAgeMs: number | undefined;
  logger: Logger;
  /** Picks the connection of a delivery: a number in [0, 1). */
  random: () => number;
}

interface Connection {
  info: ConnectionInfo;
  ws: WebSocket;
  app: AppRecord;
  pendingPings: Map<string, string>;
  timers: Set<NodeJS.Timeout>;
}

/** The WebSocket half of the gateway; `POST /v1.0/gateway/connections/open` lives in the OpenAPI. */
export class StreamGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly connections = new Map<string, Connection>();
  private readonly payloads = new Map<string, { app: AppRecord; data: object }>();
  private readonly ackTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly state: EmulatorState,
    private readonly options: StreamOptions,
  ) {}

  /** Accepts `GET /connect?ticket=…` upgrades with a valid, unused ticket; refuses the rest with 401/404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, text: string): void => {
      const body = JSON.stringify({ code: status === 404 ? 'NotFound' : 'InvalidTicket', message: text });
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Unauthorized'}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname !== '/connect') return refuse(404, `no WebSocket endpoint at ${url.pathname}; use /connect`);
    const ticket = this.state.takeTicket(url.searchParams.get('ticket'));
    const app = ticket && this.state.appByClientId(ticket.clientId);
    if (!ticket || !app) return refuse(401, 'ticket is missing, used or expired; open a new one at /v1.0/gateway/connections/open');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, app, ticket.ua, ticket.subscriptions));
  }

  private accept(ws: WebSocket, app: AppRecord, ua: string, subscriptions: Array<{ type: string; topic: string }>): void {
    const conn: Connection = {
      info: {
        connectionId: newConnectionId(),
        clientId: app.clientId,
        ua,
        subscriptions,
        openedAt: this.state.now(),
        closing: false,
        pingsSent: 0,
        pingsAnswered: 0,
        malformedFrames: 0,
      },
      ws,
      app,
      pendingPings: new Map(),
      timers: new Set(),
    };
    this.connections.set(conn.info.connectionId, conn);
    const id = conn.info.connectionId;
    this.log('info', `stream ${id} open for ${app.clientId} (${ua || 'no ua'})`);
    this.state.emit({ type: 'connection', connection: { ...conn.info }, state: 'open' });

    const ping = setInterval(() => this.ping(conn), this.options.pingIntervalMs);
    conn.timers.add(ping);
    if (this.options.maxConnectionAgeMs !== undefined) {
      conn.timers.add(setTimeout(() => this.sendDisconnect(conn, 'connection is expired', this.options.disconnectGraceMs), this.options.maxConnectionAgeMs));
    }
    ws.on('message', (raw, isBinary) => this.onFrame(conn, raw, isBinary));
    ws.on('error', (e) => this.log('warn', `stream ${id} error: ${e.message}`));
    ws.on('close', () => {
      for (const t of conn.timers) clearTimeout(t);
      conn.timers.clear();
      this.connections.delete(id);
      this.log('info', `stream ${id} closed`);
      this.state.emit({ type: 'connection', connection: { ...conn.info }, state: 'closed' });
    });

    for (const record of this.state.deliveries.values()) {
      if (record.status === 'queued' && record.clientId === app.clientId) this.attempt(record);
    }
  }

  private ping(conn: Connection): void {
    if (conn.pendingPings.size >= this.options.maxMissedPings) {
      this.log('warn', `stream ${conn.info.connectionId} missed ${conn.pendingPings.size} pings; closing`);
      conn.ws.close(1001, 'ping timeout');
      return;
    }
    const frame = systemFrame('ping', { opaque: randomUUID() }, conn.info.connectionId, this.state.now());
    conn.pendingPings.set(frame.headers.messageId, frame.data);
    conn.info.pingsSent++;
    this.state.counters.pings++;
    this.send(conn, frame);
  }

  private onFrame(conn: Connection, raw: RawData, isBinary: boolean): void {
    const id = conn.info.connectionId;
    const malformed = (why: string): void => {
      conn.info.malformedFrames++;
      this.state.counters.malformedFrames++;
      this.log('warn', `stream ${id}: ignored a client frame (${why})`);
    };
    if (isBinary) return malformed('binary frame; frames are JSON text');
    const parsed = parseUpstreamFrame(raw.toString());
    if (!parsed.success) return malformed(parsed.error.message);
    const frame = parsed.data;

    const pingData = conn.pendingPings.get(frame.messageId);
    if (pingData !== undefined) {
      if (frame.code !== 200 || frame.data !== pingData) return malformed(`ping echo ${frame.messageId} must carry code 200 and the ping's data`);
      conn.pendingPings.delete(frame.messageId);
      conn.info.pingsAnswered++;
      this.state.counters.pingEchoes++;
      return;
    }
    const record = this.state.deliveries.get(frame.messageId);
    if (!record || record.clientId !== conn.app.clientId) return malformed(`response to unknown messageId ${frame.messageId}`);
    if (record.status === 'acked') return; // a second ack of a redelivered message
    if (frame.code !== 200) {
      this.log('warn', `stream ${id}: callback ${frame.messageId} answered code ${frame.code}; it will be redelivered`);
      return;
    }
    if (this.state.faults.dropAcks > 0) {
      this.state.faults.dropAcks--;
      record.droppedAcks++;
      this.log('info', `stream ${id}: dropped the ack of ${frame.messageId} (fault)`);
      this.state.emit({ type: 'delivery', delivery: structuredClone(record) });
      return;
    }
    record.status = 'acked';
    record.ackedAt = this.state.now();
    this.state.counters.acks++;
    const timer = this.ackTimers.get(record.messageId);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(record.messageId);
    this.payloads.delete(record.messageId);
    this.state.emit({ type: 'delivery', delivery: structuredClone(record) });
  }

  /** Tracks and pushes a CALLBACK; it waits in the queue while the app has no subscribed connection. */
  deliver(app: AppRecord, topic: string, messageId: string, msgId: string, conversationId: string, data: object): DeliveryRecord {
    const record: DeliveryRecord = {
      messageId,
      msgId,
      conversationId,
      clientId: app.clientId,
      topic,
      status: 'queued',
      attempts: [],
      droppedAcks: 0,
    };
    this.state.deliveries.set(messageId, record);
    this.payloads.set(messageId, { app, data });
    this.attempt(record);
    return structuredClone(record);
  }

  private attempt(record: DeliveryRecord): void {
    const payload = this.payloads.get(record.messageId);
    if (!payload) return;
    // Like DingTalk with several Stream connections open for one app: each delivery, a redelivery too,
    // goes to one of them chosen at random, so an unacked callback may land on another instance.
    const open = [...this.connections.values()].filter(
      (c) =>
        c.app.clientId === record.clientId &&
        !c.info.closing &&
        c.ws.readyState === WebSocket.OPEN &&
        c.info.subscriptions.some((s) => s.type === 'CALLBACK' && s.topic === record.topic),
    );
    const conn = open.length > 0 ? open[Math.min(open.length - 1, Math.floor(this.options.random() * open.length))] : undefined;
    if (!conn) {
      record.status = 'queued';
      this.state.emit({ type: 'delivery', delivery: structuredClone(record) });
      return;
    }
    const frame = callbackFrame(
      record.topic,
      payload.data,
      { appId: payload.app.appId, connectionId: conn.info.connectionId, messageId: record.messageId },
      this.state.now(),
    );
    if (record.attempts.length > 0) this.state.counters.redeliveries++;
    record.attempts.push({ at: this.state.now(), connectionId: conn.info.connectionId });
    record.status = 'pending';
    this.state.counters.callbacksSent++;
    this.send(conn, frame);
    this.state.emit({ type: 'delivery', delivery: structuredClone(record) });
    const timer = setTimeout(() => this.onAckTimeout(record), this.options.ackTimeoutMs);
    this.ackTimers.set(record.messageId, timer);
  }

  private onAckTimeout(record: DeliveryRecord): void {
    this.ackTimers.delete(record.messageId);
    if (record.status !== 'pending') return;
    if (record.attempts.length > this.options.maxRedeliveries) {
      record.status = 'failed';
      this.payloads.delete(record.messageId);
      this.log('warn', `callback ${record.messageId} was never acked after ${record.attempts.length} deliveries`);
      this.state.emit({ type: 'delivery', delivery: structuredClone(record) });
      return;
    }
    this.attempt(record);
  }

  /** Sends SYSTEM disconnect to the app's (or every) open connection and closes each after `graceMs`. */
  disconnect(options: { graceMs?: number; reason?: string; clientId?: string } = {}): number {
    const targets = [...this.connections.values()].filter(
      (c) => !c.info.closing && (options.clientId === undefined || c.app.clientId === options.clientId),
    );
    for (const c of targets) this.sendDisconnect(c, options.reason ?? 'connection is expired', options.graceMs ?? this.options.disconnectGraceMs);
    return targets.length;
  }

  private sendDisconnect(conn: Connection, reason: string, graceMs: number): void {
    if (conn.info.closing) return;
    this.send(conn, systemFrame('disconnect', { reason }, conn.info.connectionId, this.state.now()));
    conn.info.closing = true;
    this.state.emit({ type: 'connection', connection: { ...conn.info }, state: 'closing' });
    conn.timers.add(setTimeout(() => conn.ws.close(1000, 'disconnect'), graceMs));
  }

  /** Pushes raw (malformed) frame texts to every open connection; returns how many frames were sent. */
  sendRaw(frames: readonly string[]): number {
    let sent = 0;
    for (const conn of this.connections.values()) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      for (const f of frames) {
        conn.ws.send(f);
        sent++;
      }
    }
    this.state.counters.malformedFramesSent += sent;
    return sent;
  }

  connectionInfos(): ConnectionInfo[] {
    return [...this.connections.values()].map((c) => ({ ...c.info, subscriptions: [...c.info.subscriptions] }));
  }

  /** Forgets tracked deliveries (state reset). Connections stay open. */
  forgetDeliveries(): void {
    for (const t of this.ackTimers.values()) clearTimeout(t);
    this.ackTimers.clear();
    this.payloads.clear();
  }

  /** Terminates every connection and stops every timer. */
  async close(): Promise<void> {
    this.forgetDeliveries();
    for (const c of this.connections.values()) {
      for (const t of c.timers) clearTimeout(t);
      c.ws.terminate();
    }
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(conn: Connection, frame: DownstreamFrame): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.logger[level]?.(message);
  }
}
