import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LoomError, toLoomError } from '../kernel/index.js';

// Error codes (by prefix) and the HTTP status they answer with; the rest are 400.
const statusByPrefix: Array<[string, ContentfulStatusCode]> = [
  ['api.not-found', 404],
  ['channel.unknown', 404],
  ['message.unknown', 404],
  ['dead-letter.unknown', 404],
  ['intake.too-large', 413],
  ['payload.too-large', 413],
  ['auth.', 401],
  ['store.', 503],
  ['intake.paused', 503],
  ['engine.stopping', 503],
  ['internal.', 500],
];

export function statusFor(error: LoomError): ContentfulStatusCode {
  return statusByPrefix.find(([prefix]) => error.code.startsWith(prefix))?.[1] ?? 400;
}

/**
 * Answer an error as `application/problem+json` carrying the LoomError code (CONVENTIONS.md).
 * A resource may pick the status for its own codes and add members (e.g. per-line CSV errors).
 */
export function problem(c: Context, error: unknown, options: { status?: ContentfulStatusCode; extra?: Record<string, unknown> } = {}): Response {
  const loomError = toLoomError(error);
  const status = options.status ?? statusFor(loomError);
  const body = {
    type: `https://loom.dev/errors/${loomError.code}`,
    title: loomError.message,
    status,
    code: loomError.code,
    detail: loomError.message,
    location: loomError.location,
    hint: loomError.hint,
    ...options.extra,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

export function notFound(what: string, id: string): LoomError {
  return new LoomError('api.not-found', `${what} ${id} does not exist`, { location: id, hint: 'check the id, or search first' });
}
