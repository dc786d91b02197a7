import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { signWebhook, WebhookVerifier } from './hmac.js';

const secret = 'whsec-0123456789';
const body = Buffer.from('{"po":"4500012345"}');
const options = { secret, header: 'x-loom-signature', toleranceSeconds: 300 };

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof LoomError ? err.code : 'not-a-loom-error';
  }
}

describe('webhook HMAC signatures', () => {
  it('accepts a good signature once and refuses the same signed request again (replay)', () => {
    const verifier = new WebhookVerifier(options);
    const header = signWebhook(body, secret, 1_000_000);
    expect(codeOf(() => verifier.verify(header, body, 1_000_010))).toBeUndefined();
    expect(codeOf(() => verifier.verify(header, body, 1_000_020))).toBe('webhook.signature.replayed');
    // The sender retrying signs again with a new timestamp: accepted.
    expect(codeOf(() => verifier.verify(signWebhook(body, secret, 1_000_021), body, 1_000_021))).toBeUndefined();
  });

  it('refuses a wrong secret, a changed body, a stale or future timestamp, a missing or malformed header', () => {
    const verifier = new WebhookVerifier(options);
    expect(codeOf(() => verifier.verify(signWebhook(body, 'other-secret', 1000), body, 1000))).toBe('webhook.signature.invalid');
    expect(codeOf(() => verifier.verify(signWebhook(body, secret, 1000), Buffer.from('{"po":"1"}'), 1000))).toBe('webhook.signature.invalid');
    expect(codeOf(() => verifier.verify(signWebhook(body, secret, 1000), body, 1000 + 301))).toBe('webhook.signature.stale');
    expect(codeOf(() => verifier.verify(signWebhook(body, secret, 2000), body, 1000))).toBe('webhook.signature.stale');
    expect(codeOf(() => verifier.verify(undefined, body, 1000))).toBe('webhook.signature.missing');
    expect(codeOf(() => verifier.verify('sha256=abc', body, 1000))).toBe('webhook.signature.malformed');
  });

  it('accepts any of several v1 values (secret rotation on the sender side)', () => {
    const verifier = new WebhookVerifier(options);
    const good = signWebhook(body, secret, 5000).split(',')[1]!;
    const old = signWebhook(body, 'old-secret-123', 5000).split(',')[1]!;
    expect(codeOf(() => verifier.verify(`t=5000,${old},${good}`, body, 5000))).toBeUndefined();
  });

  it('forgets accepted signatures once they are out of the window (memory stays bounded)', () => {
    const verifier = new WebhookVerifier(options);
    for (let t = 0; t < 2000; t += 1) verifier.verify(signWebhook(body, secret, t), body, t);
    // Only the last ~300 s of signatures are kept.
    expect((verifier as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(302);
  });

  it('property: any body signed with the secret verifies; any single changed byte does not', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, at) => {
      const verifier = new WebhookVerifier(options);
      const t = 1_700_000_000;
      const header = signWebhook(bytes, secret, t);
      const changed = Uint8Array.from(bytes);
      changed[at % changed.length] = (changed[at % changed.length]! + 1) % 256;
      expect(codeOf(() => verifier.verify(header, changed, t))).toBe('webhook.signature.invalid');
      expect(codeOf(() => verifier.verify(header, bytes, t))).toBeUndefined();
    }));
  });
});
