import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import {
  checkedLookup,
  type OutboundPolicy,
  outboundRefusal,
  RefusedTarget,
} from '../common/public-address';
import { PermanentError } from './define';

export interface FetchOptions {
  /** The handler's signal: the request stops when the item is cancelled or times out. */
  signal: AbortSignal;
  /** For the whole fetch, redirects and body included; default 10 s. */
  timeoutMs?: number;
  /** The largest body read; a longer one is cut off and fails the item. Default 5,000,000. */
  maxBytes?: number;
  /** Redirects followed, each checked as the first URL was; default 5. */
  maxRedirects?: number;
  headers?: Record<string, string>;
}

/** A GET's answer, its body read in full (at most `maxBytes`). */
export interface Fetched {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
}

/**
 * A handler's only way out to the network. Every address connected to, after each DNS answer
 * and each redirect, is checked against the deployment's policy (OUTBOUND_ALLOW_PRIVATE,
 * OUTBOUND_ALLOWED_HOSTS) and is the address used, so a host cannot re-resolve elsewhere.
 */
export interface Outbound {
  /** GETs `url` (http or https). Any status is returned; refused targets fail permanently. */
  fetch(url: string | URL, options: FetchOptions): Promise<Fetched>;
  /** A TCP connection to a checked address of `host`, open when it resolves. */
  connect(
    target: { host: string; port: number },
    options: { signal: AbortSignal },
  ): Promise<Socket>;
}

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 5_000_000, maxRedirects: 5 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that would hand one origin's credentials to another on a redirect. */
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

const bareHost = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

function refusedError(error: unknown, what: string): unknown {
  return error instanceof RefusedTarget
    ? new PermanentError(`${what} is refused: ${error.message}`)
    : error;
}

export function createOutbound(policy: OutboundPolicy): Outbound {
  /** IP literals never reach a `lookup`: they are checked here. */
  const checkLiteral = (host: string, port: number, what: string) => {
    if (!isIP(host)) return;
    const refusal = outboundRefusal(host, { host, port }, policy);
    if (refusal) throw new PermanentError(`${what} is refused: ${refusal}`);
  };

  function getOnce(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const https = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : https ? 443 : 80;
    checkLiteral(bareHost(url.hostname), port, url.href);
    return new Promise((resolve, reject) => {
      let request: ClientRequest | undefined;
      const fail = (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        request?.destroy();
        reject(refusedError(error, url.href));
      };
      const onAbort = () => fail(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      // A connection of its own (no agent): a pooled socket would outlive the check it passed.
      request = (https ? httpsRequest : httpRequest)(url, {
        method: 'GET',
        headers,
        agent: false,
        lookup: checkedLookup(port, policy),
      });
      request.once('error', fail);
      request.once('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const answer = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? '']) answer.append(name, one);
        }
        if (REDIRECTS.has(status) && answer.has('location')) {
          response.destroy();
          signal.removeEventListener('abort', onAbort);
          return resolve({ status, headers: answer, body: Buffer.alloc(0) });
        }
        const declared = Number(answer.get('content-length') ?? Number.NaN);
        if (declared > maxBytes) {
          return fail(
            new PermanentError(`${url.href} is ${declared} bytes, over maxBytes (${maxBytes})`),
          );
        }
        const parts: Buffer[] = [];
        let total = 0;
        response.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) {
            response.destroy();
            return fail(
              new PermanentError(
                `${url.href} sent more than maxBytes (${maxBytes}); the body was cut off there`,
              ),
            );
          }
          parts.push(chunk);
        });
        response.once('error', fail);
        response.once('end', () => {
          signal.removeEventListener('abort', onAbort);
          resolve({ status, headers: answer, body: Buffer.concat(parts) });
        });
      });
      request.end();
    });
  }

  async function fetch(target: string | URL, options: FetchOptions): Promise<Fetched> {
    const { timeoutMs, maxBytes, maxRedirects } = { ...DEFAULTS, ...options };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new PermanentError(`${String(target)} is not a URL`);
    }
    let headers = { ...options.headers };
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new PermanentError(`${url.href} is refused: only http and https URLs are fetched`);
      }
      let answer: Awaited<ReturnType<typeof getOnce>>;
      try {
        answer = await getOnce(url, headers, signal, maxBytes);
      } catch (error) {
        if (timeout.aborted && !options.signal.aborted) {
          throw new Error(`${url.href} did not answer within ${timeoutMs} ms`);
        }
        throw error;
      }
      const location = REDIRECTS.has(answer.status) ? answer.headers.get('location') : null;
      if (location === null) {
        const { body } = answer;
        return { url: url.href, ...answer, text: () => body.toString('utf8') };
      }
      if (hop >= maxRedirects) {
        throw new PermanentError(`${url.href} redirected more than ${maxRedirects} times`);
      }
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !CREDENTIALS.includes(name.toLowerCase())),
        );
      }
      url = next;
    }
  }

  async function connect(
    target: { host: string; port: number },
    options: { signal: AbortSignal },
  ): Promise<Socket> {
    const host = bareHost(target.host);
    const what = `${target.host}:${target.port}`;
    checkLiteral(host, target.port, what);
    const socket = netConnect({
      host,
      port: target.port,
      signal: options.signal,
      lookup: checkedLookup(target.port, policy),
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(socket);
      });
      const onError = (error: Error) => {
        socket.destroy();
        reject(refusedError(error, what));
      };
      socket.once('error', onError);
    });
  }

  return { fetch, connect };
}
