import { z } from 'zod';

/** Options of an `sftp` endpoint: pickup from (inbound) or drop into (outbound) a folder on an SFTP server. */
export const sftpOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('Inbound: the channel picked-up files enter (set by the config loader).'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1),
  privateKey: z.string().optional().describe('PEM/OpenSSH private key text: write `${file:/etc/loom/id_ed25519}`.'),
  passphrase: z.string().optional(),
  password: z.string().optional().describe('Write `${env:NAME}`; prefer privateKey.'),
  hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'the server key fingerprint as `ssh-keygen -lf key.pub -E sha256` prints it: SHA256:…')
    .describe('Pinned host key fingerprint; a server presenting another key is refused.'),
  folder: z.string().min(1).describe('Remote folder to pick up from, or to drop into.'),
  pattern: z.string().default('*').describe('Inbound: file-name glob.'),
  pollIntervalMs: z.number().int().min(100).default(10_000),
  afterProcessing: z.enum(['move', 'delete']).default('move').describe('Inbound: move a stored file to done/ (rejected ones to error/), or delete it.'),
  fileName: z.string().default('{idempotencyKey}{ext}').describe('Outbound: file-name template ({messageId}, {idempotencyKey}, {ext}); an existing file of that name counts as delivered.'),
  timeoutMs: z.number().int().positive().default(15_000),
}).superRefine((o, ctx) => {
  if (!o.privateKey && !o.password) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'give privateKey (preferred) or password' });
});

export type SftpOptions = z.output<typeof sftpOptionsSchema>;
