import { z } from 'zod';

/** Options of a `file` endpoint: inbound drop-folder pickup, outbound folder writer. */
export const fileOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('Inbound: the channel picked-up files enter.'),
  folder: z.string().min(1).describe('Inbound: the drop folder to watch. Outbound: the folder to write into. Relative to the config file.'),
  pattern: z.string().default('*').describe('Inbound: file-name glob (`*` and `?`), e.g. `*.hl7` or `*.{csv,x12}`.'),
  pollIntervalMs: z.number().int().positive().default(1000).describe('Inbound: folder scan interval; fs.watch triggers earlier scans when it works.'),
  watch: z.boolean().default(true).describe('Inbound: also use fs.watch for prompt pickup (polling stays as the fallback).'),
  settleMs: z.number().int().min(0).default(500)
    .describe('Inbound: only pick files unmodified for this long, so a sender still writing is not read half-way (senders should write then rename).'),
  contentType: z.string().optional().describe('Content type; default from the extension (.hl7, .csv, .x12/.edi, .json, .xml).'),
  fileName: z.string().default('{idempotencyKey}{ext}')
    .describe('Outbound: file-name template with {messageId}, {idempotencyKey}, {ext}. Keep {idempotencyKey} in it: an existing file with that name counts as delivered.'),
});

export type FileOptions = z.output<typeof fileOptionsSchema>;
