import { parseAllDocuments } from 'yaml';
import { chartFiles } from './helm/chart-files';
import type { V1Container, V1PodSpec } from './k8s-types';
import { APP_DIR } from './names';
import type { Manifest } from './objects';

/** A container of a workload that runs the one AEGIS image: `node <entry>` in APP_DIR. */
export interface ImageContainer {
  /** `Deployment/aegis-gateway/gateway`. */
  owner: string;
  /** The workload's metadata.name. */
  workload: string;
  /** The `node` argument, relative to APP_DIR (the image's ENTRYPOINT is node). */
  entry: string;
  pod: V1PodSpec;
  container: V1Container;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** Whether a container runs the AEGIS image (by its working directory or its image reference, which
 * in the chart's templates is the `aegis.image` helper). */
function runsAegisImage(c: V1Container): boolean {
  return c.workingDir === APP_DIR || /\/aegis:|^aegis:|aegis\.image/.test(String(c.image));
}

/**
 * Every container, init containers included, of every workload in `docs` that runs the AEGIS image,
 * with the entry point it runs. One reading of the manifests for the checks that the image holds each
 * entry (k8s/src/entrypoints.test.ts) and for the container smoke run (e2e/src/image).
 */
export function imageContainers(docs: readonly Manifest[]): ImageContainer[] {
  return docs
    .filter((d) => d && WORKLOADS.has(String(d.kind)))
    .flatMap((d) => {
      const workload = d.metadata.name;
      const spec = d.spec as { template: { spec: V1PodSpec } } | undefined;
      const pod = spec?.template?.spec;
      if (!pod) return [];
      return [...(pod.initContainers ?? []), ...pod.containers].filter(runsAegisImage).map((container) => ({
        owner: `${String(d.kind)}/${workload}/${container.name}`,
        workload,
        entry: String(container.args?.[0]),
        pod,
        container,
      }));
    });
}

/** The objects of the Helm chart's templates read as plain YAML: template lines (`{{- if ... }}`) are
 * dropped and inline expressions become `x`. Enough to read the commands, which are plain YAML there. */
export function chartTemplateObjects(files: Map<string, string> = chartFiles()): Manifest[] {
  return [...files]
    .filter(([file]) => file.startsWith('templates/') && file.endsWith('.yaml'))
    .flatMap(([, text]) =>
      parseAllDocuments(
        text
          .split('\n')
          .filter((l) => !l.trimStart().startsWith('{{'))
          .map((l) => l.replace(/\{\{[^}]*\}\}/g, 'x'))
          .join('\n'),
      ).map((d) => d.toJS() as Manifest),
    )
    .filter(Boolean);
}
