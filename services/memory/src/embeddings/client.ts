import { UpstreamError } from '@aegis/common';

/** Turns texts into vectors with one model. */
export interface Embedder {
  readonly model: string;
  /** One vector per text, in order; throws UpstreamError (502) when the endpoint fails. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

export interface EmbeddingsSettings {
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.openai.com/v1`; requests go to
   * `<url>/embeddings`. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

interface EmbeddingsAnswer {
  data?: { embedding?: unknown; index?: unknown }[];
}

const isVector = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** A client of an OpenAI-compatible embeddings endpoint (`POST <url>/embeddings {model, input}`). */
export function createEmbedder(settings: EmbeddingsSettings): Embedder {
  const fail = (why: string) => new UpstreamError(`The embeddings endpoint ${why}`, 'embeddings_unavailable');
  return {
    model: settings.model,
    async embed(texts) {
      let res: Response;
      try {
        res = await fetch(`${settings.url}/embeddings`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: settings.model, input: texts }),
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch {
        throw fail('did not answer');
      }
      if (!res.ok) throw fail(`answered ${res.status}`);
      const answer = (await res.json().catch(() => ({}))) as EmbeddingsAnswer;
      const data = Array.isArray(answer.data) ? answer.data : [];
      const vectors: number[][] = [];
      for (const [i, item] of data.entries()) {
        const at = typeof item.index === 'number' ? item.index : i;
        if (isVector(item.embedding)) vectors[at] = item.embedding;
      }
      if (vectors.length !== texts.length || texts.some((_, i) => !vectors[i]))
        throw fail('answered without one vector per input');
      return vectors;
    },
  };
}
