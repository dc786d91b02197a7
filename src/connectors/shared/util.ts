import { LoomError, toLoomError, type LoomErrorJson } from '../../kernel/errors.js';

/** First `max` characters of a response body, for error messages (never whole payloads). */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The JSON form of anything thrown, as a LoomError. */
export function errorJson(value: unknown, code = 'connector.unexpected'): LoomErrorJson {
  return toLoomError(value, code).toJSON();
}

/** Resolve after `ms` unless the signal aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/** A transport-level failure as a LoomError with a stable code. */
export function transportError(code: string, message: string, cause?: unknown, hint?: string): LoomError {
  return new LoomError(code, message, { cause, hint });
}

/** Lower-case a headers record (HTTP and AMQP headers compare case-insensitively). */
export function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** fetch's BodyInit wants an ArrayBuffer-backed view; payloads never sit on a SharedArrayBuffer. */
export function bodyOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
