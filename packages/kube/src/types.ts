/** The small Kubernetes surface AEGIS uses (the operator and the gateway). Callers receive a KubeApi;
 * the real one (rest.ts) talks to the API server, unit tests pass fakes (@aegis/kube/testing). */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** Where a kind of object lives: group '' is the core API. */
export interface Resource {
  group: string;
  version: string;
  plural: string;
  /** Namespaced resources name their namespace; cluster-scoped ones leave it out. */
  namespace?: string;
}

export const WATCH_EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export type WatchEventType = (typeof WATCH_EVENT_TYPES)[number];

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  /** The object; for ERROR a metav1.Status. */
  object: T;
}

export interface ListResult<T = KubeObject> {
  items: T[];
  resourceVersion: string;
}

export interface ListOptions {
  labelSelector?: string;
  /** e.g. `metadata.name=aegis-gateway-config` to follow one object. */
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  resourceVersion: string;
  /** Asks the server to end the watch after this long (it then ends cleanly). */
  timeoutSeconds?: number;
}

/** An open watch. `done` resolves when the stream ends (server close, error or close()). */
export interface WatchStream {
  close(): void;
  done: Promise<{ error?: Error }>;
}

export interface ApplyOptions {
  /** 'status' applies to the status subresource. */
  subresource?: 'status';
}

/** The calls AEGIS makes. Every write carries the client's one field manager. */
export interface KubeApi {
  list<T extends KubeObject>(resource: Resource, options?: ListOptions): Promise<ListResult<T>>;
  /** Resolves once the server accepted the watch; events then arrive in order. */
  watch<T extends KubeObject>(
    resource: Resource,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<WatchStream>;
  /** undefined when the object does not exist. */
  get<T extends KubeObject>(resource: Resource, name: string): Promise<T | undefined>;
  create<T extends KubeObject>(resource: Resource, object: T): Promise<T>;
  /** PUT: optimistic concurrency through metadata.resourceVersion. */
  replace<T extends KubeObject>(resource: Resource, object: T): Promise<T>;
  /** Server-side apply (force) with the client's field manager. */
  apply<T extends KubeObject>(resource: Resource, object: KubeObject, options?: ApplyOptions): Promise<T>;
  /** JSON merge patch; never creates. */
  mergePatch<T extends KubeObject>(resource: Resource, name: string, patch: unknown): Promise<T>;
  delete(resource: Resource, name: string, options?: { uid?: string }): Promise<void>;
}

/** An answer of the API server other than 2xx, carrying its metav1.Status. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeApiError && err.status === 409;
export const isGone = (err: unknown): boolean => err instanceof KubeApiError && err.status === 410;

/** The path of a resource collection or object. */
export function resourcePath(resource: Resource, name?: string, subresource?: string): string {
  const base =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const ns = resource.namespace ? `/namespaces/${encodeURIComponent(resource.namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${resource.plural}${obj}${subresource ? `/${subresource}` : ''}`;
}
