import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { renderPlainText, type Adapter, type EventHandler, type IncomingMessage, type OutgoingMessage } from '@zwgk/bot';

/** The conversation id of a unit's group, or the admin group, in the terminal. */
export const terminalGroup = (unit: string | 'admin') => `terminal:${unit}`;

/** A person typing in the terminal, and the group they type in. */
export interface TerminalSession {
  userId: string;
  userName: string;
  conversationId: string;
}

/**
 * A chat "platform" on stdin/stdout: each line typed is a message from `session.userName` in the
 * current group; `/group 郭道镇` or `/admin` switches group, `/quit` ends. Replies and digests print
 * under the group they were sent to.
 */
export function createTerminalAdapter(options: {
  input: Readable;
  output: { write(chunk: string): unknown };
  session: TerminalSession;
  titleOf: (conversationId: string) => string;
  onQuit?: () => void;
}): Adapter & { session: TerminalSession } {
  // One handler, as the Adapter contract says: a later onEvent replaces the earlier one.
  const handlers: EventHandler[] = [];
  const session = options.session;
  const inFlight = new Set<Promise<void>>();
  let counter = 0;
  let rl: ReturnType<typeof createInterface> | undefined;
  // Quitting right after a command must not close the database under the command's feet.
  const quit = () => {
    void Promise.allSettled([...inFlight]).then(() => options.onQuit?.());
  };

  // Buttons show as the commands they stand for: in a terminal one types them.
  const print = (conversationId: string, message: OutgoingMessage) => {
    options.output.write(`\n── ${options.titleOf(conversationId)} · 机器人 ──\n${renderPlainText(message, { actions: true })}\n\n`);
  };

  const adapter: Adapter & { session: TerminalSession } = {
    platform: 'terminal',
    session,
    async connect() {
      rl = createInterface({ input: options.input, terminal: false });
      rl.on('close', quit);
      rl.on('line', (line) => {
        const text = line.trim();
        if (!text) return;
        if (text === '/quit' || text === '/exit') {
          quit();
          return;
        }
        const group = /^\/(?:group|unit)\s+(.+)$/.exec(text);
        if (group || text === '/admin') {
          session.conversationId = terminalGroup(group ? group[1]!.trim() : 'admin');
          options.output.write(`（现在在「${options.titleOf(session.conversationId)}」发言）\n`);
          return;
        }
        const message: IncomingMessage = {
          platform: 'terminal',
          conversationId: session.conversationId,
          conversationTitle: options.titleOf(session.conversationId),
          messageId: `terminal-${process.pid}-${++counter}`,
          senderId: session.userId,
          senderName: session.userName,
          text,
          mentions: [],
          isGroup: true,
          receivedAt: new Date(),
        };
        for (const handler of handlers) {
          let acknowledged = false;
          const ack = async () => {
            acknowledged = true;
            return true;
          };
          // A terminal cannot redeliver: a line the engine left unacknowledged is reported, to be typed again.
          const handled = handler({ message, ack }).then(() => {
            if (!acknowledged) options.output.write('（处理失败，未记录：请再输入一次）\n');
          });
          inFlight.add(handled);
          void handled.finally(() => inFlight.delete(handled));
        }
      });
    },
    async disconnect() {
      rl?.removeListener('close', quit);
      rl?.close();
      await Promise.allSettled([...inFlight]);
    },
    onEvent(handler) {
      handlers.splice(0, handlers.length, handler);
    },
    async send(conversationId, message) {
      print(conversationId, message);
      return {};
    },
    async reply(incoming, message) {
      print(incoming.conversationId, message);
      return {};
    },
  };
  return adapter;
}
