import { createHmac, timingSafeEqual } from 'node:crypto';
import { LoomError } from '../../kernel/errors.js';

/**
 * Webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (the scheme Stripe and
 * many SaaS vendors use). The timestamp bounds replays to a window; a signature already seen inside
 * that window is a replay and refused too.
 */
export interface WebhookSignatureOptions {
  /** Shared secret (write `${env:NAME}` or `${file:path}` in the config). */
  secret: string;
  /** Header carrying the signature. */
  header: string;
  /** Accepted clock difference between sender and Loom, and the replay window. */
  toleranceSeconds: number;
}

/** `t=…,v1=…` for `body` at `nowSeconds`. */
export function signWebhook(body: Uint8Array, secret: string, nowSeconds: number): string {
  return `t=${nowSeconds},v1=${digest(secret, nowSeconds, body)}`;
}

function digest(secret: string, t: number, body: Uint8Array): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The parts of a signature header, or undefined when it is not of the `t=…,v1=…` form. */
function parseSignature(header: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/**
 * Verifies webhook signatures and remembers the ones it accepted inside the window, so that a
 * captured request sent again is refused. Throws LoomError `webhook.signature.*` on failure.
 *
 * @example
 * const verifier = new WebhookVerifier({ secret, header: 'x-loom-signature', toleranceSeconds: 300 });
 * verifier.verify(request.headers.get('x-loom-signature'), body, Date.now() / 1000);
 */
export class WebhookVerifier {
  /** Accepted signatures → the second they stop mattering (their timestamp + tolerance). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: WebhookSignatureOptions) {}

  verify(header: string | null | undefined, body: Uint8Array, nowSeconds: number): void {
    const where = this.options.header;
    if (!header) {
      throw new LoomError('webhook.signature.missing', `no ${where} header`, { location: where, hint: 'the sender must sign each request with the shared secret' });
    }
    const parsed = parseSignature(header);
    if (!parsed) {
      throw new LoomError('webhook.signature.malformed', `${where} is not of the form t=<unix seconds>,v1=<hex sha256>`, { location: where });
    }
    const skew = Math.abs(nowSeconds - parsed.t);
    if (skew > this.options.toleranceSeconds) {
      throw new LoomError('webhook.signature.stale', `the signature's timestamp is ${Math.round(skew)} s from Loom's clock (window ${this.options.toleranceSeconds} s)`, {
        location: where,
        hint: "check the sender's clock (NTP); a request captured and sent later is refused on purpose",
      });
    }
    const expected = Buffer.from(digest(this.options.secret, parsed.t, body), 'hex');
    const match = parsed.v1.find((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
    if (!match) {
      throw new LoomError('webhook.signature.invalid', `${where} does not match the body`, { location: where, hint: 'the secret differs, or the body was changed on the way' });
    }
    this.forgetBefore(nowSeconds);
    const key = `${parsed.t}.${match}`;
    if (this.seen.has(key)) {
      throw new LoomError('webhook.signature.replayed', `this exact signed request was already accepted`, { location: where, hint: 'a sender retrying must sign again with a new timestamp' });
    }
    this.seen.set(key, parsed.t + this.options.toleranceSeconds);
  }

  /** Entries are inserted in (nearly) timestamp order, so expired ones sit at the front. */
  private forgetBefore(nowSeconds: number): void {
    for (const [key, until] of this.seen) {
      if (until >= nowSeconds) break;
      this.seen.delete(key);
    }
  }
}
