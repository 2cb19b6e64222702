import { EventEmitter } from 'node:events';

/**
 * Wakes this process's outbox streams of a tenant as soon as a decision commits here, so they need not
 * wait for their next poll. Streams still poll the table: a decision committed on another replica
 * reaches them within `OUTBOX_POLL_MS`.
 */
export class OutboxSignal {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  notify(tenant: string): void {
    this.emitter.emit(tenant);
  }

  /** Calls `listener` on each notify of `tenant`; returns the unsubscribe. */
  subscribe(tenant: string, listener: () => void): () => void {
    this.emitter.on(tenant, listener);
    return () => this.emitter.off(tenant, listener);
  }
}
