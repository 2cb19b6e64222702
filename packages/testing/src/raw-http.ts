import http from 'node:http';
import net from 'node:net';

/** The last response on a raw connection, as received. */
export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent, interim responses (`100 Continue`) included. */
  raw: string;
}

function parseRaw(raw: string): RawResponse {
  const text = raw.slice(Math.max(0, raw.lastIndexOf('HTTP/1.1 ')));
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), raw };
}

/** Writes `request` byte for byte on a new connection to 127.0.0.1:`port` (what no HTTP client would
 * send: malformed request lines, oversized heads) and reads until the server closes the connection,
 * or for `untilMs`. */
export function rawRequest(port: number, request: string | Buffer, untilMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(raw));
    };
    const timer = setTimeout(done, untilMs);
    socket.on('data', (d: Buffer) => (raw += d.toString('latin1')));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (err) => (raw ? done() : reject(err)));
    socket.write(request);
  });
}

/** One request through node:http, for methods fetch refuses (TRACE, CONNECT) or does not know (QUERY). */
export function sendRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
