export { resolveValues, valuesSchema, type Values, type ValuesInput } from './values';
export { buildApp, synthManifests, synthYaml, type SynthInputs } from './synth';
export { chartFiles, CHART_DIR, readChartDir, writeChart } from './helm/chart-files';
export { renderTemplate } from './helm/render';
export { readCrds, readOperatorRbac, REPO_ROOT } from './operator-config';
export type { Manifest } from './objects';
export * from './names';
