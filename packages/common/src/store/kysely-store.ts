import { Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { GuardedDialect } from './guarded-dialect';
import { QueryGuardPlugin } from './guard-plugin';
import { applyMigrations } from './migrate';
import { TxGuard, type TxState } from './tx-guard';
import type { Dialect, Migration, Queryable, Store } from './types';

/** What differs between the two drivers behind one KyselyStore. */
export interface StoreDriver {
  readonly dialect: Dialect;
  /** Builds the (guarded) Kysely dialect; called once. */
  createDialect(guard: TxGuard): GuardedDialect;
  /** Runs a multi-statement script inside the open transaction `tx`. */
  execScript(tx: Queryable, script: string): Promise<void>;
  /** Cheap reachability check that never waits for an open transaction. */
  ping(): Promise<void>;
}

/**
 * A Store over Kysely: `db` is the typed query builder, `transaction` runs a callback in one
 * transaction on one connection, `migrate` applies a service's migrations (migrate.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class KyselyStore<DB = any> implements Store<DB> {
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
  private readonly guard = new TxGuard();
  private readonly guarded: GuardedDialect;

  constructor(
    private readonly driver: StoreDriver,
    private readonly logger?: Logger,
  ) {
    this.dialect = driver.dialect;
    this.guarded = driver.createDialect(this.guard);
    this.db = new Kysely<DB>({ dialect: this.guarded, plugins: [new QueryGuardPlugin()] });
  }

  async transaction<T>(fn: (tx: Queryable<DB>) => Promise<T>): Promise<T> {
    this.guarded.driver.assertOpen();
    this.guard.assertOutside('transaction()');
    return this.db.transaction().execute(async (trx) => {
      const state: TxState = { active: true };
      try {
        return await this.guard.run(state, () => fn({ dialect: this.dialect, db: trx }));
      } finally {
        state.active = false;
      }
    });
  }

  async migrate(service: string, migrations: readonly Migration[]): Promise<void> {
    await applyMigrations(
      {
        dialect: this.dialect,
        transaction: (fn) => this.transaction(fn),
        execScript: (tx, script) => this.driver.execScript(tx, script),
      },
      service,
      migrations,
      this.logger,
    );
  }

  async ping(): Promise<void> {
    this.guarded.driver.assertOpen();
    await this.driver.ping();
  }

  async close(): Promise<void> {
    await this.guarded.driver.destroy();
  }
}

/** `sql.raw` for a script that PostgreSQL runs in the simple protocol (several statements, no values). */
export async function execRawScript(tx: Queryable, script: string): Promise<void> {
  await sql.raw(script).execute(tx.db);
}
