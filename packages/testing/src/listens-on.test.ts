import { spawn } from 'node:child_process';
import net from 'node:net';
import { listensOn } from './processes';

const listen = (): Promise<net.Server> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('listensOn (whose is a listening port)', () => {
  it('tells the process holding a port from one that does not', async () => {
    const server = await listen();
    const port = portOf(server);
    expect(listensOn(process.pid, port)).toBe(true);
    // Another process listening on its own port: that port is not this process's.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const childPort = await new Promise<number>((resolve) =>
        child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
      );
      expect(listensOn(process.pid, childPort)).toBe(false);
      expect(listensOn(child.pid!, childPort)).toBe(true);
      expect(listensOn(child.pid!, port)).toBe(false);
    } finally {
      child.kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(listensOn(process.pid, port)).toBe(false);
  });
});
