#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { MEMORY_MIGRATIONS } from './store/migrations';
import { enablePgvector } from './store/pgvector';
import type { MemoryStore } from './store/schema';
import { embedderOf, workingMemoryOf } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens (on
 * loopback unless HOST says otherwise: the service is internal). */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: MEMORY_MIGRATIONS,
  build: async (kit) => {
    const store = kit.store as MemoryStore;
    const embedder = embedderOf(kit);
    const pgvector = embedder ? await enablePgvector(store, kit.logger) : false;
    return createApp({ ...kit, store, workingMemory: workingMemoryOf(kit), embedder, pgvector });
  },
});
