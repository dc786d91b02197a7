/**
 * The one error type of Loom. Codes are dotted and stable (`hl7.segment.missing`,
 * `x12.envelope.count-mismatch`, `config.field.invalid`): users and alerts key on them.
 * Locations use the standard's own notation (`PID-3[2].1`, `ISA13`, `ST segment 4 element 2`,
 * `loom.config.yaml:42 channels[3].url`).
 *
 * @example
 * throw new LoomError('hl7.segment.missing', 'MSH segment is missing', {
 *   location: 'segment 1', hint: 'an HL7 v2 message starts with MSH|^~\\&',
 * });
 */
export interface LoomErrorOptions {
  location?: string;
  hint?: string;
  cause?: unknown;
}

export interface LoomErrorJson {
  code: string;
  message: string;
  location?: string;
  hint?: string;
}

export class LoomError extends Error {
  readonly code: string;
  readonly location?: string;
  readonly hint?: string;

  constructor(code: string, message: string, options: LoomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoomError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }

  toJSON(): LoomErrorJson {
    const json: LoomErrorJson = { code: this.code, message: this.message };
    if (this.location !== undefined) json.location = this.location;
    if (this.hint !== undefined) json.hint = this.hint;
    return json;
  }

  /** One line for terminals and logs: `code at location: message (hint)`. */
  describe(): string {
    const where = this.location ? ` at ${this.location}` : '';
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${this.code}${where}: ${this.message}${hint}`;
  }
}

export function isLoomError(value: unknown): value is LoomError {
  return value instanceof LoomError;
}

/** Wrap anything thrown into a LoomError, keeping LoomErrors as they are. */
export function toLoomError(value: unknown, code = 'internal.unexpected', location?: string): LoomError {
  if (value instanceof LoomError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new LoomError(code, message, { location, cause: value });
}
