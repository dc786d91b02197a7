/** MLLP start block (VT). */
export const MLLP_START = 0x0b;
/** MLLP end block (FS), followed by CR. */
export const MLLP_END = 0x1c;
export const MLLP_CR = 0x0d;

/**
 * Wrap a payload in an MLLP frame: 0x0B payload 0x1C 0x0D. Strings are encoded as UTF-8.
 *
 * @example
 * socket.write(encodeMllpFrame(ackText));
 */
export function encodeMllpFrame(payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = MLLP_START;
  out.set(body, 1);
  out[body.length + 1] = MLLP_END;
  out[body.length + 2] = MLLP_CR;
  return out;
}
