import { type DestinationStream, type Logger as PinoLogger, destination, pino, stdTimeFunctions } from 'pino';
import type { LogFields, Logger } from '../kernel/index.js';
import { DEFAULT_REDACT, REDACTED, createRedactor, toPinoPaths } from './redact.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Extra keys/paths to redact, added to `DEFAULT_REDACT` (config `logging.redact`). */
  redact?: readonly string[];
  /** Set false to use only `redact` (tests of the redaction itself). */
  redactDefaults?: boolean;
  /** Where JSON lines go; stdout when absent. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ service: 'loom' }`. */
  base?: LogFields;
}

/** The kernel's Logger port plus access to pino for adapters (HTTP request logs) and flushing. */
export interface LoomLogger extends Logger {
  child(bindings: LogFields): LoomLogger;
  /** The underlying pino logger: its output keeps pino's path redaction but skips value scrubbing. */
  readonly pino: PinoLogger;
  flush(): void;
}

/**
 * JSON-lines logger on pino with PHI redaction by key path and by value (HL7 PID segments,
 * SSNs inside strings).
 *
 * @example
 * const log = createLogger({ level: 'info', redact: ['visitNumber'] });
 * log.child({ channel: 'ehr-adt' }).info({ messageId }, 'journaled');
 */
export function createLogger(options: LoggerOptions = {}): LoomLogger {
  const entries = [...(options.redactDefaults === false ? [] : DEFAULT_REDACT), ...(options.redact ?? [])];
  const redactor = createRedactor(entries);
  const instance = pino(
    {
      level: options.level ?? 'info',
      base: options.base ? (redactor.object(options.base) as LogFields) : null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: toPinoPaths(entries), censor: REDACTED },
    },
    options.destination ?? destination({ dest: 1, sync: false }),
  );
  return wrap(instance, redactor);
}

function wrap(instance: PinoLogger, redactor: ReturnType<typeof createRedactor>): LoomLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (fields: LogFields, message?: string) => {
    if (!instance.isLevelEnabled(level)) return;
    const clean = redactor.object(fields) as LogFields;
    if (message === undefined) instance[level](clean);
    else instance[level](clean, redactor.text(message));
  };
  return {
    pino: instance,
    child: (bindings) => wrap(instance.child(redactor.object(bindings) as LogFields), redactor),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    flush: () => instance.flush(),
  };
}
