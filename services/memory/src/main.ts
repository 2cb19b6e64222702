#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { MEMORY_MIGRATIONS } from './store/migrations';
import type { MemoryStore } from './store/schema';
import { embedderOf, workingMemoryOf } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens (on
 * loopback unless HOST says otherwise: the service is internal). */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: MEMORY_MIGRATIONS,
  build: (kit) =>
    createApp({
      ...kit,
      store: kit.store as MemoryStore,
      workingMemory: workingMemoryOf(kit),
      embedder: embedderOf(kit),
    }),
});
