import type { Logger } from '@aegis/common';
import { compileConfig, ConfigValidationError, type CompiledConfig, type EntryCache } from './document';
import type { ConfigSink, ReloadOutcome } from './source';

export interface ConfigHolderEvents {
  onReload?: (outcome: ReloadOutcome, config: CompiledConfig | undefined) => void;
}

/** Holds the running configuration. A new document is validated and compiled completely before it
 * replaces the old one in a single assignment; an invalid one is rejected and the last good
 * configuration keeps serving. */
export class ConfigHolder implements ConfigSink {
  private config: CompiledConfig | undefined;
  /** Compiled tenant entries by entry object, so a document assembled from pieces recompiles only
   * the changed ones (entries no longer referenced are collected with their objects). */
  private readonly cache: EntryCache = new WeakMap();
  lastError: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly events: ConfigHolderEvents = {},
  ) {}

  current(): CompiledConfig | undefined {
    return this.config;
  }

  document(doc: unknown, origin: string): ReloadOutcome {
    let next: CompiledConfig;
    try {
      next = compileConfig(doc, origin, this.cache);
    } catch (err) {
      this.error(err as Error);
      return 'rejected';
    }
    if (this.config?.hash === next.hash) {
      this.events.onReload?.('unchanged', this.config);
      return 'unchanged';
    }
    this.config = next;
    this.lastError = undefined;
    this.logger.info(
      { hash: next.hash, source: origin, routes: next.routes.size, tenants: next.tenants.size },
      'Loaded gateway configuration',
    );
    this.events.onReload?.('applied', next);
    return 'applied';
  }

  error(err: Error): void {
    this.lastError = err.message;
    const issues = err instanceof ConfigValidationError ? err.issues : [err.message];
    this.logger.error(
      { issues, keptHash: this.config?.hash ?? null },
      this.config
        ? 'Rejected gateway configuration; kept the last good one'
        : 'Rejected gateway configuration',
    );
    this.events.onReload?.('rejected', this.config);
  }
}
