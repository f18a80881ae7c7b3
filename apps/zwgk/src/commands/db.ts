import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyStore, isPostgresUrl, openStore, redactUrl, type OpenStoreOptions, type Store } from '@zwgk/bot';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../io.js';
import { databaseFile, storeLocation, storeOptions } from '../service/bot-service.js';
import { openRegistry, registryExists } from '../service/tenants.js';
import { cliTenant, configOrExit } from './shared.js';

const usage = `Usage:
  zwgk db copy [--from FILE|URL] [--to URL]   copy every record into a new, empty database
  zwgk db migrate                             bring the configured database to the latest schema, and
                                              with tenants the registry and every tenant's store
  --tenant ID                                 copy into (or migrate) that tenant's store only: a county
                                              arriving from its own SQLite file joins the deployment with
                                              zwgk db copy --from its.sqlite --tenant ID

copy: --from defaults to the SQLite file under the data directory (data/zwgk.sqlite), --to to the
configured PostgreSQL database (DATABASE_URL or database.url). The target must be empty; the copy is
one transaction, so it lands whole or not at all. Stop the bot that writes the source first.

  DATABASE_URL=postgres://zwgk:secret@127.0.0.1:5432/zwgk zwgk db copy --from data/zwgk.sqlite`;

/** A --from/--to value as store options: a postgres:// url, or a SQLite file that must exist. */
function location(value: string, cwd: string, role: 'source' | 'target'): OpenStoreOptions {
  if (isPostgresUrl(value)) return { url: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new UsageError(`--${role === 'source' ? 'from' : 'to'}: ${redactUrl(value)} is neither a postgres:// url nor a file`);
  const file = resolve(cwd, value);
  if (role === 'source' && !existsSync(file)) throw new UsageError(`no database at ${file}`);
  return { filename: file };
}

const describeLocation = (o: OpenStoreOptions) => (o.url !== undefined ? `${redactUrl(o.url)}${o.schema ? ` schema ${o.schema}` : ''}` : (o.filename ?? ''));

export const dbCommand: Command = {
  name: 'db',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { from: { type: 'string' }, to: { type: 'string' } }, usage);
    const { config } = await configOrExit(io);
    const cwd = io.cwd ?? process.cwd();
    const [action, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}\n\n${usage}`);
    if (action === 'migrate') {
      if (io.tenant !== undefined) {
        const tenant = await cliTenant(io);
        await (await openStore(tenant.store)).close();
        io.stdout.write(`${tenant.location}: schema up to date\n`);
        return 0;
      }
      const store = await openStore(storeOptions(config, cwd));
      await store.close();
      io.stdout.write(`${storeLocation(config, cwd)}: schema up to date\n`);
      if (!registryExists(config, cwd)) return 0;
      const registry = await openRegistry(config, cwd);
      try {
        for (const t of await registry.list()) {
          await (await openStore(registry.storeOptionsOf(t.id))).close();
          io.stdout.write(`${registry.locationOf(t.id)}: schema up to date (${t.county} ${t.year})\n`);
        }
      } finally {
        await registry.close();
      }
      return 0;
    }
    if (action !== 'copy') throw new UsageError(usage);
    const tenant = io.tenant === undefined ? undefined : await cliTenant(io);
    const to = values.to ?? config.database.url;
    if (to === undefined && tenant === undefined) throw new UsageError(`--to URL is needed (or set DATABASE_URL)\n\n${usage}`);
    const source = location(values.from ?? databaseFile(config, cwd), cwd, 'source');
    let target: OpenStoreOptions;
    if (tenant && values.to === undefined) target = tenant.store;
    else {
      target = location(to!, cwd, 'target');
      // Into another server's database, still that tenant's schema.
      if (tenant && target.url !== undefined && tenant.store.schema !== undefined) target = { ...target, schema: tenant.store.schema };
    }
    if (describeLocation(source) === describeLocation(target)) throw new UsageError('--from and --to name the same database');
    let from: Store | undefined;
    let into: Store | undefined;
    try {
      from = await openStore(source);
      into = await openStore(target);
      const r = await copyStore(from, into);
      if (!r.success) {
        io.stderr.write(`zwgk db copy: ${r.error}\n`);
        return 1;
      }
      for (const [table, n] of Object.entries(r.data.tables)) if (n > 0) io.stdout.write(`${table}\t${n}\n`);
      if (tenant && target === tenant.store) {
        // The county's groups belong to its tenant from now on: messages from them are routed there.
        const registry = await openRegistry(config, cwd);
        try {
          for (const g of await into.groups.list()) await registry.bind(g.platform, g.conversationId, tenant.id);
        } finally {
          await registry.close();
        }
      }
      io.stdout.write(`copied ${r.data.total} rows from ${describeLocation(source)} to ${describeLocation(target)}\n`);
      return 0;
    } finally {
      await from?.close();
      await into?.close();
    }
  },
};
