import { z } from 'zod';

const tlsSchema = z.object({
  cert: z.string().optional().describe('PEM certificate path (server: required; client: for mutual TLS).'),
  key: z.string().optional().describe('PEM private key path (server: required; client: for mutual TLS).'),
  ca: z.string().optional().describe('PEM CA bundle path to trust (client: the server CA; server: requires client certificates).'),
  rejectUnauthorized: z.boolean().default(true).describe('Client: refuse servers whose certificate does not verify.'),
}).describe('TLS: give cert and key paths for a TLS server; omit for plain TCP.');

/** Options of an `mllp` endpoint (HL7 v2 over TCP, MLLP release 2 framing). */
export const mllpOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('Inbound: the channel received messages enter.'),
  host: z.string().default('127.0.0.1').describe('Inbound: interface to bind. Outbound: host to connect to.'),
  port: z.number().int().min(0).max(65535).default(2575).describe('Inbound: port to listen on (0 = any). Outbound: port to connect to.'),
  tls: tlsSchema.optional(),
  maxFrameBytes: z.number().int().positive().default(16 * 1024 * 1024).describe('Largest frame accepted; larger gets an AR and the connection is closed.'),
  idleTimeoutMs: z.number().int().positive().default(120_000).describe('Inbound: close a connection silent for this long.'),
  frameTimeoutMs: z.number().int().positive().default(30_000)
    .describe('Inbound: close a connection whose started frame is not complete within this time (slowloris senders).'),
  maxConnections: z.number().int().positive().default(1000).describe('Inbound: concurrent connections accepted.'),
  ackTimeoutMs: z.number().int().positive().default(30_000).describe('Outbound: wait this long for the ACK, then retry.'),
  connectTimeoutMs: z.number().int().positive().default(10_000).describe('Outbound: TCP/TLS connect timeout.'),
  onAE: z.enum(['retry', 'dead-letter']).default('retry').describe('Outbound: what an AE/CE answer means; AR/CR always dead-letters.'),
});

export type MllpOptions = z.output<typeof mllpOptionsSchema>;
export type MllpTlsOptions = z.output<typeof tlsSchema>;
