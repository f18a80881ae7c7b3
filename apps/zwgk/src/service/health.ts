import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegistryCacheStats, Store } from '@zwgk/bot';

/** One tenant as the health endpoints see it: its open store, or why it is not running. */
export interface TenantHealth {
  /** The tenant id (`default` for the deployment's own county). */
  id: string;
  store: Store | null;
  /** Why the tenant is not running (it could not start), else null. */
  error: string | null;
}

/** What the health endpoints look at. */
export interface HealthSource {
  /** The default tenant's store: what is checked when `tenants` is not given (a deployment without tenants). */
  store?: Store;
  /** Every tenant the service runs or failed to start (the tenant router's `status()`), read at each request. */
  tenants?: () => TenantHealth[];
  /** The tenant registry's cache counters, when the service routes tenants. */
  registry?: () => RegistryCacheStats;
  /** True once the bot has started (connected to its platforms) and until it stops. */
  ready: () => boolean;
  /** How long one tenant's store may take to answer a check, in ms (default 5000). */
  checkTimeoutMs?: number;
}

/** A running health server; `close` stops it. */
export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
// Tenants' stores read at once by one scrape or readiness check: enough to be quick, few enough to leave the
// shared pool to the bots.
const PARALLEL = 4;

function tenantsOf(source: HealthSource): TenantHealth[] {
  if (source.tenants) return source.tenants();
  return source.store ? [{ id: 'default', store: source.store, error: null }] : [];
}

/** `work` over `items`, at most `parallel` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One tenant's queue depths, read from its store. */
async function depthsOf(store: Store) {
  const outbox = await store.db
    .selectFrom('digestOutbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
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
  return {
    outbox: new Map(outbox.map((r) => [r.status, Number(r.n)])),
    processed: total,
    pending: total - Number(processed?.replied ?? 0),
    uncertain: Number(uncertain?.n ?? 0),
    lease,
  };
}

/** Each tenant's check: its store answers (null) or why not. */
async function problems(source: HealthSource): Promise<Array<{ id: string; problem: string | null }>> {
  const timeout = source.checkTimeoutMs ?? 5_000;
  return mapLimited(tenantsOf(source), PARALLEL, async (t) => {
    if (!t.store) return { id: t.id, problem: `not started: ${t.error ?? 'unknown error'}` };
    try {
      await withTimeout(
        t.store.db.selectFrom('leases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
        timeout,
      );
      return { id: t.id, problem: null };
    } catch (error) {
      return { id: t.id, problem: `its store does not answer: ${messageOf(error)}` };
    }
  });
}

/**
 * Prometheus text exposition (format 0.0.4) of every tenant's queue depths, read from each tenant's store:
 * per-tenant series carry a `tenant` label (and only fixed ones besides: `status`, and the lease's `holder`),
 * so a deployment has a few series per county and no more. A tenant whose store does not answer (or that
 * could not start) shows `zwgk_tenant_up{tenant} 0` and no depths.
 */
export async function metricsText(source: HealthSource, ready: boolean): Promise<string> {
  const timeout = source.checkTimeoutMs ?? 5_000;
  const read = await mapLimited(tenantsOf(source), PARALLEL, async (t) => {
    if (!t.store) return { id: t.id, depths: null };
    try {
      return { id: t.id, depths: await withTimeout(depthsOf(t.store), timeout) };
    } catch {
      return { id: t.id, depths: null };
    }
  });
  const up = read.filter((r) => r.depths !== null) as Array<{ id: string; depths: Awaited<ReturnType<typeof depthsOf>> }>;
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: string[]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
  const lines = [
    ...family('zwgk_ready', 'gauge', 'Whether the bot is started and every tenant’s database answers (1) or not (0).', [`zwgk_ready ${ready ? 1 : 0}`]),
    ...family(
      'zwgk_tenant_up',
      'gauge',
      'Whether a tenant runs and its database answered this scrape (1) or not (0).',
      read.map((r) => `zwgk_tenant_up{tenant="${r.id}"} ${r.depths ? 1 : 0}`),
    ),
    ...family(
      'zwgk_digest_outbox',
      'gauge',
      'Weekly digests in the outbox, by tenant and status (sending = claimed, not yet confirmed sent).',
      up.flatMap((r) => OUTBOX_STATUSES.map((s) => `zwgk_digest_outbox{tenant="${r.id}",status="${s}"} ${r.depths.outbox.get(s) ?? 0}`)),
    ),
    ...family(
      'zwgk_messages_processed_total',
      'counter',
      'State-changing chat messages recorded, by tenant (each platform message id once).',
      up.map((r) => `zwgk_messages_processed_total{tenant="${r.id}"} ${r.depths.processed}`),
    ),
    ...family(
      'zwgk_receipts_pending',
      'gauge',
      'Recorded messages whose reply has not been marked sent, by tenant.',
      up.map((r) => `zwgk_receipts_pending{tenant="${r.id}"} ${r.depths.pending}`),
    ),
    ...family(
      'zwgk_digests_uncertain',
      'gauge',
      'Digests marked failed because their send may have arrived (not repeated; check the group), by tenant.',
      up.map((r) => `zwgk_digests_uncertain{tenant="${r.id}"} ${r.depths.uncertain}`),
    ),
    ...family(
      'zwgk_digest_scheduler_lease',
      'gauge',
      'The instance holding a digest scheduler lease, and until when (unix seconds).',
      up.flatMap((r) =>
        r.depths.lease ? [`zwgk_digest_scheduler_lease{tenant="${r.id}",holder="${r.depths.lease.holder.replace(/["\\\n]/g, '_')}"} ${Math.floor(Date.parse(r.depths.lease.expiresAt) / 1000)}`] : [],
      ),
    ),
  ];
  const cache = source.registry?.();
  if (cache) {
    lines.push(
      ...family('zwgk_registry_reloads_total', 'counter', 'Times this instance reloaded the tenant registry because it changed.', [`zwgk_registry_reloads_total ${cache.loads}`]),
      ...family('zwgk_registry_listening', 'gauge', 'PostgreSQL: whether this instance receives registry change notifications (1) or reads the version on every message (0).', [
        `zwgk_registry_listening ${cache.listening ? 1 : 0}`,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Serves `/healthz` (200 while the process runs), `/readyz` (200 when the bot is started and every tenant's
 * database answers; else 503, naming each tenant that does not and why) and `/metrics` (Prometheus text, a
 * `tenant` label on per-tenant series) on `host:port` — loopback by default, for a supervisor or a scraper
 * on the same machine. Port 0 picks a free port (see `url`).
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
        if (!source.ready()) return reply(503, 'not ready: the bot is not started (or is stopping)\n');
        const bad = (await problems(source)).filter((p) => p.problem !== null);
        if (!bad.length) return reply(200, 'ready\n');
        reply(503, `not ready:\n${bad.map((p) => `tenant ${p.id}: ${p.problem}`).join('\n')}\n`);
      })().catch((error: unknown) => reply(503, `not ready: ${messageOf(error)}\n`));
      return;
    }
    if (path === '/metrics') {
      void (async () => {
        const ready = source.ready() && (await problems(source)).every((p) => p.problem === null);
        reply(200, await metricsText(source, ready), 'text/plain; version=0.0.4; charset=utf-8');
      })().catch(() => reply(503, 'the database did not answer\n'));
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
