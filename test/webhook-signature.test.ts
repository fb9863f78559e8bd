import { describe, expect, it } from 'vitest';
import { isPrivateAddress, refusedTarget } from '../common/public-address';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../common/webhook-signature';

describe('Standard Webhooks signatures', () => {
  const secret = newWebhookSecret();
  const now = Date.now();
  const timestamp = Math.floor(now / 1000);
  const body = '{"type":"operation.completed"}';
  const headers = { id: 'msg_1', timestamp: String(timestamp) };

  it('verify what was signed with the same secret, and nothing else', () => {
    const signature = signWebhook(secret, 'msg_1', timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(secret, { ...headers, signature }, body, 300, now)).toBe(true);
    expect(
      verifyWebhook(secret, { ...headers, signature: `v1,x ${signature}` }, body, 300, now),
    ).toBe(true);
    expect(verifyWebhook(newWebhookSecret(), { ...headers, signature }, body, 300, now)).toBe(
      false,
    );
    expect(verifyWebhook(secret, { ...headers, id: 'msg_2', signature }, body, 300, now)).toBe(
      false,
    );
    expect(verifyWebhook(secret, { ...headers, signature }, `${body}\n`, 300, now)).toBe(false);
  });

  it('refuse a timestamp outside the tolerance (a replay)', () => {
    const old = timestamp - 600;
    const signature = signWebhook(secret, 'msg_1', old, body);
    expect(
      verifyWebhook(secret, { id: 'msg_1', timestamp: String(old), signature }, body, 300, now),
    ).toBe(false);
  });
});

describe('webhook targets', () => {
  it('tell private, loopback and link-local addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuse a loopback target unless private targets are allowed', async () => {
    expect(await refusedTarget(new URL('http://127.0.0.1:9/x'), false)).toContain(
      'WEBHOOK_ALLOW_PRIVATE',
    );
    expect(await refusedTarget(new URL('http://localhost:9/x'), false)).toContain('loopback');
    expect(await refusedTarget(new URL('http://127.0.0.1:9/x'), true)).toBeUndefined();
    expect(await refusedTarget(new URL('http://93.184.216.34/x'), false)).toBeUndefined();
  });
});
