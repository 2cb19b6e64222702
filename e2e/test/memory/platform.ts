import { createServiceIdentity, type ServiceIdentity } from '@aegis/common';
import {
  startAuthService,
  startLocalService,
  startedSet,
  tempDir,
  TEST_SERVICE_CLIENT_SECRET,
} from '@aegis/testing';

/** The auth service and the memory service as processes on free ports (memory is internal: called
 * directly, no gateway), the local platform admin's token and a client-credentials service identity
 * (ADR 0019) named `orchestration`, the memory service's first client. */
export interface MemoryPlatform {
  memoryUrl: string;
  admin: string;
  service: ServiceIdentity;
  stop(): Promise<void>;
}

async function login(authUrl: string): Promise<string> {
  const res = await fetch(`${authUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@aegis.local', password: 'aegis-dev-admin' }),
  });
  if (res.status !== 200) throw new Error(`logging in answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function startMemoryPlatform(memoryEnv: Record<string, string> = {}): Promise<MemoryPlatform> {
  const dir = tempDir('memory-platform');
  const running = startedSet();
  try {
    const auth = running.started(await startAuthService(dir));
    const memory = running.started(
      await startLocalService('memory', {
        dataDir: dir,
        authUrl: auth.url,
        env: memoryEnv,
        timeoutMs: 60_000,
      }),
    );
    return {
      memoryUrl: memory.url,
      admin: await login(auth.url),
      service: createServiceIdentity({
        authUrl: auth.url,
        name: 'orchestration',
        secret: TEST_SERVICE_CLIENT_SECRET,
      }),
      stop: () => running.stopAll(),
    };
  } catch (err) {
    await running.stopAll();
    throw err;
  }
}
