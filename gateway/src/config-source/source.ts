/** Where the gateway's configuration comes from: a watched file locally, the operator's ConfigMap on
 * Kubernetes. A source only delivers raw documents; the holder validates and swaps them. */
export type ReloadOutcome = 'applied' | 'unchanged' | 'rejected';

export interface ConfigSink {
  /** Validates and swaps in a document; says whether it now runs (rejected: the last good one
   * keeps running). */
  document(doc: unknown, origin: string): ReloadOutcome | void;
  error(err: Error): void;
}

export interface ConfigSource {
  readonly name: string;
  /** Starts delivering; the first document (or error) is delivered before the promise resolves
   * when the source can do so synchronously. */
  start(sink: ConfigSink): Promise<void>;
  stop(): Promise<void>;
}
