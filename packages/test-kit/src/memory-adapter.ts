import { renderPlainText, type Adapter, type EventHandler, type IncomingMessage, type Mention, type OutgoingFile, type OutgoingMessage, type SendOptions, type SentMessage } from '@zwgk/chat-contract';

/** One message the bot sent through a {@link MemoryAdapter}. */
export interface SentRecord {
  /** `send` (digest, nudge), `reply` (answer to a message), `update` (a sent message replaced) or `file`. */
  kind: 'send' | 'reply' | 'update' | 'file';
  conversationId: string;
  /** The incoming message id a reply answers. */
  replyTo?: string;
  message?: OutgoingMessage;
  file?: OutgoingFile;
  mentions: Mention[];
  /** The message's plain text (see `renderPlainText`), for assertions. */
  text: string;
  /** Platform id the adapter gave the message. */
  messageId: string;
}

/** A member of a simulated chat. */
export interface Person {
  id: string;
  name: string;
}

/** What {@link MemoryAdapter.say} takes: who says what where. */
export interface SayOptions {
  /** Message id (default: a fresh one); pass the same id twice to simulate redelivery. */
  messageId?: string;
  /** People @-mentioned besides the bot. */
  mentions?: Person[];
  /** Default true. */
  isGroup?: boolean;
  conversationTitle?: string;
  /** Makes the message a tap on a button (see {@link MemoryAdapter.tap}). */
  action?: { id: string; sourceMessageId?: string };
}

/** Options of {@link createMemoryAdapter}. */
export interface MemoryAdapterOptions {
  /** Platform id (default `memory`). */
  platform?: string;
  /** How {@link SentRecord.text} shows a message (default: plain text, `renderPlainText`); e.g. a platform's renderer. */
  render?: (message: OutgoingMessage) => string;
  /** Offer `sendFile` (default true). */
  files?: boolean;
}

/** The plain text of a message, as a terminal shows it (see `renderPlainText` of `@zwgk/chat-contract`). */
export function textOf(message: OutgoingMessage): string {
  return renderPlainText(message);
}

/**
 * A chat platform in memory: the bot's `Adapter` on one side, a test's hands on the other. `say` delivers a
 * message the way a platform does, with an acknowledge function (and resolves when the bot is done with it);
 * `sent` records everything the bot sent; `failSends` makes the next sends fail like a flaky network.
 */
export class MemoryAdapter implements Adapter {
  readonly platform: string;
  private readonly renderText: (message: OutgoingMessage) => string;
  readonly supportsButtons = true;
  readonly sendFile?: (conversationId: string, file: OutgoingFile) => Promise<SentMessage>;
  /** Everything sent, in order. */
  readonly sent: SentRecord[] = [];
  /** The message ids of acknowledged deliveries, in order (one entry per acknowledged delivery). */
  readonly acks: string[] = [];
  connected = false;
  private handler: EventHandler | undefined;
  /** The last failure of a reply to each message id, to explain a delivery left unacknowledged. */
  private readonly replyFailures = new Map<string, Error>();
  private counter = 0;
  private failures: Array<(conversationId: string, message: OutgoingMessage) => Error | null> = [];
  private hangs = 0;
  private hangsBefore = 0;
  private hangAt: number | undefined;
  private attempts = 0;

  constructor(options: MemoryAdapterOptions = {}) {
    this.platform = options.platform ?? 'memory';
    this.renderText = options.render ?? textOf;
    if (options.files !== false) {
      this.sendFile = async (conversationId, file) => {
        const messageId = this.nextId('file');
        this.sent.push({ kind: 'file', conversationId, file, mentions: [], text: file.filename, messageId });
        return { messageId };
      };
    }
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  onEvent(handler: EventHandler): void {
    this.handler = handler;
  }

  private async deliverOut(kind: 'send' | 'reply', conversationId: string, message: OutgoingMessage, options: SendOptions | undefined, replyTo?: string): Promise<SentMessage> {
    this.attempts += 1;
    if (this.hangsBefore > 0) {
      this.hangsBefore -= 1;
      // Never settles, before the request: a process that dies after its commit, before sending.
      return new Promise<SentMessage>(() => {});
    }
    // The request leaves here (a hang is a process dying mid-request): the engine's send marker comes first.
    await options?.beforeRequest?.();
    const hangHere = this.hangAt !== undefined && this.attempts >= this.hangAt;
    if (hangHere) this.hangAt = undefined;
    if (this.hangs > 0 || hangHere) {
      if (!hangHere) this.hangs -= 1;
      // Never settles: a process that dies in the middle of a send's request (it may have arrived).
      return new Promise<SentMessage>(() => {});
    }
    for (const [i, failure] of this.failures.entries()) {
      const error = failure(conversationId, message);
      if (error) {
        this.failures.splice(i, 1);
        if (replyTo !== undefined) this.replyFailures.set(replyTo, error);
        throw error;
      }
    }
    const messageId = this.nextId(kind);
    const record: SentRecord = { kind, conversationId, message, mentions: [...(options?.mentions ?? [])], text: this.renderText(message), messageId };
    if (replyTo !== undefined) record.replyTo = replyTo;
    this.sent.push(record);
    return { messageId };
  }

  /** Replaces a message sent earlier: recorded as an `update` whose `messageId` is the replaced message's id. */
  async update(conversationId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    if (!this.sent.some((r) => r.messageId === messageId && r.conversationId === conversationId)) throw new Error(`MemoryAdapter.update: no message ${messageId} in ${conversationId}`);
    this.sent.push({ kind: 'update', conversationId, message, mentions: [], text: this.renderText(message), messageId });
  }

  /**
   * Taps a button of a message the bot sent, as a platform delivers it: a message whose `text` is the
   * button's command and whose `action` names the button and the message. Pass the same `messageId` twice
   * to replay a callback. Returns the replies, like {@link MemoryAdapter.say}.
   */
  async tap(sent: SentRecord, label: string, sender: Person, options: { messageId?: string } = {}): Promise<SentRecord[]> {
    const action = sent.message?.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.label === label || a.id === label);
    if (!action) throw new Error(`MemoryAdapter.tap: no button "${label}" on message ${sent.messageId}`);
    return this.say(sent.conversationId, sender, action.command, { ...options, action: { id: action.id, sourceMessageId: sent.messageId } });
  }

  async send(conversationId: string, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage> {
    return this.deliverOut('send', conversationId, message, options);
  }

  async reply(incoming: IncomingMessage, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage> {
    return this.deliverOut('reply', incoming.conversationId, message, options, incoming.messageId);
  }

  /**
   * Delivers a message from `sender` in `conversationId`, with an acknowledge function, and waits until the
   * bot is done with it. Returns the replies to it. Rejects when the bot left the delivery unacknowledged (a
   * real platform would then redeliver), with the reply's failure as the reason when a reply failed.
   */
  async say(conversationId: string, sender: Person, text: string, options: SayOptions = {}): Promise<SentRecord[]> {
    if (!this.handler) throw new Error('MemoryAdapter.say: no handler registered (start the bot first)');
    const messageId = options.messageId ?? this.nextId('in');
    const msg: IncomingMessage = {
      platform: this.platform,
      conversationId,
      messageId,
      senderId: sender.id,
      senderName: sender.name,
      text,
      mentions: (options.mentions ?? []).map((p) => ({ id: p.id, name: p.name })),
      isGroup: options.isGroup ?? true,
      ...(options.conversationTitle === undefined ? {} : { conversationTitle: options.conversationTitle }),
      ...(options.action === undefined ? {} : { action: options.action }),
    };
    let acknowledged = false;
    this.replyFailures.delete(messageId);
    await this.handler({
      message: msg,
      ack: async () => {
        acknowledged = true;
        this.acks.push(messageId);
        return true;
      },
    });
    if (!acknowledged) {
      const cause = this.replyFailures.get(messageId);
      throw new Error(`message ${messageId} was not acknowledged (the platform would redeliver it)${cause ? `: ${cause.message}` : ''}`, { cause });
    }
    return this.sent.filter((r) => r.kind === 'reply' && r.replyTo === messageId);
  }

  /** Makes the next `count` sends (or replies) fail with `error`, optionally only to one conversation. */
  failSends(count = 1, options: { conversationId?: string; error?: Error } = {}): void {
    for (let i = 0; i < count; i++) {
      this.failures.push((conversationId) =>
        options.conversationId === undefined || options.conversationId === conversationId ? (options.error ?? new Error('simulated send failure')) : null,
      );
    }
  }

  /**
   * Makes the next `count` sends never settle, like a process killed in the middle of a send: inside the
   * request (`'request'`, the default: after the engine's `beforeRequest` marker, so the send is uncertain)
   * or before it (`'before-request'`: nothing left, nothing marked).
   */
  hangSends(count = 1, where: 'request' | 'before-request' = 'request'): void {
    if (where === 'before-request') this.hangsBefore += count;
    else this.hangs += count;
  }

  /** Lets `count` more sends through, then makes the next one never settle (a crash in the middle of a run). */
  hangAfter(count: number): void {
    this.hangAt = this.attempts + count + 1;
  }

  /** What the bot sent to one conversation (digests, nudges, replies). */
  messagesTo(conversationId: string, kind?: SentRecord['kind']): SentRecord[] {
    return this.sent.filter((r) => r.conversationId === conversationId && (kind === undefined || r.kind === kind));
  }

  /** Forgets what was sent. */
  clear(): void {
    this.sent.length = 0;
  }
}

/**
 * Creates an in-memory adapter.
 *
 * @example
 * const chat = createMemoryAdapter();
 * const bot = createBot({ plan, store, adapters: [chat], clock });
 * await bot.start();
 * const [receipt] = await chat.say('g-guodao', { id: 'u1', name: '张三' }, '@政务公开助手 确认 4');
 * expect(receipt?.text).toContain('按时完成');
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter(options);
}
