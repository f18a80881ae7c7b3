import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '@zwgk/bot';

/** What the health endpoints look at. */
export interface HealthSource {
  store: Store;
  /** True once the bot has started (connected to its platforms) and until it stops. */
  ready: () => boolean;
}

/** A running health server; `close` stops it. */
export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

/** Prometheus text exposition (format 0.0.4) of the bot's queue depths, read from the database. */
export async function metricsText(store: Store, ready: boolean): Promise<string> {
  const outbox = await store.db
    .selectFrom('digestOutbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const byStatus = new Map(outbox.map((r) => [r.status, Number(r.n)]));
  const processed = await store.db
    .selectFrom('processedMessages')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('repliedAt').as('replied')])
    .where('changed', '=', 1)
    .executeTakeFirst();
  const uncertain = await store.db
    .selectFrom('digestOutbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'failed')
    .where('lastError', 'like', 'uncertain:%')
    .executeTakeFirst();
  const lease = await store.leases.get('digest-scheduler');
  const total = Number(processed?.n ?? 0);
  const replied = Number(processed?.replied ?? 0);
  const lines = [
    '# HELP zwgk_ready Whether the bot is started and its database answers (1) or not (0).',
    '# TYPE zwgk_ready gauge',
    `zwgk_ready ${ready ? 1 : 0}`,
    '# HELP zwgk_digest_outbox Weekly digests in the outbox, by status (sending = claimed, not yet confirmed sent).',
    '# TYPE zwgk_digest_outbox gauge',
    ...OUTBOX_STATUSES.map((s) => `zwgk_digest_outbox{status="${s}"} ${byStatus.get(s) ?? 0}`),
    '# HELP zwgk_messages_processed_total State-changing chat messages recorded (each platform message id once).',
    '# TYPE zwgk_messages_processed_total counter',
    `zwgk_messages_processed_total ${total}`,
    '# HELP zwgk_receipts_pending Recorded messages whose reply has not been marked sent.',
    '# TYPE zwgk_receipts_pending gauge',
    `zwgk_receipts_pending ${total - replied}`,
    '# HELP zwgk_digests_uncertain Digests marked failed because their send may have arrived (not repeated; check the group).',
    '# TYPE zwgk_digests_uncertain gauge',
    `zwgk_digests_uncertain ${Number(uncertain?.n ?? 0)}`,
    '# HELP zwgk_digest_scheduler_lease The instance holding the digest scheduler lease, and until when (unix seconds).',
    '# TYPE zwgk_digest_scheduler_lease gauge',
    ...(lease ? [`zwgk_digest_scheduler_lease{holder="${lease.holder.replace(/["\\\n]/g, '_')}"} ${Math.floor(Date.parse(lease.expiresAt) / 1000)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

async function databaseAnswers(store: Store): Promise<boolean> {
  try {
    await store.db.selectFrom('leases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves `/healthz` (200 while the process runs), `/readyz` (200 when the bot is started and its
 * database answers, else 503) and `/metrics` (Prometheus text) on `host:port` — loopback by default,
 * for a supervisor or a scraper on the same machine. Port 0 picks a free port (see `url`).
 */
export async function startHealthServer(source: HealthSource, options: { port: number; host?: string }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, 'method not allowed\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      void (async () => {
        const ok = source.ready() && (await databaseAnswers(source.store));
        reply(ok ? 200 : 503, ok ? 'ready\n' : 'not ready\n');
      })();
      return;
    }
    if (path === '/metrics') {
      void (async () => {
        const ready = source.ready() && (await databaseAnswers(source.store));
        try {
          reply(200, await metricsText(source.store, ready), 'text/plain; version=0.0.4; charset=utf-8');
        } catch {
          reply(503, 'the database did not answer\n');
        }
      })();
      return;
    }
    reply(404, 'not found: /healthz, /readyz, /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
