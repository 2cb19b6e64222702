import { AsyncLocalStorage } from 'node:async_hooks';

/** Tracks the transaction a piece of async code runs in, to reject misuse with a clear error. */
export interface TxState {
  active: boolean;
}

export class TxGuard {
  private readonly storage = new AsyncLocalStorage<TxState>();

  run<T>(state: TxState, fn: () => Promise<T>): Promise<T> {
    return this.storage.run(state, fn);
  }

  /**
   * Using the store itself (not the `tx` argument) inside one of its open transactions is a bug: on
   * SQLite it would wait for the transaction forever, on PostgreSQL it would run outside it.
   * Nested `transaction()` calls are rejected for the same reason (no savepoints; see ADR 0002).
   */
  assertOutside(what: string): void {
    if (this.storage.getStore()?.active) {
      throw new Error(
        `${what} called on the store inside its own open transaction; use the tx argument (nested transactions are not supported)`,
      );
    }
  }
}

export function assertActive(state: TxState): void {
  if (!state.active) throw new Error('Transaction already finished; the tx handle can no longer be used');
}
