/** A server-sent event stream read by a test: events as they arrive, comments counted, and waits
 * with explicit timeouts. Uses fetch, so it sends any headers (cookies, Last-Event-ID). */

export interface ReceivedEvent {
  id?: string;
  event?: string;
  data: unknown;
  /** When it arrived (Date.now()). */
  at: number;
}

export interface SseClient {
  status: number;
  headers: Headers;
  events: ReceivedEvent[];
  /** `: ping` comments received. */
  pings: number;
  /** Resolves with the first event (from the start of the stream) that `match` accepts. */
  waitFor(match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves once `n` pings arrived. */
  waitForPings(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

function parseBlock(block: string): { comment?: string; event?: Omit<ReceivedEvent, 'at'> } {
  const lines = block.split('\n');
  if (lines.every((l) => l.startsWith(':')))
    return { comment: lines.map((l) => l.slice(1).trim()).join('\n') };
  const out: { id?: string; event?: string; data: string[] } = { data: [] };
  for (const line of lines) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') out.id = value;
    else if (field === 'event') out.event = value;
    else if (field === 'data') out.data.push(value);
  }
  const text = out.data.join('\n');
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { event: { id: out.id, event: out.event, data } };
}

export async function openSseClient(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const client: SseClient = {
    status: res.status,
    headers: res.headers,
    events,
    pings: 0,
    ended: Promise.resolve(),
    waitFor: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    waitForPings: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (client.pings >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Only ${client.pings} pings within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
  if (!res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return client;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  client.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const parsed = parseBlock(block);
          if (parsed.comment === 'ping') client.pings += 1;
          if (parsed.event) events.push({ ...parsed.event, at: Date.now() });
          notify();
        }
      }
    } catch {
      // aborted by close(), or the connection dropped: the stream has ended either way
    }
  })();
  return client;
}
