import { type LookupAddress, lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook or a handler may not reach unless the deployment allows them (SSRF):
 * this-host, private, shared, loopback, link-local (cloud metadata at 169.254.169.254),
 * benchmark, documentation, multicast and reserved space.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // IPv4-compatible (deprecated), with :: and ::1 in it.
  ['::', 96],
  ['100::', 64],
  // Teredo hides its IPv4 server and client; nothing Conveyor calls lives there.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  let text = address;
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = `${address.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part ? part.split(':').map((group) => Number.parseInt(group, 16)) : [];
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const ipv4Of = (high: number, low: number) =>
  `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 one carries, where the network delivers it to that IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d, in either spelling), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff)
    return ipv4Of(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return ipv4Of(g6, g7);
  if (g0 === 0x2002) return ipv4Of(g1 ?? 0, g2 ?? 0);
  return undefined;
}

export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) return PRIVATE.check(address, 'ipv4');
  // An IPv4 address written as IPv6 is checked as the IPv4 it reaches.
  const inner = embeddedIpv4(address);
  if (inner) return PRIVATE.check(inner, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/**
 * Why a webhook may not be sent to `url`, or undefined when it may: the addresses its host
 * resolves to must all be public, unless private targets are allowed by configuration.
 */
export async function refusedTarget(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    // Not resolvable now: nothing private to refuse. Sending to it fails until it resolves,
    // and is checked again then.
    return undefined;
  }
  const inside = addresses.find(isPrivateAddress);
  return inside
    ? `its host ${host} resolves to the private or loopback address ${inside}; set WEBHOOK_ALLOW_PRIVATE=true to allow such targets`
    : undefined;
}

/** One host (a name or an IP address) a deployment lets handlers reach though it is private. */
export interface AllowedHost {
  host: string;
  /** Inclusive; undefined: every port. */
  ports?: readonly [number, number];
}

/** Which private targets handlers may reach: all of them, or only the hosts listed. */
export interface OutboundPolicy {
  allowPrivate: boolean;
  allowedHosts: readonly AllowedHost[];
  /** How a refusal says to allow the target (`entry` is its host:port); handlers' settings by default. */
  howToAllow?: (entry: string) => string;
}

/** Names and IP literals compared as the URL parser writes them (lower case, IPv6 unbracketed). */
const canonicalHost = (host: string) => {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return isIP(bare) === 6 ? new URL(`http://[${bare}]`).hostname.slice(1, -1) : bare;
};

/** `host`, `host:port` or `host:first-last` (IPv6 in brackets); undefined when malformed. */
export function parseAllowedHost(entry: string): AllowedHost | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5})(?:-(\d{1,5}))?)?$/i.exec(
    entry.trim(),
  );
  if (!match?.[1]) return undefined;
  const host = canonicalHost(match[1]);
  if (match[2] === undefined) return { host };
  const first = Number(match[2]);
  const last = Number(match[3] ?? match[2]);
  if (first < 1 || last > 65_535 || first > last) return undefined;
  return { host, ports: [first, last] };
}

/** Where a handler asked to go: the host as written (a name or an IP) and the port. */
export interface OutboundTarget {
  host: string;
  port: number;
}

/**
 * Why a handler may not connect to `address` for `target`, or undefined when it may. A listed
 * host matches by the name the handler gave or by the address connected to, on a listed port.
 */
export function outboundRefusal(
  address: string,
  target: OutboundTarget,
  policy: OutboundPolicy,
): string | undefined {
  if (policy.allowPrivate || !isPrivateAddress(address)) return undefined;
  const host = canonicalHost(target.host);
  const ip = canonicalHost(address);
  const listed = policy.allowedHosts.some(
    (allowed) =>
      (allowed.host === host || allowed.host === ip) &&
      (!allowed.ports || (target.port >= allowed.ports[0] && target.port <= allowed.ports[1])),
  );
  if (listed) return undefined;
  const where = host === ip ? address : `${target.host} (${address})`;
  const entry = `${isIP(host) === 6 ? `[${host}]` : host}:${target.port}`;
  const howToAllow =
    policy.howToAllow ??
    ((listed: string) =>
      `set OUTBOUND_ALLOWED_HOSTS=${listed} (or OUTBOUND_ALLOW_PRIVATE=true) to let handlers reach it`);
  return `${where} is a private, loopback or link-local address; ${howToAllow(entry)}`;
}

/** Raised by `checkedLookup` when an address is refused; the connection is never opened. */
export class RefusedTarget extends Error {
  override name = 'RefusedTarget';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node:net and node:http(s) that resolves the host, checks every address it
 * resolves to and hands only checked addresses to the socket: the address connected to is the
 * address checked, so a second answer from DNS (rebinding) is never used.
 */
export function checkedLookup(port: number, policy: OutboundPolicy) {
  return (
    hostname: string,
    options: { family?: number | string; hints?: number; all?: boolean },
    callback: LookupCallback,
  ): void => {
    const family = options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : options.family;
    lookupCallback(
      hostname,
      { all: true, family: (family as 0 | 4 | 6 | undefined) ?? 0, hints: options.hints },
      (error, addresses) => {
        if (error) return callback(error, []);
        for (const { address } of addresses) {
          const refusal = outboundRefusal(address, { host: hostname, port }, policy);
          if (refusal) return callback(new RefusedTarget(refusal), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            [],
          );
        callback(null, first.address, first.family);
      },
    );
  };
}
