export { resolveValues, valuesSchema, type Values, type ValuesInput } from './values';
export { buildApp, synthManifests, synthYaml, type SynthInputs } from './synth';
export { chartFiles, CHART_DIR, readChartDir, writeChart } from './helm/chart-files';
export { renderTemplate } from './helm/render';
export { readCrds, readOperatorRbac } from './operator-config';
export { REPO_ROOT } from './paths';
export type { Manifest } from './objects';
export * from './names';
export { chartTemplateObjects, imageContainers, type ImageContainer } from './image-containers';
