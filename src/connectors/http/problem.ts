import type { LoomErrorJson } from '../../kernel/errors.js';

/** An `application/problem+json` response carrying the LoomError code (CONVENTIONS: API errors). */
export function problemResponse(status: number, error: LoomErrorJson, errors: LoomErrorJson[] = [], extra: Record<string, unknown> = {}): Response {
  const body = {
    type: `https://loom.dev/problems/${error.code}`,
    title: error.message,
    status,
    code: error.code,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(errors.length ? { errors } : {}),
    ...extra,
  };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
