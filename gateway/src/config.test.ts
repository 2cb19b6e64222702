import { ConfigError } from '@aegis/common';
import { loadConfig } from './config';

describe('gateway loadConfig', () => {
  it('has local defaults, frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.redisUrl).toBeUndefined();
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      adminPort: 9000,
      logLevel: 'info',
      configSource: 'file',
      jwksUrl: 'http://127.0.0.1:8009/auth/.well-known/jwks.json',
      defaultRule: { requestsPerMinute: 100, burst: 10 },
      metricsOnMainPort: true,
    });
  });

  it.each([
    ['LOG_LEVEL', 'loud'],
    ['PORT', 'eighty'],
    ['CONFIG_SOURCE', 'etcd'],
  ])('names the variable of a bad value (%s)', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
