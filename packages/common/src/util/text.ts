/** Checks that text a client sent is text: valid UTF-8 bytes, well-formed Unicode strings. Pure. */

/** Decodes UTF-8 bytes, or returns the offset of the first byte that is not valid UTF-8 (an
 * overlong form, a surrogate code point, a truncated or stray continuation byte...). A BOM is kept. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; offset: number } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { ok: false, offset: firstInvalidUtf8(bytes) };
  }
}

/** The offset where the first ill-formed UTF-8 sequence starts (the Unicode standard's Table 3-7: the
 * bytes before it decode), or -1 when all of `bytes` is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `text` is well-formed Unicode: no lone surrogate (String.prototype.isWellFormed, ES2024). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Where a parsed JSON value holds a string (a value or an object key) that is not well-formed
 * Unicode (a lone surrogate, written `\ud800` in JSON): its path, the key last when the key itself is
 * the culprit; undefined when every string is well-formed. */
export function malformedStringPath(value: unknown): (string | number)[] | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : [];
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const inner = malformedStringPath(value[i]);
      if (inner) return [i, ...inner];
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    if (!isWellFormed(key)) return [key];
    const inner = malformedStringPath(v);
    if (inner) return [key, ...inner];
  }
  return undefined;
}

/** Whether JSON text may hold a lone surrogate at all: only a `\uD800`–`\uDFFF` escape can make one
 * (the text itself, decoded from UTF-8, is well-formed). */
export function mayEscapeSurrogates(json: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(json);
}

/** The first `name=value` pair of a raw query string whose name or value does not percent-decode to
 * UTF-8 text (`%FF`, `%ED%A0%80`, a truncated `%E2%82`): its (decodable part of the) name, or
 * undefined when every pair decodes. */
export function undecodableQueryParam(querystring: string): string | undefined {
  if (!querystring.includes('%')) return undefined;
  for (const pair of querystring.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ');
    const name = tryDecode(rawName);
    if (name === undefined) return rawName;
    if (tryDecode(rawValue) === undefined) return name;
  }
  return undefined;
}

/** Percent-decodes `text`; a `%` not followed by two hex digits stays literal (as Koa reads it). */
function tryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    return undefined;
  }
}
