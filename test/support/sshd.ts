import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CI, tcpReachable } from './services.js';

export const SSHD = '/usr/sbin/sshd';

/** Is OpenSSH's server here? Under CI it must be (.ci/run installs Debian's openssh-server). */
export function sshdAvailable(): boolean {
  if (existsSync(SSHD)) return true;
  if (CI) return true; // let the test fail loudly
  console.warn(`[sftp] ${SSHD} not found: skipping the SFTP tests (apt-get install openssh-server; CI=true makes this a failure)`);
  return false;
}

export interface TestSshd {
  port: number;
  /** The server key as `ssh-keygen -lf … -E sha256` prints it. */
  fingerprint: string;
  /** A second host key, to play a server that was re-keyed (or an impostor). */
  otherFingerprint: string;
  clientKey: string;
  /** A folder on "the server" (the same machine), readable through SFTP as root. */
  root: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]).toString().split(' ')[1]!;
}

/** A real OpenSSH server on 127.0.0.1 with its own host key and one authorized client key, as root. */
export async function startTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-sshd-'));
  const fingerprint = keygen(path.join(dir, 'host_key'));
  const otherFingerprint = keygen(path.join(dir, 'other_host_key'));
  keygen(path.join(dir, 'client_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  const root = path.join(dir, 'files');
  mkdirSync(root);
  mkdirSync('/run/sshd', { recursive: true }); // privilege separation folder Debian's sshd expects
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes',
    'UsePAM no', 'StrictModes no', 'PermitRootLogin prohibit-password', 'Subsystem sftp internal-sftp', 'LogLevel ERROR', '',
  ].join('\n'));
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  const deadline = Date.now() + 10_000;
  while (!(await tcpReachable(`ssh://127.0.0.1:${port}`, port, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, fingerprint, otherFingerprint, root, clientKey: readFileSync(path.join(dir, 'client_key'), 'utf8'),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
