/** Time source; tests and the scenario clock of the simulators replace it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type LogFields = Record<string, unknown>;

/**
 * The logging port, a subset of pino's API. Child loggers carry `channel`, `messageId`,
 * `correlationId`. PHI is removed by the logger's redaction list, not by callers;
 * payloads are never logged at info level.
 */
export interface Logger {
  child(bindings: LogFields): Logger;
  debug(fields: LogFields, message?: string): void;
  info(fields: LogFields, message?: string): void;
  warn(fields: LogFields, message?: string): void;
  error(fields: LogFields, message?: string): void;
}

/** A logger that drops everything: for library use and tests that do not read logs. */
export const silentLogger: Logger = {
  child: () => silentLogger,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A published business event on the bus (canonical, never a raw wire format). */
export interface BusEvent {
  /** Dotted event type, e.g. `device.implanted`. */
  type: string;
  /** Dedup id: the bus drops a second publish with the same id (NATS Nats-Msg-Id). */
  id: string;
  correlationId: string;
  /** Ordering key (patient, encounter, item, PO): FIFO per key. */
  key?: string;
  occurredAt: string;
  data: unknown;
}

/**
 * The Bus port: embedded (store-backed) or NATS JetStream. Delivery is at-least-once;
 * a handler that throws gets the event again later.
 */
export interface Bus {
  publish(event: BusEvent): Promise<void>;
  subscribe(
    consumer: string,
    types: string[],
    handler: (event: BusEvent) => Promise<void>,
  ): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}
