import { parseCli, UsageError } from './cli-args';

describe('parseCli', () => {
  it('parses create-user with roles, tenant and display name', () => {
    expect(
      parseCli([
        'create-user',
        '--email',
        'a@b.test',
        '--roles',
        'operator, reviewer',
        '--tenant',
        'acme',
        '--display-name',
        'A',
      ]),
    ).toEqual({
      command: 'create-user',
      email: 'a@b.test',
      password: undefined,
      passwordStdin: false,
      roles: ['operator', 'reviewer'],
      tenant: 'acme',
      displayName: 'A',
    });
  });

  it('defaults to the viewer role in the default tenant', () => {
    expect(parseCli(['create-user', '--email', 'a@b.test', '--password', 'x'])).toMatchObject({
      roles: ['viewer'],
      tenant: 'default',
      password: 'x',
    });
  });

  it('parses set-roles, which may grant platform_admin', () => {
    expect(parseCli(['set-roles', '--email', 'a@b.test', '--roles', 'admin,platform_admin'])).toEqual({
      command: 'set-roles',
      email: 'a@b.test',
      roles: ['admin', 'platform_admin'],
    });
  });

  it.each([
    [['set-roles', '--email', 'a@b.test']],
    [['set-roles', '--roles', 'admin']],
    [['create-user']],
    [['create-user', '--email', 'a@b.test', '--roles', 'root']],
    [['set-password']],
    [['frobnicate']],
    [['list', 'extra']],
  ])('refuses bad usage %j', (argv) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
  });

  it('rejects unknown options', () => {
    expect(() => parseCli(['list', '--bogus'])).toThrow();
  });

  it('answers help for no command', () => {
    expect(parseCli([])).toEqual({ command: 'help' });
  });
});
