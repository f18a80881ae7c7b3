/** Small HTTP helpers: JSON bodies with clear errors, JSON answers, answers held back or cut by faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state.js';
import type { Result } from './types.js';

/** Largest request body the emulator reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body: 413 when too large, 400 when empty or not JSON. */
export async function readJson(req: IncomingMessage): Promise<Result<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { success: false, error: { status: 413, message: `body exceeds ${MAX_BODY_BYTES} bytes` } };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { success: false, error: { status: 400, message: 'body is empty; expected JSON' } };
  try {
    return { success: true, data: JSON.parse(text) };
  } catch (e) {
    return { success: false, error: { status: 400, message: `body is not valid JSON: ${(e as Error).message}` } };
  }
}

/** Answers JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The control API's error body: `{ error }`. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}

/** Answers a send that reached the group (or a card change that took effect): now, late (`delayAnswers`) or never (`dropAnswers`). */
export function answerAccepted(state: EmulatorState, target: 'openapi' | 'webhook' | 'card', res: ServerResponse, body: unknown): void {
  const fault = state.answerFault(target);
  if (fault.kind === 'now') return sendJson(res, 200, body);
  if (fault.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  const timer = setTimeout(() => {
    if (!res.destroyed && !res.writableEnded) sendJson(res, 200, body);
  }, fault.ms);
  res.on('close', () => clearTimeout(timer));
}
