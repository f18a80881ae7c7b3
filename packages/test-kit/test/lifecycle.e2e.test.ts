import type { IncomingMessage, OutgoingMessage, SendOptions, SentMessage } from '@zwgk/bot';
import { describe, expect, it } from 'vitest';
import { MemoryAdapter, createTestBot, groupOf, liaisonOf, manualClock, setupCounty } from '../src/index.js';

/** A memory chat whose sends and replies wait at a gate the test opens. */
class GatedAdapter extends MemoryAdapter {
  gated = false;
  private waiting: Array<() => void> = [];
  private arrivals: Array<() => void> = [];

  private async gate(): Promise<void> {
    if (!this.gated) return;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      for (const arrived of this.arrivals.splice(0)) arrived();
    });
  }

  /** Resolves once something waits at the gate. */
  reached(): Promise<void> {
    if (this.waiting.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  open(): void {
    this.gated = false;
    for (const release of this.waiting.splice(0)) release();
  }

  override async send(conversationId: string, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage> {
    await this.gate();
    return super.send(conversationId, message, options);
  }

  override async reply(incoming: IncomingMessage, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage> {
    await this.gate();
    return super.reply(incoming, message, options);
  }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Bot.stop', () => {
  it('waits for a message still being handled before it resolves', async () => {
    const chat = new GatedAdapter();
    const t = await createTestBot({ chat });
    await setupCounty(t, { units: ['郭道镇'] });
    chat.gated = true;
    const msg: IncomingMessage = {
      platform: chat.platform,
      conversationId: groupOf('郭道镇'),
      messageId: 'm-1',
      senderId: liaisonOf('郭道镇').id,
      senderName: liaisonOf('郭道镇').name,
      text: '帮助',
      mentions: [],
      isGroup: true,
    };
    const handling = t.bot.handleMessage(msg);
    await chat.reached();
    let stopped = false;
    const stopping = t.bot.stop().then(() => {
      stopped = true;
    });
    await settled();
    expect(stopped).toBe(false);
    chat.open();
    await stopping;
    expect(await handling).toMatchObject({ status: 'handled' });
    expect(chat.messagesTo(groupOf('郭道镇'), 'reply')).toHaveLength(1);
    await t.store.close();
  });

  it('keeps the scheduler off when it runs while start() is still sending the first digests', async () => {
    const chat = new GatedAdapter();
    const clock = manualClock('2022-11-21 09:30');
    const t = await createTestBot({ chat, clock, start: false, digest: { enabled: true, tickMs: 5 } });
    await setupCounty(t, { units: ['郭道镇'] });
    chat.gated = true;
    const starting = t.bot.start();
    await chat.reached();
    const stopping = t.bot.stop();
    chat.open();
    await Promise.all([starting, stopping]);
    const sentAtStop = chat.sent.length;
    // A week later the next digests are due: a leftover timer would send them.
    clock.set('2022-11-28 09:30');
    await settled();
    await settled();
    expect(chat.sent.length).toBe(sentAtStop);
    await t.store.close();
  });
});
