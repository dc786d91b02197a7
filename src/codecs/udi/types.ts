/** Who issued the device identifier (FDA-accredited UDI issuing agencies). */
export type UdiIssuer = 'GS1' | 'HIBCC' | 'ICCBBA';

/** A parsed Unique Device Identifier (DI + PI), independent of the issuing agency. */
export interface Udi {
  issuer: UdiIssuer;
  /** Device identifier: GTIN for GS1, LIC+PCN+UoM for HIBCC, product code for ISBT 128. */
  di: string;
  /** GTIN-14 (GS1 only). */
  gtin?: string;
  lot?: string;
  serial?: string;
  /** ISO date (YYYY-MM-DD). */
  expiry?: string;
  /** ISO date (YYYY-MM-DD). */
  manufactured?: string;
  quantity?: number;
  /** Raw data elements: GS1 AIs keyed by AI number; HIBCC/ISBT fields keyed by name. */
  ais: Record<string, string>;
  /** AIM symbology identifier when the input carried one, e.g. `]d2`. */
  symbology?: string;
}

export interface ParseUdiOptions {
  /**
   * Reference date for the GS1 century rule (GS1 General Specifications 7.12) and two-digit
   * HIBCC years. Defaults to the current date; pass one for reproducible results.
   */
  now?: Date;
}
