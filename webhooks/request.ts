import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  checkedLookup,
  type OutboundPolicy,
  outboundRefusal,
  RefusedTarget,
} from '../common/public-address';

/**
 * POSTs `body` to `url` through the same address check as handlers' outbound requests: an IP
 * literal is checked here, a name through a lookup that checks every address it resolved to
 * and hands the socket only those, so a name that resolves anew between check and connect (DNS
 * rebinding) cannot move the delivery onto a private address. TLS still verifies the URL's host
 * name; redirects are not followed; the response body is drained unread, so a receiver cannot
 * make the worker hold a large answer. Resolves with the status code; a refused target rejects
 * with `RefusedTarget` before anything is sent.
 */
export function postChecked(
  url: URL,
  policy: OutboundPolicy,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<number> {
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const refusal = isIP(host) ? outboundRefusal(host, { host, port }, policy) : undefined;
  if (refusal) return Promise.reject(new RefusedTarget(refusal));
  return new Promise((resolve, reject) => {
    // A connection of its own (no agent): a pooled socket would outlive the check it passed.
    const outgoing = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: init.headers,
        signal: init.signal,
        agent: false,
        lookup: checkedLookup(port, policy),
      },
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
