import { z } from 'zod';
import type { ConnectorKindRegistry } from './endpoint.js';

/**
 * Stand-in connector kinds for config tests and tools that validate a file without the
 * connectors module. Real kinds come from `src/connectors`.
 */
export const sampleConnectorKinds: ConnectorKindRegistry = {
  mllp: {
    schema: z.object({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().min(0).max(65535).default(2575),
      tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
    }),
  },
  http: {
    schema: z.object({
      path: z.string().optional(),
      url: z.string().url().optional(),
      method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
      headers: z.record(z.string(), z.string()).default({}),
      auth: z.object({ header: z.string().default('Authorization'), value: z.string() }).optional(),
    }),
  },
};
