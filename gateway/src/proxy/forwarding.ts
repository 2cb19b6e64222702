import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus legacy ones; never forwarded in either direction. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Node's test for an HTTP/1.1 request that waits for `100 Continue` (its `checkContinue` event). */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

export function expectsContinue(req: IncomingMessage): boolean {
  const expect = req.headers.expect;
  return req.httpVersion === '1.1' && typeof expect === 'string' && CONTINUE_EXPECTATION.test(expect);
}

/** Identity and forwarding headers a client must never be able to set; the gateway sets its own. */
export function isSpoofableHeader(name: string): boolean {
  return (
    name.startsWith('x-aegis-') ||
    name.startsWith('x-forwarded-') ||
    name === 'x-user-id' ||
    name === 'x-tenant-id' ||
    name === 'x-roles' ||
    name === 'x-real-ip' ||
    name === 'forwarded' ||
    name === 'x-request-id'
  );
}

/** Headers named in `Connection` are hop-by-hop too, except that a client cannot use that to strip
 * headers the gateway itself adds (they are set after this removal). */
export function connectionTokens(value: string | string[] | undefined): string[] {
  if (!value) return [];
  // The usual value is one token (`keep-alive`, `close`): no split needed.
  if (typeof value === 'string' && !value.includes(',')) {
    const token = value.trim().toLowerCase();
    return token ? [token] : [];
  }
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [addr, bits] = entry.split('/');
      const family = isIP(addr ?? '');
      if (!family) throw new Error(`TRUSTED_PROXIES: ${entry} is not an IP address or CIDR`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits !== undefined) this.list.addSubnet(addr, Number(bits), type);
      else this.list.addAddress(addr, type);
    }
    this.empty = entries.length === 0;
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    const family = isIP(plain);
    if (!family) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** The client address and the X-Forwarded-For chain to pass on. Entries are trusted only while the hop
 * that added them is a configured proxy: walking right to left from the socket address, the first
 * untrusted address is the client, and everything left of it is discarded as client-controlled. */
export function forwardedFor(
  socketAddress: string,
  xff: string | string[] | undefined,
  trusted: TrustedProxies,
): { client: string; chain: string } {
  const remote = socketAddress.startsWith('::ffff:') ? socketAddress.slice(7) : socketAddress;
  if (!trusted.has(remote) || !xff) return { client: remote, chain: remote };
  const hops = (Array.isArray(xff) ? xff.join(',') : xff)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const kept: string[] = [remote];
  let client = remote;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i];
    if (!isIP(hop)) break;
    kept.unshift(hop);
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return { client, chain: kept.join(', ') };
}

export interface VerifiedIdentityHeaders {
  userId: string;
  tenantId: string;
  roles: readonly string[];
}

export interface OutboundHeaderInput {
  headers: IncomingHttpHeaders;
  requestId: string;
  forwardedChain: string;
  proto: 'http' | 'https';
  host: string | undefined;
  identity?: VerifiedIdentityHeaders;
  /** When the token came from the cookie, services also get it as a bearer header. */
  bearerToken?: string;
}

/** Builds the upstream request headers: hop-by-hop and spoofable headers removed first, then the
 * verified identity and forwarding headers set, so nothing the client sends can remove or replace them. */
export function outboundHeaders(input: OutboundHeaderInput): OutgoingHttpHeaders {
  const named = new Set(connectionTokens(input.headers.connection));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || named.has(name) || isSpoofableHeader(name)) continue;
    out[name] = value;
  }
  out['x-request-id'] = input.requestId;
  out['x-forwarded-for'] = input.forwardedChain;
  out['x-forwarded-proto'] = input.proto;
  if (input.host) out['x-forwarded-host'] = input.host;
  if (input.identity) {
    out['x-aegis-user-id'] = input.identity.userId;
    out['x-aegis-tenant-id'] = input.identity.tenantId;
    out['x-aegis-roles'] = input.identity.roles.join(',');
  }
  if (input.bearerToken && !out.authorization) out.authorization = `Bearer ${input.bearerToken}`;
  return out;
}

const CORS_PREFIX = 'access-control-';

/** Removes hop-by-hop headers (and those the upstream named in Connection) and backend CORS headers
 * from an upstream response: the gateway is the only CORS authority. */
export function sanitizeResponseHeaders(headers: IncomingHttpHeaders): void {
  const named = connectionTokens(headers.connection);
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || name.startsWith(CORS_PREFIX) || (named.length > 0 && named.includes(name)))
      delete headers[name];
  }
}
