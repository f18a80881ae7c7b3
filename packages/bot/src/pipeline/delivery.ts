import type { IncomingEvent, IncomingMessage } from '../adapter.js';
import type { HandleResult } from './message.js';
import { errorText, type Logger } from './shared.js';

/**
 * Delivery semantics, in one place for every adapter: deduplication of redeliveries, one handling and one
 * reply for concurrent deliveries of one message id, acknowledgement after the handling settled, and a
 * drain on stop.
 */
export interface Delivery {
  /**
   * Takes one delivery from an adapter. Acknowledges it once its message is handled (committed and
   * replied, or answered as a duplicate); leaves it unacknowledged when handling failed for a transient
   * reason or the reply could not be sent, so the platform redelivers. Never rejects.
   */
  receive(event: IncomingEvent): Promise<void>;
  /** Handles one message; a call for a message id being handled shares that handling and its result. */
  handle(msg: IncomingMessage): Promise<HandleResult>;
  /**
   * Runs other work for a message id (re-sending its stored receipt) as that id's handling: deliveries of
   * the id arriving meanwhile join it instead of answering a second time.
   */
  exclusive(key: { platform: string; messageId: string }, work: (slot: Slot) => Promise<HandleResult>): Promise<HandleResult>;
  /** Stops taking deliveries (later ones stay unacknowledged, for redelivery) and waits for those in hand. */
  drain(): Promise<void>;
  /** Takes deliveries again (after a drain). */
  open(): void;
  /** Deliveries being handled now. */
  readonly inFlight: number;
}

/**
 * A handling's place among the {@link DeliveryOptions.concurrency} handled at once. A handling that has
 * nothing left to do but wait (for its reply's marker to ride along with a later commit) releases it, so
 * that a waiting message starts: that message's commit is the one it waits for.
 */
export interface Slot {
  /** Passes the slot to the next waiting message; the handling itself stays under way (redeliveries still join it). Idempotent. */
  release(): void;
}

/** Options of {@link createDelivery}. */
export interface DeliveryOptions {
  /** Handles one message (the message pipeline); `slot` may be released before the handling ends. */
  handle: (msg: IncomingMessage, slot: Slot) => Promise<HandleResult>;
  logger: Logger;
  /** How many recently answered message ids to remember, so a redelivery is acknowledged without a second answer (default 5 000). */
  remember?: number;
  /**
   * Messages handled at the same time (default 64); later ones wait their turn in arrival order, and their
   * redeliveries join the waiting handling. A bound keeps a burst from crowding the event loop so much that
   * the bot's own sends time out (and so become uncertain) while their answers sit unread. A handling
   * releases its slot once it only waits for its reply's marker to be committed (see {@link Slot}): kept,
   * the slots all ended up waiting for a commit that only a new message would start, and a burst stalled
   * for 100 ms at a time.
   */
  concurrency?: number;
}

const keyOf = (msg: { platform: string; messageId: string }): string => `${msg.platform}\u0000${msg.messageId}`;

/**
 * Creates the engine's delivery layer over the message pipeline.
 *
 * Redeliveries of a message that changed state are answered from the store's processed-message row (its
 * reply is re-sent only if it never went out); redeliveries of a read-only message answered recently are
 * acknowledged without a second answer.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { logger } = options;
  const capacity = options.remember ?? 5_000;
  const concurrency = options.concurrency ?? 64;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`createDelivery: concurrency must be a positive integer, got ${concurrency}`);
  const running = new Map<string, Promise<HandleResult>>();
  // Handlings holding a slot, and the starts of those waiting for one (first come, first served).
  let active = 0;
  const waiting: Array<() => void> = [];
  const answered = new Map<string, true>();
  // Deliveries between arrival and acknowledgement, so that a drain also waits for the acks.
  const receiving = new Set<Promise<void>>();
  let accepting = true;

  function rememberAnswered(key: string): void {
    answered.delete(key);
    answered.set(key, true);
    if (answered.size > capacity) answered.delete(answered.keys().next().value as string);
  }

  function handle(msg: IncomingMessage): Promise<HandleResult> {
    return exclusive(msg, (slot) => options.handle(msg, slot));
  }

  async function inSlot(work: (slot: Slot) => Promise<HandleResult>): Promise<HandleResult> {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      // The slot passes straight to the next waiting handling, so `active` stays counted.
      const next = waiting.shift();
      if (next) next();
      else active--;
    };
    try {
      return await work({ release });
    } finally {
      release();
    }
  }

  function exclusive(id: { platform: string; messageId: string }, work: (slot: Slot) => Promise<HandleResult>): Promise<HandleResult> {
    const key = keyOf(id);
    const current = running.get(key);
    if (current) return current;
    const started = inSlot(work);
    running.set(key, started);
    const settle = (): void => {
      if (running.get(key) === started) running.delete(key);
    };
    started.then((result) => {
      settle();
      if (result.status !== 'failed') rememberAnswered(key);
    }, settle);
    return started;
  }

  async function ack(event: IncomingEvent): Promise<void> {
    try {
      await event.ack();
    } catch (error) {
      // The contract says ack never rejects; an adapter that does must not stop the engine.
      logger.warn({ err: errorText(error), messageId: event.message.messageId }, 'acknowledgement failed');
    }
  }

  function receive(event: IncomingEvent): Promise<void> {
    const done = receiveNow(event);
    receiving.add(done);
    void done.finally(() => receiving.delete(done));
    return done;
  }

  async function receiveNow(event: IncomingEvent): Promise<void> {
    const msg = event.message;
    if (!accepting) {
      logger.info({ platform: msg.platform, messageId: msg.messageId }, 'stopping: delivery left for redelivery');
      return;
    }
    const key = keyOf(msg);
    if (!running.has(key) && answered.has(key)) {
      await ack(event);
      return;
    }
    try {
      await handle(msg);
    } catch (error) {
      logger.warn({ err: errorText(error), platform: msg.platform, conversationId: msg.conversationId, messageId: msg.messageId }, 'not acknowledged: the platform will redeliver');
      return;
    }
    await ack(event);
  }

  return {
    receive,
    handle,
    exclusive,
    async drain() {
      accepting = false;
      // Deliveries may still join running handlings while earlier ones finish: wait until none is left.
      while (running.size > 0 || receiving.size > 0) await Promise.allSettled([...running.values(), ...receiving]);
    },
    open() {
      accepting = true;
    },
    get inFlight() {
      return running.size;
    },
  };
}
