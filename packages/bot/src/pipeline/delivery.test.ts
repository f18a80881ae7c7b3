import { describe, expect, it } from 'vitest';
import type { IncomingEvent, IncomingMessage } from '../adapter.js';
import { createDelivery } from './delivery.js';
import type { HandleResult } from './message.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function message(messageId: string, platform = 'p'): IncomingMessage {
  return { platform, conversationId: 'c', messageId, senderId: 'u', senderName: 'U', text: '本周', mentions: [], isGroup: true };
}

function event(messageId: string, acks: string[], platform = 'p'): IncomingEvent {
  return {
    message: message(messageId, platform),
    ack: async () => {
      acks.push(messageId);
      return true;
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const handled: HandleResult = { status: 'handled', command: 'status', wrote: false };

describe('createDelivery', () => {
  it('acknowledges a delivery only once its handling resolved', async () => {
    const gate = deferred<HandleResult>();
    const acks: string[] = [];
    const d = createDelivery({ handle: () => gate.promise, logger: quiet });
    const receiving = d.receive(event('m1', acks));
    await Promise.resolve();
    expect(acks).toEqual([]);
    expect(d.inFlight).toBe(1);
    gate.resolve(handled);
    await receiving;
    expect(acks).toEqual(['m1']);
    expect(d.inFlight).toBe(0);
  });

  it('shares one handling among concurrent deliveries of one id, and acknowledges each', async () => {
    const gate = deferred<HandleResult>();
    const acks: string[] = [];
    let calls = 0;
    const d = createDelivery({
      handle: () => {
        calls++;
        return gate.promise;
      },
      logger: quiet,
    });
    const all = Promise.all([d.receive(event('m1', acks)), d.receive(event('m1', acks)), d.receive(event('m1', acks, 'other'))]);
    gate.resolve(handled);
    await all;
    expect(calls).toBe(2); // one per platform: ids are per platform
    expect(acks).toEqual(['m1', 'm1', 'm1']);
  });

  it('leaves a delivery unacknowledged when handling rejects, and handles its redelivery afresh', async () => {
    const acks: string[] = [];
    let calls = 0;
    const d = createDelivery({
      handle: async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('busy'), { retryable: true });
        return handled;
      },
      logger: quiet,
    });
    await d.receive(event('m1', acks));
    expect(acks).toEqual([]);
    await d.receive(event('m1', acks));
    expect(acks).toEqual(['m1']);
    expect(calls).toBe(2);
  });

  it('acknowledges a redelivery of an answered message without handling it again, but retries one that failed', async () => {
    const acks: string[] = [];
    const results: HandleResult[] = [handled, { status: 'failed', command: 'status', wrote: false }, handled];
    let calls = 0;
    const d = createDelivery({ handle: async () => results[calls++]!, logger: quiet });
    await d.receive(event('answered', acks));
    await d.receive(event('answered', acks));
    expect(calls).toBe(1);
    await d.receive(event('failed', acks));
    await d.receive(event('failed', acks));
    expect(calls).toBe(3);
    expect(acks).toEqual(['answered', 'answered', 'failed', 'failed']);
  });

  it('forgets the oldest answered ids beyond its capacity', async () => {
    const acks: string[] = [];
    let calls = 0;
    const d = createDelivery({
      handle: async () => {
        calls++;
        return handled;
      },
      logger: quiet,
      remember: 2,
    });
    for (const id of ['a', 'b', 'c', 'a']) await d.receive(event(id, acks));
    expect(calls).toBe(4);
  });

  it('drains: waits for handlings and their acks, and then takes no delivery until opened again', async () => {
    const gate = deferred<HandleResult>();
    const acks: string[] = [];
    const d = createDelivery({ handle: () => gate.promise, logger: quiet });
    void d.receive(event('m1', acks));
    let drained = false;
    const draining = d.drain().then(() => {
      drained = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    gate.resolve(handled);
    await draining;
    expect(acks).toEqual(['m1']);
    await d.receive(event('m2', acks));
    expect(acks).toEqual(['m1']);
    d.open();
    await d.receive(event('m2', acks));
    expect(acks).toEqual(['m1', 'm2']);
  });

  it('handles at most `concurrency` messages at once, the rest in arrival order; a redelivery joins its waiting handling', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<HandleResult>>>();
    const started: string[] = [];
    const acks: string[] = [];
    const d = createDelivery({
      concurrency: 2,
      logger: quiet,
      handle: (msg) => {
        started.push(msg.messageId);
        const gate = deferred<HandleResult>();
        gates.set(msg.messageId, gate);
        return gate.promise;
      },
    });
    const all = ['m1', 'm2', 'm3', 'm4', 'm3'].map((id) => d.receive(event(id, acks)));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['m1', 'm2']);
    // Waiting ones count as in flight: their redeliveries join them.
    expect(d.inFlight).toBe(4);
    gates.get('m2')!.resolve(handled);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['m1', 'm2', 'm3']);
    gates.get('m1')!.reject(new Error('busy'));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['m1', 'm2', 'm3', 'm4']);
    gates.get('m3')!.resolve(handled);
    gates.get('m4')!.resolve(handled);
    await Promise.all(all);
    expect(acks.sort()).toEqual(['m2', 'm3', 'm3', 'm4']);
    expect(d.inFlight).toBe(0);
  });

  it('starts the next waiting message when a handling releases its slot, and keeps that handling joinable and unacknowledged until it ends', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<HandleResult>>>();
    const started: string[] = [];
    const acks: string[] = [];
    let calls = 0;
    const d = createDelivery({
      concurrency: 1,
      logger: quiet,
      handle: (msg, slot) => {
        calls++;
        started.push(msg.messageId);
        const gate = deferred<HandleResult>();
        gates.set(msg.messageId, gate);
        // Releasing twice gives away one slot only.
        if (msg.messageId === 'm1') {
          slot.release();
          slot.release();
        }
        return gate.promise;
      },
    });
    const first = [d.receive(event('m1', acks)), d.receive(event('m2', acks)), d.receive(event('m3', acks))];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['m1', 'm2']);
    const redelivery = d.receive(event('m1', acks));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    expect(acks).toEqual([]);
    gates.get('m1')!.resolve(handled);
    await Promise.all([first[0], redelivery]);
    expect(acks).toEqual(['m1', 'm1']);
    // m1 ending gave back no second slot: m3 waits for m2's.
    expect(started).toEqual(['m1', 'm2']);
    gates.get('m2')!.resolve(handled);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['m1', 'm2', 'm3']);
    gates.get('m3')!.resolve(handled);
    await Promise.all(first);
    expect(acks.sort()).toEqual(['m1', 'm1', 'm2', 'm3']);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => createDelivery({ handle: async () => handled, logger: quiet, concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
  });

  it('survives an adapter whose ack rejects', async () => {
    const warnings: object[] = [];
    const d = createDelivery({ handle: async () => handled, logger: { ...quiet, warn: (o: object) => void warnings.push(o) } });
    await expect(d.receive({ message: message('m1'), ack: () => Promise.reject(new Error('socket closed')) })).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
