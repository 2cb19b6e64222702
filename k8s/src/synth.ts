import { App, Yaml } from 'cdk8s';
import { CrdsChart } from './charts/crds-chart';
import { PlatformChart } from './charts/platform-chart';
import type { Manifest, ObjectEntry } from './objects';
import { readCrds, readOperatorRbac } from './operator-config';
import { Binder, type RenderMode } from './render/binder';
import { resolveValues, type Values, type ValuesInput } from './values';

/** What the app is built from; by default the CRD and RBAC the operator generates. */
export interface SynthInputs {
  crds?: readonly Manifest[];
  operatorRbac?: readonly Manifest[];
}

export interface Synthesized {
  app: App;
  binder: Binder;
  crds: CrdsChart;
  platform: PlatformChart;
}

/** Builds the cdk8s app: chart `aegis-crds` (the CRD) and chart `aegis` (everything else). */
export function buildApp(
  values: Values,
  mode: RenderMode = 'concrete',
  inputs: SynthInputs = {},
): Synthesized {
  const binder = new Binder(mode, values);
  const app = new App({ outputFileExtension: '.k8s.yaml' });
  const crds = new CrdsChart(app, 'aegis-crds', binder, inputs.crds ?? readCrds());
  const platform = new PlatformChart(app, 'aegis', binder, {
    operatorRbac: inputs.operatorRbac ?? readOperatorRbac(),
  });
  return { app, binder, crds, platform };
}

/** The plain manifests for these values, CRD first, as JSON objects. */
export function synthManifests(input: ValuesInput = {}, inputs: SynthInputs = {}): Manifest[] {
  const { crds, platform } = buildApp(resolveValues(input), 'concrete', inputs);
  return [...crds.toJson(), ...platform.toJson()] as Manifest[];
}

/** The plain manifests as one multi-document YAML stream (for `kubectl apply -f -`). */
export function synthYaml(input: ValuesInput = {}, inputs: SynthInputs = {}): string {
  return Yaml.stringify(...synthManifests(input, inputs));
}

/** Objects with where they go in the Helm chart (helm mode). */
export function entriesOf(s: Synthesized): { crds: ObjectEntry[]; platform: ObjectEntry[] } {
  return { crds: s.crds.entries, platform: s.platform.entries };
}
