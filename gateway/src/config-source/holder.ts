import type { Logger } from '@aegis/common';
import { compileConfig, ConfigValidationError, type CompiledConfig } from './document';
import type { ConfigSink } from './source';

export interface ConfigHolderEvents {
  onReload?: (outcome: 'applied' | 'unchanged' | 'rejected', config: CompiledConfig | undefined) => void;
}

/** Holds the running configuration. A new document is validated and compiled completely before it
 * replaces the old one in a single assignment; an invalid one is rejected and the last good
 * configuration keeps serving. */
export class ConfigHolder implements ConfigSink {
  private config: CompiledConfig | undefined;
  lastError: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly events: ConfigHolderEvents = {},
  ) {}

  current(): CompiledConfig | undefined {
    return this.config;
  }

  document(doc: unknown, origin: string): void {
    let next: CompiledConfig;
    try {
      next = compileConfig(doc, origin);
    } catch (err) {
      this.error(err as Error);
      return;
    }
    if (this.config?.hash === next.hash) {
      this.events.onReload?.('unchanged', this.config);
      return;
    }
    this.config = next;
    this.lastError = undefined;
    this.logger.info(
      { hash: next.hash, source: origin, routes: next.routes.size, tenants: next.tenants.size },
      'Loaded gateway configuration',
    );
    this.events.onReload?.('applied', next);
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
