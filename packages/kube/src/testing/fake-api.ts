import {
  type KubeApi,
  KubeApiError,
  type KubeObject,
  type ListResult,
  type Resource,
  resourcePath,
  type WatchStream,
} from '../types';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const fieldSet = (o: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.keys(o ?? {}).map((k) => [`f:${k}`, {}]));

/** An in-memory KubeApi for unit tests: resourceVersions, generation on spec changes, a
 * managedFields entry per apply (labels, annotations, data keys), and a log of every write. */
export class FakeKubeApi implements KubeApi {
  readonly objects = new Map<string, Map<string, KubeObject>>();
  readonly writes: { verb: string; path: string }[] = [];
  private rv = 100;
  failNext: { verb: string; plural: string; error: Error } | undefined;

  private bucket(r: Resource): Map<string, KubeObject> {
    const key = resourcePath(r);
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }

  private maybeFail(verb: string, r: Resource): void {
    if (this.failNext && this.failNext.verb === verb && this.failNext.plural === r.plural) {
      const e = this.failNext.error;
      this.failNext = undefined;
      throw e;
    }
  }

  private store(r: Resource, o: KubeObject): KubeObject {
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(r).set(o.metadata.name, o);
    return clone(o);
  }

  /** Seeds an object as a user would create it. */
  put(r: Resource, o: KubeObject): KubeObject {
    const existing = this.bucket(r).get(o.metadata.name);
    const obj = clone(o);
    obj.metadata.uid ??= existing?.metadata.uid ?? `uid-${o.metadata.name}-${this.rv}`;
    obj.metadata.generation = (existing?.metadata.generation ?? 0) + 1;
    obj.metadata.creationTimestamp ??=
      existing?.metadata.creationTimestamp ?? new Date(1_700_000_000_000 + this.rv * 1000).toISOString();
    if (existing && 'status' in existing && !('status' in obj)) obj.status = existing.status;
    if (existing) obj.metadata.finalizers ??= existing.metadata.finalizers;
    return this.store(r, obj);
  }

  peek<T extends KubeObject>(r: Resource, name: string): T | undefined {
    const o = this.bucket(r).get(name);
    return o ? (clone(o) as T) : undefined;
  }

  cache<T extends KubeObject>(r: Resource) {
    return {
      get: (name: string) => this.peek<T>(r, name),
      list: () => [...this.bucket(r).values()].map((o) => clone(o) as T),
    };
  }

  async list<T extends KubeObject>(r: Resource): Promise<ListResult<T>> {
    return { items: this.cache<T>(r).list(), resourceVersion: String(this.rv) };
  }

  /** Reconcile tests read through list/get only; watches are exercised by informer.test.ts with its
   * own scripted streams and by the suites against a real API server. A call here is a test bug. */
  watch(): Promise<WatchStream> {
    throw new Error('FakeKubeApi has no watch: use the informer tests or a real API server');
  }

  async get<T extends KubeObject>(r: Resource, name: string): Promise<T | undefined> {
    this.maybeFail('get', r);
    return this.peek<T>(r, name);
  }

  async create<T extends KubeObject>(r: Resource, o: T): Promise<T> {
    this.writes.push({ verb: 'create', path: resourcePath(r, o.metadata.name) });
    if (this.bucket(r).has(o.metadata.name)) throw new KubeApiError(409, 'AlreadyExists', 'exists');
    return this.store(r, clone(o)) as T;
  }

  async replace<T extends KubeObject>(r: Resource, o: T): Promise<T> {
    this.writes.push({ verb: 'update', path: resourcePath(r, o.metadata.name) });
    const existing = this.bucket(r).get(o.metadata.name);
    if (!existing) throw new KubeApiError(404, 'NotFound', 'not found');
    if (o.metadata.resourceVersion !== existing.metadata.resourceVersion)
      throw new KubeApiError(409, 'Conflict', 'conflict');
    return this.store(r, clone(o)) as T;
  }

  async apply<T extends KubeObject>(
    r: Resource,
    o: KubeObject,
    opts: { subresource?: 'status' } = {},
  ): Promise<T> {
    this.writes.push({ verb: 'apply', path: resourcePath(r, o.metadata.name, opts.subresource) });
    this.maybeFail('apply', r);
    const existing = this.bucket(r).get(o.metadata.name);
    if (opts.subresource === 'status') {
      if (!existing) throw new KubeApiError(404, 'NotFound', 'not found');
      return this.store(r, { ...clone(existing), status: clone(o.status) }) as T;
    }
    const obj = clone(o);
    obj.metadata.uid = existing?.metadata.uid ?? `uid-${o.metadata.name}`;
    obj.metadata.managedFields = [
      {
        manager: 'aegis-operator',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:labels': fieldSet(o.metadata.labels),
            'f:annotations': fieldSet(o.metadata.annotations),
          },
          'f:data': fieldSet(o.data as Record<string, unknown>),
        },
      },
    ];
    return this.store(r, obj) as T;
  }

  async mergePatch<T extends KubeObject>(r: Resource, name: string, patch: unknown): Promise<T> {
    this.writes.push({ verb: 'patch', path: resourcePath(r, name) });
    this.maybeFail('patch', r);
    const existing = this.bucket(r).get(name);
    if (!existing) throw new KubeApiError(404, 'NotFound', 'not found');
    const p = patch as { metadata: { finalizers?: string[]; resourceVersion?: string } };
    if (p.metadata.resourceVersion && p.metadata.resourceVersion !== existing.metadata.resourceVersion) {
      throw new KubeApiError(409, 'Conflict', 'conflict');
    }
    const obj = clone(existing);
    if (p.metadata.finalizers) obj.metadata.finalizers = p.metadata.finalizers;
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0) {
      this.bucket(r).delete(name);
      return obj as T;
    }
    return this.store(r, obj) as T;
  }

  async delete(r: Resource, name: string): Promise<void> {
    this.writes.push({ verb: 'delete', path: resourcePath(r, name) });
    const existing = this.bucket(r).get(name);
    if (!existing) throw new KubeApiError(404, 'NotFound', 'not found');
    if ((existing.metadata.finalizers ?? []).length > 0) {
      existing.metadata.deletionTimestamp = new Date().toISOString();
      this.store(r, existing);
    } else this.bucket(r).delete(name);
  }
}
