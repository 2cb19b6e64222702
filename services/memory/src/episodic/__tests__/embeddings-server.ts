import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Words → dimension: a scripted "model" whose vectors put synonyms together, so a query that shares
 * no word with a document can still find it (which full text cannot). */
const DIMENSIONS: readonly (readonly string[])[] = [
  ['flaring', 'flare', 'burning', 'burn'],
  ['authorisation', 'approval', 'exception', 'permission'],
  ['permit', 'drilling', 'w'],
  ['production', 'lease', 'output'],
  ['spacing', 'wellbore', 'distance'],
  ['emissions', 'pollution'],
  ['office', 'hours', 'staff'],
];

export function scriptedVector(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return DIMENSIONS.map((dim) => words.filter((w) => dim.includes(w)).length);
}

export interface ScriptedEmbeddings {
  url: string;
  requests: { authorization?: string; model: string; input: string[] }[];
  /** From now on answer 503. */
  fail(on: boolean): void;
  close(): Promise<void>;
}

/** An OpenAI-compatible `POST /v1/embeddings` on a free loopback port, answering scriptedVector. */
export async function startScriptedEmbeddings(): Promise<ScriptedEmbeddings> {
  const requests: ScriptedEmbeddings['requests'] = [];
  let failing = false;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as { model: string; input: string[] };
      requests.push({ authorization: req.headers.authorization, model: body.model, input: body.input });
      if (failing) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
        return;
      }
      const data = body.input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: scriptedVector(text),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model, data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    fail: (on) => {
      failing = on;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
