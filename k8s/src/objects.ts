import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Binder } from './render/binder';

/** One Kubernetes object as plain JSON (kind, apiVersion, metadata, and the rest). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [field: string]: unknown;
}

/** Where an object goes in the Helm chart, and under which condition it exists. */
export interface ObjectEntry {
  object: ApiObject;
  /** Template file (without .yaml) in charts/aegis/templates/. */
  file: string;
  condition: string | undefined;
}

/** A cdk8s Chart that remembers, for the Helm generator, the file and condition of each object. */
export class AegisBaseChart extends Chart {
  readonly entries: ObjectEntry[] = [];

  constructor(
    scope: Construct,
    id: string,
    readonly binder: Binder,
  ) {
    super(scope, id, { disableResourceNameHashes: true });
  }

  /** Adds an object; `file` groups it with its component in the Helm chart. */
  add(file: string, manifest: Manifest): ApiObject {
    const { apiVersion, kind, metadata, ...rest } = manifest;
    const object = new ApiObject(this, `${kind}-${metadata.name}-${this.entries.length}`, {
      apiVersion,
      kind,
      metadata,
      ...rest,
    });
    this.entries.push({ object, file, condition: this.binder.currentCondition() });
    return object;
  }
}
