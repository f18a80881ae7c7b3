import type { Mention, OutputStyle, RenderedMessage } from '../adapter.js';
import type { Reply } from '../handlers/context.js';

/** A pino-compatible logger (the subset the engine uses). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Renders a reply in an output style. */
export type RenderReply = (style: OutputStyle, reply: Reply) => RenderedMessage;

/** The mentions of a reply as the adapter contract carries them. */
export function plainMentions(reply: Reply): Mention[] {
  return reply.view.mentions.map((m) => ({ id: m.id, name: m.name }));
}

/** An error's message, for logs and the outbox. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { isRetryable } from '../adapter.js';
