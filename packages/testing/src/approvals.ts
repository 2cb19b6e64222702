import { randomBytes } from 'node:crypto';
import {
  APPROVALS_MIGRATIONS,
  createApp,
  createAuditKeys,
  type AppDeps,
  type ApprovalsDatabase,
  type ApprovalsStore,
} from '@aegis/approvals';
import { createMetrics, createSealer, openStore, type Logger, type TokenVerifier } from '@aegis/common';
import { listen } from './listen';

/** The approvals app's dependencies over `store`: fresh audit keys, response checks on. */
export function testApprovalsDeps(
  store: ApprovalsStore,
  deps: Pick<AppDeps, 'verifier' | 'logger'> & Partial<AppDeps>,
): AppDeps {
  return {
    store,
    keys: createAuditKeys({
      store,
      configured: randomBytes(32),
      sealer: createSealer(undefined, 'AUDIT_KEY_ENCRYPTION_KEY'),
    }),
    metrics: createMetrics('approvals_test'),
    checkResponses: true,
    ...deps,
  };
}

/** The real approvals app in process, beside the app a test is about (which submits to it). */
export interface TestApprovals {
  url: string;
  store: ApprovalsStore;
  close(): Promise<void>;
}

/**
 * Starts the approvals app on a loopback port, trusting `verifier`'s tokens. Over PostgreSQL it shares
 * the test's database (migrations are recorded per service); over an SQLite file it takes a file of its
 * own beside it (`x.db` → `x-approvals.db`).
 */
export async function startTestApprovals(
  options: { url: string; verifier: TokenVerifier; logger: Logger } & Partial<
    Omit<AppDeps, 'store' | 'keys'>
  >,
): Promise<TestApprovals> {
  const { url, ...deps } = options;
  const storeUrl = url.startsWith('sqlite:') ? url.replace(/\.db$/, '-approvals.db') : url;
  const store = await openStore<ApprovalsDatabase>({ url: storeUrl });
  try {
    await store.migrate('approvals', APPROVALS_MIGRATIONS);
    const server = await listen(createApp(testApprovalsDeps(store, deps)));
    return {
      url: server.url,
      store,
      close: async () => {
        await server.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
