import { LoomError } from '../../kernel/errors.js';
import { MLLP_CR, MLLP_END, MLLP_START } from './frame.js';

export interface MllpDecoderOptions {
  /** Largest payload accepted; a longer frame throws `mllp.frame.too-large`. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Skip CR, LF, space and tab between frames (some senders add a line break). Default true. */
  allowWhitespaceBetweenFrames?: boolean;
}

/**
 * Streaming MLLP deframer: push socket chunks, get complete payloads (without 0x0B/0x1C 0x0D).
 * Partial frames are held across pushes. After a thrown LoomError the decoder is reset; the
 * connector should answer with a NAK where it can and close the connection.
 *
 * @example
 * const dec = new MllpDecoder({ maxFrameBytes: 1 << 20 });
 * socket.on('data', (chunk) => { for (const frame of dec.push(chunk)) handle(frame); });
 */
export class MllpDecoder {
  private readonly maxFrameBytes: number;
  private readonly lenient: boolean;
  private inFrame = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** True when the previous chunk ended with 0x1C inside a frame (its CR may come next). */
  private pendingEnd = false;

  constructor(options: MllpDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
    this.lenient = options.allowWhitespaceBetweenFrames ?? true;
  }

  /** Feed bytes; returns the frames completed by them, in order. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let pos = 0;
    const n = chunk.length;
    if (this.pendingEnd && n > 0) {
      this.pendingEnd = false;
      if (chunk[0] === MLLP_CR) {
        frames.push(this.take());
        pos = 1;
      } else {
        // a lone 0x1C is content by the letter of MLLP r2; keep it
        this.append(Buffer.from([MLLP_END]));
      }
    }
    while (pos < n) {
      if (!this.inFrame) {
        const b = chunk[pos];
        if (b === MLLP_START) {
          this.inFrame = true;
          pos++;
          continue;
        }
        if (this.lenient && (b === 0x0d || b === 0x0a || b === 0x20 || b === 0x09)) {
          pos++;
          continue;
        }
        this.reset();
        throw new LoomError('mllp.frame.garbage', `byte 0x${b.toString(16).padStart(2, '0')} arrived outside an MLLP frame`, {
          location: `chunk byte ${pos}`,
          hint: 'the sender must wrap each message as 0x0B message 0x1C 0x0D; check that it speaks MLLP and not raw TCP or TLS to a plain port',
        });
      }
      let end = chunk.indexOf(MLLP_END, pos);
      while (end !== -1 && end + 1 < n && chunk[end + 1] !== MLLP_CR) end = chunk.indexOf(MLLP_END, end + 1);
      if (end === -1) {
        this.append(chunk.subarray(pos));
        return frames;
      }
      this.append(chunk.subarray(pos, end));
      if (end + 1 >= n) {
        this.pendingEnd = true;
        return frames;
      }
      frames.push(this.take());
      pos = end + 2;
    }
    return frames;
  }

  /** Bytes held for a frame that has not ended yet. */
  pending(): number {
    return this.size + (this.pendingEnd ? 1 : 0);
  }

  /** Drop any partial frame (e.g. when the connection closes). */
  reset(): void {
    this.inFrame = false;
    this.parts = [];
    this.size = 0;
    this.pendingEnd = false;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.size + bytes.length > this.maxFrameBytes) {
      const size = this.size + bytes.length;
      this.reset();
      throw new LoomError('mllp.frame.too-large', `an MLLP frame passed ${this.maxFrameBytes} bytes (at least ${size} so far)`, {
        // the first byte over the limit, counted from the frame's first payload byte (after 0x0B)
        location: `frame byte ${this.maxFrameBytes + 1}`,
        hint: 'raise maxFrameBytes for this channel if such messages are expected, or check that the sender ends frames with 0x1C 0x0D',
      });
    }
    // copy: the socket may reuse its buffer after the callback
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private take(): Buffer {
    const frame = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.inFrame = false;
    this.parts = [];
    this.size = 0;
    return frame;
  }
}
