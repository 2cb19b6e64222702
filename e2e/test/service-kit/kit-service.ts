/** A minimal service run through the kit, started as a process by run.test.ts. */
import { Router } from '@koa/router';
import {
  authClientEnv,
  authClientSettings,
  configLoader,
  createServiceApp,
  envBool,
  envInt,
  runService,
  serviceEnvSchema,
  serviceSettings,
  type ServiceState,
} from '@aegis/common';

const configSchema = serviceEnvSchema('kit-fixture', { port: 8090, adminPort: 9090 })
  .extend({ ...authClientEnv, TICK_MS: envInt(50, 10), FAIL_BUILD: envBool(false) })
  .transform((e) => ({
    ...serviceSettings(e),
    ...authClientSettings(e),
    tickMs: e.TICK_MS,
    failBuild: e.FAIL_BUILD,
  }));

const loadConfig = configLoader(configSchema);

void runService({
  name: 'kit-fixture',
  loadConfig,
  migrations: [],
  build: (kit) => {
    if (kit.config.failBuild) throw new Error('no signing key');
    kit.every('tick', kit.config.tickMs, () => Promise.reject(new Error('tick failed')));
    kit.onClose(() => kit.logger.info('Closed fixture'));
    const router = new Router<ServiceState>();
    router.get('/notes/:id', (ctx) => {
      ctx.body = { id: ctx.params.id, verifies: typeof kit.verifier.verify === 'function' };
    });
    return createServiceApp({ ...kit, routers: [router] });
  },
});
