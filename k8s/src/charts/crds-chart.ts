import type { Construct } from 'constructs';
import { AegisBaseChart, type Manifest } from '../objects';
import type { Binder } from '../render/binder';

/** The AegisTenant CRD exactly as the operator generated it (applied before everything else). */
export class CrdsChart extends AegisBaseChart {
  constructor(scope: Construct, id: string, binder: Binder, crds: readonly Manifest[]) {
    super(scope, id, binder);
    for (const crd of crds) this.add('crds', structuredClone(crd));
  }
}
