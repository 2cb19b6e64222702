/** Where the gateway's configuration comes from: a watched file locally, the operator's ConfigMap on
 * Kubernetes. A source only delivers raw documents; the holder validates and swaps them. */
export interface ConfigSink {
  document(doc: unknown, origin: string): void;
  error(err: Error): void;
}

export interface ConfigSource {
  readonly name: string;
  /** Starts delivering; the first document (or error) is delivered before the promise resolves
   * when the source can do so synchronously. */
  start(sink: ConfigSink): Promise<void>;
  stop(): Promise<void>;
}
