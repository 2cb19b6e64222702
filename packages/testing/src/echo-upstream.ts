import type http from 'node:http';
import { listen } from './listen';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A test upstream. By last path segment: `sse` streams one event and holds the stream until
 * `releaseStreams()`; `reset` destroys the socket; `hang` never answers; `upload` counts body bytes;
 * `slow` answers after `?ms=`; anything else echoes the request as JSON (with a backend CORS header
 * that the gateway must remove). */
export interface EchoUpstream {
  url: string;
  seen: SeenRequest[];
  /** Body bytes received by `upload` requests so far (also while they are still streaming). */
  uploadBytes: number;
  /** `upload` requests begun and not yet ended or aborted. */
  readonly uploadsOpen: number;
  releaseStreams(): void;
  close(): Promise<void>;
}

export async function startEchoUpstream(): Promise<EchoUpstream> {
  const seen: SeenRequest[] = [];
  const openStreams = new Set<http.ServerResponse>();
  const state = { uploadBytes: 0, uploadsOpen: 0 };
  const server = await listen((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://upstream');
    const last = url.pathname.split('/').pop();
    switch (last) {
      case 'sse':
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          'access-control-allow-origin': 'https://backend.example',
        });
        res.write(': ping\n\n');
        res.write('id: 1\nevent: token\ndata: {"event_type":"token","content":"hello"}\n\n');
        openStreams.add(res);
        res.on('close', () => openStreams.delete(res));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'upload':
        state.uploadsOpen += 1;
        req.on('close', () => (state.uploadsOpen -= 1));
        req.on('data', (chunk: Buffer) => (state.uploadBytes += chunk.length));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ bytes: state.uploadBytes }));
        });
        return;
      case 'slow': {
        const ms = Number(url.searchParams.get('ms') ?? 500);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ slept: ms }));
        }, ms);
        return;
      }
      default: {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(200, {
            'content-type': 'application/json',
            'access-control-allow-origin': 'https://backend.example',
            'access-control-allow-credentials': 'true',
          });
          res.end(
            JSON.stringify({
              method: req.method,
              url: req.url,
              headers: req.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        });
      }
    }
  });
  return {
    url: server.url,
    seen,
    get uploadBytes() {
      return state.uploadBytes;
    },
    set uploadBytes(v: number) {
      state.uploadBytes = v;
    },
    get uploadsOpen() {
      return state.uploadsOpen;
    },
    releaseStreams() {
      for (const res of openStreams) res.end('event: done\ndata: {"event_type":"done"}\n\n');
    },
    close: server.close,
  };
}
