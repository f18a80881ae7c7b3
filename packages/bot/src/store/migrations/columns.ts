import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** The SQL dialects the store supports: SQLite now, PostgreSQL next. */
export type SqlDialect = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = CreateTableBuilder<string, any>;

/** The dialect a migration runs on, from the Kysely instance's adapter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** An auto-numbered primary key, the one place where the dialects differ. */
export function withId(table: Table, dialect: SqlDialect): Table {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
