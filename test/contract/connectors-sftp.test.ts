/**
 * SFTP pickup and drop against a real OpenSSH server (Debian's openssh-server, started per test
 * file on a free port with its own host and client keys). Under CI=true these tests must run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingIntake } from '../../src/connectors/shared/index.js';
import { sftpConnector, type SftpInbound, type SftpOutbound } from '../../src/connectors/sftp/index.js';
import type { Intake } from '../../src/kernel/connector.js';
import { silentLogger, systemClock, type DeliveryRequest } from '../../src/kernel/index.js';
import { sshdAvailable, startTestSshd, type TestSshd } from '../support/sshd.js';

const run = sshdAvailable() ? describe : describe.skip;
const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };

run('sftp connector (real OpenSSH server)', () => {
  let sshd: TestSshd;
  beforeAll(async () => { sshd = await startTestSshd(); });
  afterAll(async () => { await sshd?.stop(); });

  const options = (folder: string, extra: Record<string, unknown> = {}) => sftpConnector.schema.parse({
    channel: 'reflab-results', host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.clientKey, hostKey: sshd.fingerprint,
    folder, pattern: '*.hl7', pollIntervalMs: 3_600_000, ...extra,
  });
  const pickup = (folder: string, intake: Intake) => {
    const inbound = sftpConnector.inbound!(options(folder), ctx) as SftpInbound;
    return { inbound, start: () => inbound.start(intake) };
  };
  const folderOf = (name: string) => { const f = path.join(sshd.root, name); mkdirSync(f, { recursive: true }); return f; };

  it('picks up each file exactly once, across a store refusal and a crash after the commit', async () => {
    const folder = folderOf('pickup');
    for (const n of [1, 2, 3]) writeFileSync(path.join(folder, `result-${n}.hl7`), `MSH|^~\\&|LAB|REF|LOOM|HOSP|20261205||ORU^R01|R${n}|P|2.5.1\r`);
    writeFileSync(path.join(folder, 'notes.txt'), 'not ours');
    const store = new RecordingIntake();

    // Life 1: from its second file on, the store refuses; the file stays claimed in processing/.
    // (start() polls at once; pollNow() queues one more poll behind that one.)
    let calls = 0;
    const refusing: Intake = { receive: async (r) => { calls += 1; store.refuse = calls >= 2; try { return await store.receive(r); } finally { store.refuse = false; } } };
    const first = pickup(folder, refusing);
    await first.start();
    await expect(first.inbound.pollNow()).rejects.toMatchObject({ code: 'store.unavailable' });
    await first.inbound.stop();
    expect(store.stored).toHaveLength(1);
    expect(readdirSync(path.join(folder, 'processing'))).toEqual(['result-2.hl7']);

    // Life 2: result-2 is committed, then the process "dies" before moving the file; the next
    // poll finds it in processing/ again and the store answers duplicate.
    let crashed = false;
    const crashing: Intake = { receive: async (r) => { const receipt = await store.receive(r); if (!crashed && r.headers?.['file-name'] === 'result-2.hl7') { crashed = true; throw new Error('killed after the commit'); } return receipt; } };
    const second = pickup(folder, crashing);
    await second.start();
    await second.inbound.pollNow();
    await second.inbound.stop();
    expect(crashed).toBe(true);

    // Life 3: nothing is left to take.
    const third = pickup(folder, store);
    await third.start();
    await third.inbound.pollNow();
    await third.inbound.stop();
    expect(third.inbound.lastPoll).toEqual({ stored: 0, duplicates: 0, rejected: 0 });
    expect(store.stored.map((s) => s.request.headers?.['file-name'])).toEqual(['result-1.hl7', 'result-2.hl7', 'result-3.hl7']);
    expect(store.duplicates).toBe(1);
    expect(readdirSync(path.join(folder, 'done')).sort()).toEqual(['result-1.hl7', 'result-2.hl7', 'result-3.hl7']);
    expect(readdirSync(path.join(folder, 'processing'))).toEqual([]);
    expect(existsSync(path.join(folder, 'notes.txt'))).toBe(true); // not matching the pattern: left alone
  });

  it('drops files under their idempotency key, writes nothing twice, and never leaves a partial name', async () => {
    const folder = folderOf('drop');
    const out = sftpConnector.outbound!(options(folder), ctx) as SftpOutbound;
    const request: DeliveryRequest = { messageId: 'm1', destination: 'vendor', idempotencyKey: 'vendor-850-4500012345', payload: Buffer.from('ISA*00*...~'), contentType: 'application/edi-x12', headers: {}, attempt: 1 };
    expect(await out.deliver(request)).toMatchObject({ status: 'delivered' });
    writeFileSync(path.join(folder, 'vendor-850-4500012345.x12'), 'the receiver already took it'); // a retry after a lost answer
    expect(await out.deliver({ ...request, attempt: 2, payload: Buffer.from('changed') })).toMatchObject({ status: 'delivered', response: expect.stringContaining('already there') });
    await out.close();
    expect(readdirSync(folder)).toEqual(['vendor-850-4500012345.x12']);
    expect(readFileSync(path.join(folder, 'vendor-850-4500012345.x12'), 'utf8')).toBe('the receiver already took it');
  });

  it('refuses a server whose host key is not the pinned one, naming both fingerprints', async () => {
    const folder = folderOf('impostor');
    const out = sftpConnector.outbound!(options(folder, { hostKey: sshd.otherFingerprint }), ctx) as SftpOutbound;
    const result = await out.deliver({ messageId: 'm', destination: 'd', idempotencyKey: 'k', payload: Buffer.from('x'), contentType: 'text/plain', headers: {}, attempt: 1 });
    await out.close();
    expect(result.status).toBe('retry');
    expect(result.status === 'retry' && result.error.code).toBe('sftp.hostkey.mismatch');
    expect(result.status === 'retry' && result.error.message).toBe(`127.0.0.1:${sshd.port} presented host key ${sshd.fingerprint}, not the pinned ${sshd.otherFingerprint}`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a config without credentials or with a malformed fingerprint', () => {
    expect(sftpConnector.schema.safeParse({ host: 'h', username: 'u', hostKey: sshd.fingerprint, folder: '/x' }).success).toBe(false);
    expect(sftpConnector.schema.safeParse({ host: 'h', username: 'u', password: 'p', hostKey: 'MD5:aa:bb', folder: '/x' }).success).toBe(false);
  });
});
