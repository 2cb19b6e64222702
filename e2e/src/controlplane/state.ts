import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { cacheRoot } from './paths';

/** What `npm run cluster:up` records so `npm run cluster:down` can stop the processes by PID. */
export const clusterStateSchema = z.object({
  dir: z.string(),
  server: z.string(),
  kubeconfigPath: z.string(),
  startedAt: z.string(),
  processes: z.array(z.object({ name: z.string(), pid: z.number().int().positive(), binary: z.string() })),
});
export type ClusterState = z.infer<typeof clusterStateSchema>;

/** Folder of the long-running cluster: $AEGIS_CACHE_DIR/cluster (default ~/.cache/aegis/cluster). */
export function clusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env, os.homedir()), 'cluster');
}

export function stateFile(dir: string): string {
  return path.join(dir, 'state.json');
}

/** The recorded cluster, or undefined when there is none; throws on a corrupt state file. */
export function readClusterState(dir: string): ClusterState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  return clusterStateSchema.parse(JSON.parse(text));
}

export function writeClusterState(dir: string, state: ClusterState): void {
  fs.writeFileSync(stateFile(dir), `${JSON.stringify(clusterStateSchema.parse(state), null, 2)}\n`);
}
