import type { LoomErrorJson } from '../kernel/errors.js';

/** The wire formats Loom decodes. */
export type FormatName = 'hl7v2' | 'x12' | 'udi' | 'fhir' | 'csv';

/** What `loom parse` prints for a valid input. */
export interface ParseSummary {
  format: FormatName;
  /** Message or transaction types, e.g. `ADT^A03`, `850`, `Bundle`. */
  types: string[];
  /** Control ids: MSH-10, ISA13/GS06/ST02, Bundle id... */
  controlIds: string[];
  /** Counts such as messages, segments, transactionSets, rows, entries. */
  counts: Record<string, number>;
  warnings: LoomErrorJson[];
}

export interface ValidationReport {
  errors: LoomErrorJson[];
  warnings: LoomErrorJson[];
}

export interface GetOptions {
  /** 1-based message number in an HL7 batch. */
  message?: number;
  /** 1-based transaction set number in an X12 interchange. */
  transaction?: number;
}

export interface AckOptions {
  controlId?: string;
  /** ISO 8601 instant used for the ACK's timestamps (reproducible golden tests). */
  timestamp?: string;
}

/**
 * The uniform face each codec offers the CLI and the engine, so they dispatch by format
 * without knowing the codec's own types.
 */
export interface FormatCodec<T> {
  readonly format: FormatName;
  /** Cheap sniff of the first bytes; no full parse. */
  detect(text: string): boolean;
  /** Full parse; throws LoomError with a location on invalid input. */
  parse(input: string | Uint8Array): T;
  /** Structural and profile validation of a parsed value. */
  validate(parsed: T): ValidationReport;
  summarize(parsed: T): ParseSummary;
  /** Decoded value at a path in the format's own notation; undefined when absent. */
  get(parsed: T, path: string, options?: GetOptions): string | undefined;
  /** The documented JSON form of the parse tree (`loom convert --to json`). */
  toJson(parsed: T): unknown;
  /** The acknowledgement for this input (ACK, 997/999/TA1); absent for formats without one. */
  ack?(parsed: T, options?: AckOptions): string;
}
