import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../common/public-address';

/** The address a delivery connects to, resolved once and checked before it is used. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

/** A target the address policy refuses: the delivery is not sent. */
export class RefusedTarget extends Error {
  override name = 'RefusedTarget';
}

/**
 * Resolves the URL's host and checks every address it gave against the policy; the request then
 * connects to the first of them and nowhere else, so a name that resolves anew between check and
 * connect (DNS rebinding) cannot move it onto a private address.
 */
export async function pinTarget(url: URL, allowPrivate: boolean): Promise<PinnedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  const found: PinnedAddress[] = literal
    ? [{ address: host, family: literal as 4 | 6 }]
    : (await lookup(host, { all: true })).map((each) => ({
        address: each.address,
        family: each.family as 4 | 6,
      }));
  const first = found[0];
  if (!first) throw new Error(`${host} resolves to no address`);
  const inside = allowPrivate ? undefined : found.find((each) => isPrivateAddress(each.address));
  if (inside) {
    throw new RefusedTarget(
      `its host ${host} resolves to the private or loopback address ${inside.address}; set WEBHOOK_ALLOW_PRIVATE=true (on the workers) to allow such targets`,
    );
  }
  return first;
}

/**
 * POSTs `body` to `url` over a connection to `pinned` only (TLS still verifies the URL's host
 * name); redirects are not followed. The response body is drained unread, so a receiver cannot
 * make the worker hold a large answer. Resolves with the status code.
 */
export function postPinned(
  url: URL,
  pinned: PinnedAddress,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<number> {
  const pinnedLookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      { method: 'POST', headers: init.headers, signal: init.signal, lookup: pinnedLookup },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}
