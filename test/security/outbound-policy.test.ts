import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { isPrivateAddress, outboundRefusal, parseAllowedHost } from '../../common/public-address';

const closed = { allowPrivate: false, allowedHosts: [] };

describe('the outbound address policy', () => {
  it('checks an IPv4 address however IPv6 carries it', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      '::7f00:1',
      '0.0.0.0',
      '192.0.0.170',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['::ffff:808:808', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('lets a listed host through on its ports only, by name or by address', () => {
    const lab = {
      allowPrivate: false,
      allowedHosts: [{ host: '127.0.0.1', ports: [2201, 2207] as const }],
    };
    expect(outboundRefusal('127.0.0.1', { host: '127.0.0.1', port: 2203 }, lab)).toBeUndefined();
    expect(outboundRefusal('127.0.0.1', { host: 'localhost', port: 2207 }, lab)).toBeUndefined();
    expect(outboundRefusal('127.0.0.1', { host: '127.0.0.1', port: 7233 }, lab)).toMatch(
      /OUTBOUND_ALLOWED_HOSTS=127\.0\.0\.1:7233/,
    );
    const named = { allowPrivate: false, allowedHosts: [{ host: 'lab.internal' }] };
    expect(outboundRefusal('10.0.0.5', { host: 'lab.internal', port: 22 }, named)).toBeUndefined();
    expect(outboundRefusal('10.0.0.5', { host: 'other.internal', port: 22 }, named)).toBeDefined();
    expect(outboundRefusal('::1', { host: '::1', port: 80 }, closed)).toMatch(
      /OUTBOUND_ALLOWED_HOSTS=\[::1\]:80/,
    );
    expect(outboundRefusal('8.8.8.8', { host: 'dns.google', port: 443 }, closed)).toBeUndefined();
    expect(
      outboundRefusal(
        '169.254.169.254',
        { host: '169.254.169.254', port: 80 },
        {
          allowPrivate: true,
          allowedHosts: [],
        },
      ),
    ).toBeUndefined();
  });

  it('reads allow-list entries as the URL parser writes hosts', () => {
    expect(parseAllowedHost('Lab.Internal')).toEqual({ host: 'lab.internal' });
    expect(parseAllowedHost('127.0.0.1:2201-2207')).toEqual({
      host: '127.0.0.1',
      ports: [2201, 2207],
    });
    expect(parseAllowedHost('[0:0:0:0:0:0:0:1]:80')).toEqual({ host: '::1', ports: [80, 80] });
  });

  it('refuses malformed allow-list entries and relative roots at start', () => {
    for (const entry of ['a b', 'host:0', 'host:9-3', 'host:70000', 'http://host']) {
      expect(parseAllowedHost(entry), entry).toBeUndefined();
    }
    expect(() => loadConfig({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1:8088,a b' })).toThrow(
      /OUTBOUND_ALLOWED_HOSTS: "a b" is not host/,
    );
    expect(() => loadConfig({ FILE_ROOTS: '/srv/files,examples' })).toThrow(
      /FILE_ROOTS.*absolute path/,
    );
    expect(loadConfig({ FILE_ROOTS: '/srv/a, /srv/b' }).FILE_ROOTS).toEqual(['/srv/a', '/srv/b']);
    expect(loadConfig({}).FILE_ROOTS).toEqual([]);
  });
});
