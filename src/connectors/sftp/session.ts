import { createHash } from 'node:crypto';
import { Client, type SFTPWrapper } from 'ssh2';
import { LoomError } from '../../kernel/errors.js';
import type { SftpOptions } from './schema.js';

/** OpenSSH's fingerprint of a raw host key: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

type Remote = Pick<SftpOptions, 'host' | 'port' | 'username' | 'privateKey' | 'passphrase' | 'password' | 'hostKey' | 'timeoutMs'>;

/** A directory entry as the server lists it. */
export interface RemoteEntry { name: string; isFile: boolean; mtimeMs: number }

/**
 * One SSH connection with its SFTP channel, opened on first use and again after it drops.
 * The host key is checked against the pinned fingerprint before any credential is sent.
 */
export class SftpSession {
  private client?: Client;
  private sftp?: Promise<SFTPWrapper>;

  constructor(private readonly remote: Remote) {}

  /** The SFTP channel, connecting when needed. */
  channel(): Promise<SFTPWrapper> {
    this.sftp ??= this.connect().catch((err: unknown) => {
      this.sftp = undefined;
      throw err;
    });
    return this.sftp;
  }

  private connect(): Promise<SFTPWrapper> {
    const { host, port, username, privateKey, passphrase, password, hostKey, timeoutMs } = this.remote;
    let presented: string | undefined;
    return new Promise((resolve, reject) => {
      const client = new Client();
      const fail = (err: Error) => {
        client.end();
        if (presented !== undefined && presented !== hostKey) {
          reject(new LoomError('sftp.hostkey.mismatch', `${host}:${port} presented host key ${presented}, not the pinned ${hostKey}`, {
            location: `sftp://${host}:${port}`,
            hint: 'if the server was re-keyed on purpose, confirm the new fingerprint with its owner and update hostKey; otherwise someone may be in the middle',
          }));
          return;
        }
        reject(new LoomError('sftp.unreachable', `cannot open SFTP to ${username}@${host}:${port}: ${err.message}`, {
          location: `sftp://${host}:${port}`, cause: err, hint: 'check host, port, credentials and that the server offers the sftp subsystem; Loom retries',
        }));
      };
      client.once('error', fail);
      client.once('ready', () => {
        client.sftp((err, sftp) => {
          if (err) { fail(err); return; }
          client.removeListener('error', fail);
          client.on('error', () => { this.sftp = undefined; });
          client.once('close', () => { this.sftp = undefined; });
          this.client = client;
          resolve(sftp);
        });
      });
      client.connect({
        host, port, username, readyTimeout: timeoutMs,
        ...(privateKey ? { privateKey, ...(passphrase ? { passphrase } : {}) } : { password }),
        hostVerifier: (key: Buffer) => {
          presented = fingerprintOf(key);
          return presented === hostKey;
        },
      });
    });
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.readdir(folder, (err, list) => (err ? reject(remoteError('list', folder, err)) : resolve(list.map((e) => ({
      name: e.filename, isFile: (e.attrs.mode & 0o170000) === 0o100000, mtimeMs: e.attrs.mtime * 1000,
    }))))));
  }

  async read(file: string): Promise<Buffer> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.readFile(file, (err, data) => (err ? reject(remoteError('read', file, err)) : resolve(data))));
  }

  async write(file: string, data: Uint8Array): Promise<void> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.writeFile(file, Buffer.from(data), (err) => (err ? reject(remoteError('write', file, err)) : resolve())));
  }

  /** Rename; false when the source is gone (another node claimed it). */
  async rename(from: string, to: string): Promise<boolean> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.rename(from, to, (err) => {
      if (!err) resolve(true);
      else if ((err as { code?: unknown }).code === 2) resolve(false); // SSH_FX_NO_SUCH_FILE
      else reject(remoteError('rename', from, err));
    }));
  }

  async exists(file: string): Promise<boolean> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.stat(file, (err) => {
      if (!err) resolve(true);
      else if ((err as { code?: unknown }).code === 2) resolve(false);
      else reject(remoteError('stat', file, err));
    }));
  }

  async remove(file: string): Promise<void> {
    const sftp = await this.channel();
    return new Promise((resolve, reject) => sftp.unlink(file, (err) => (err && (err as { code?: unknown }).code !== 2 ? reject(remoteError('delete', file, err)) : resolve())));
  }

  async ensureFolder(folder: string): Promise<void> {
    if (await this.exists(folder)) return;
    const sftp = await this.channel();
    await new Promise<void>((resolve, reject) => sftp.mkdir(folder, (err) => (err && !/exist/i.test(err.message) ? reject(remoteError('create', folder, err)) : resolve())));
  }

  close(): void {
    this.client?.end();
    this.client = undefined;
    this.sftp = undefined;
  }
}

function remoteError(op: string, file: string, err: Error): LoomError {
  return new LoomError('sftp.remote.failed', `could not ${op} ${file} on the SFTP server: ${err.message}`, { location: file, cause: err, hint: 'check the folder and the account\'s permissions on the server' });
}
