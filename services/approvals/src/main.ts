#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { APPROVALS_MIGRATIONS } from './store/migrations';
import type { ApprovalsStore } from './store/schema';
import { startApprovals } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: APPROVALS_MIGRATIONS,
  build: async (kit) => {
    const { keys, signal } = await startApprovals(kit);
    const { config } = kit;
    return createApp({
      ...kit,
      store: kit.store as ApprovalsStore,
      keys,
      signal,
      bodyLimitBytes: config.bodyLimitBytes,
      escalationTimeoutHours: config.escalationTimeoutHours,
      outboxPollMs: config.outboxPollMs,
      sseHeartbeatMs: config.sseHeartbeatMs,
    });
  },
});
