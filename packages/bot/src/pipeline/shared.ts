import type { Mention, OutgoingMessage } from '../adapter.js';
import type { Reply } from '../handlers/context.js';

/** A pino-compatible logger (the subset the engine uses). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Builds a reply's neutral message (adapters render it for their platform). */
export type RenderReply = (reply: Reply) => OutgoingMessage;

/**
 * A stored reply as a neutral message. Replies stored before messages were neutral (a platform-rendered
 * `{ style, title?, text }`) come back as their text, one paragraph, so a redelivery still answers.
 */
export function storedMessage(value: unknown): OutgoingMessage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { title?: unknown; blocks?: unknown; text?: unknown };
  if (Array.isArray(v.blocks)) return { title: typeof v.title === 'string' ? v.title : '', blocks: v.blocks as OutgoingMessage['blocks'] };
  if (typeof v.text !== 'string') return undefined;
  const lines = v.text.split('\n');
  return {
    title: typeof v.title === 'string' ? v.title : (lines[0] ?? ''),
    blocks: [{ type: 'paragraph', content: lines.flatMap((text, i) => (i === 0 ? [{ type: 'text' as const, text }] : [{ type: 'break' as const }, { type: 'text' as const, text }])) }],
  };
}

/** The mentions of a reply as the adapter contract carries them. */
export function plainMentions(reply: Reply): Mention[] {
  return reply.view.mentions.map((m) => ({ id: m.id, name: m.name }));
}

/** An error's message, for logs and the outbox. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { isRetryable } from '../adapter.js';
