import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArtifactStorage, SpooledFile } from './types';

/**
 * Artifacts as files under `root` (default `<AEGIS_DATA_DIR>/artifacts`). A stored file appears by an
 * atomic rename of the spooled file, so a reader never sees half a file: spool under
 * `stagingDir(root)`, on the same file system.
 */
export function createLocalArtifactStorage(root: string): ArtifactStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error(`Artifact key escapes the storage root: ${key}`);
    return path;
  };
  return {
    kind: 'local',
    put: async (key: string, file: SpooledFile) => {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await rename(file.path, path);
    },
    get: async (key: string): Promise<Readable | undefined> => {
      try {
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    delete: async (key: string) => {
      await rm(pathOf(key), { force: true });
    },
  };
}

/** Where uploads are spooled before they are stored: beside the stored files, so `put` is a rename. */
export function stagingDir(root: string): string {
  return join(resolve(root), '.staging');
}
