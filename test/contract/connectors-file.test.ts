import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileConnector, FileInbound, FileOutbound, globToRegExp } from '../../src/connectors/file/index.js';
import { RecordingIntake, waitFor } from '../../src/connectors/shared/index.js';
import type { DeliveryRequest, InboundConnector } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const dirs: string[] = [];
const running: InboundConnector[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-file-'));
  dirs.push(dir);
  return dir;
}
const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };

async function start(folder: string, intake: RecordingIntake, pattern = '*'): Promise<FileInbound> {
  const inbound = fileConnector.inbound!(fileConnector.schema.parse({ channel: 'drop', folder, pattern, pollIntervalMs: 50, settleMs: 0 }), ctx) as FileInbound;
  await inbound.start(intake);
  running.push(inbound);
  return inbound;
}

describe('file inbound drop folder', () => {
  it('picks up matching files, moves accepted ones to done/ and leaves others', async () => {
    const folder = tempDir();
    const intake = new RecordingIntake();
    await start(folder, intake, '*.{hl7,csv,x12}');
    writeFileSync(path.join(folder, 'a.hl7'), 'MSH|^~\\&|A\r');
    writeFileSync(path.join(folder, 'b.csv'), 'sku,qty\n1,2\n');
    writeFileSync(path.join(folder, 'c.x12'), 'ISA*00*~');
    writeFileSync(path.join(folder, 'ignore.txt'), 'x');
    await waitFor(() => readdirSync(path.join(folder, 'done')).length === 3, 5000, 'three files in done/');
    const types = Object.fromEntries(intake.stored.map((m) => [m.request.headers!['file-name'], m.request.contentType]));
    expect(types).toEqual({ 'a.hl7': 'x-application/hl7-v2+er7', 'b.csv': 'text/csv', 'c.x12': 'application/edi-x12' });
    expect(readFileSync(path.join(folder, 'done', 'b.csv'), 'utf8')).toBe('sku,qty\n1,2\n');
    expect(existsSync(path.join(folder, 'ignore.txt'))).toBe(true);
    expect(readdirSync(path.join(folder, 'processing'))).toEqual([]);
  });

  it('moves rejected files to error/ with an .error.json naming the LoomErrors', async () => {
    const folder = tempDir();
    const intake = new RecordingIntake({ decide: () => ({ outcome: 'rejected', errors: [{ code: 'x12.envelope.count-mismatch', message: 'SE01 says 3' }] }) });
    await start(folder, intake);
    writeFileSync(path.join(folder, 'bad.x12'), 'ISA*bad~');
    await waitFor(() => existsSync(path.join(folder, 'error', 'bad.x12')) && existsSync(path.join(folder, 'error', 'bad.x12.error.json')), 5000, 'file and error report');
    const report = JSON.parse(readFileSync(path.join(folder, 'error', 'bad.x12.error.json'), 'utf8')) as { errors: Array<{ code: string }> };
    expect(report.errors[0]!.code).toBe('x12.envelope.count-mismatch');
    expect(existsSync(path.join(folder, 'error', 'bad.x12'))).toBe(true);
  });

  it('leaves the file in the folder while the store refuses, then takes it once the store is back', async () => {
    const folder = tempDir();
    const intake = new RecordingIntake();
    intake.refuse = true;
    await start(folder, intake);
    writeFileSync(path.join(folder, 'x.hl7'), 'MSH|x');
    await waitFor(() => intake.calls >= 2, 5000, 'two refused attempts');
    expect(existsSync(path.join(folder, 'x.hl7')) || existsSync(path.join(folder, 'processing', 'x.hl7'))).toBe(true);
    expect(readdirSync(path.join(folder, 'done'))).toEqual([]);
    intake.refuse = false;
    await waitFor(() => existsSync(path.join(folder, 'done', 'x.hl7')), 5000, 'file in done/');
    expect(intake.stored).toHaveLength(1);
  });

  it('crash after commit, before the move: restart re-submits processing/ and stores the file exactly once', async () => {
    const folder = tempDir();
    const intake = new RecordingIntake();
    // The first life: committed, then "crashed" before moving the claimed file out of processing/.
    mkdirSync(path.join(folder, 'processing'), { recursive: true });
    writeFileSync(path.join(folder, 'processing', 'adt.hl7'), 'MSH|^~\\&|EHR|1\r');
    await intake.receive({ channel: 'drop', payload: readFileSync(path.join(folder, 'processing', 'adt.hl7')) });
    // A second file claimed but never submitted before the crash.
    writeFileSync(path.join(folder, 'processing', 'orm.hl7'), 'MSH|^~\\&|EHR|2\r');
    await start(folder, intake);
    await waitFor(() => readdirSync(path.join(folder, 'done')).length === 2, 5000, 'both recovered');
    expect(intake.stored).toHaveLength(2);
    expect(intake.duplicates).toBe(1);
    expect(readdirSync(path.join(folder, 'processing'))).toEqual([]);
  });

  it('glob matches whole names case-insensitively', () => {
    expect(globToRegExp('*.hl7').test('A.HL7')).toBe(true);
    expect(globToRegExp('*.hl7').test('a.hl7.tmp')).toBe(false);
    expect(globToRegExp('po-??.{csv,x12}').test('po-12.x12')).toBe(true);
  });
});

describe('file outbound', () => {
  const req = (key: string, body: string): DeliveryRequest => ({ messageId: 'm1', destination: 'd', idempotencyKey: key, payload: Buffer.from(body), contentType: 'x-application/hl7-v2+er7', headers: {}, attempt: 1 });

  it('writes via temp + rename with the templated name, idempotent on the key', async () => {
    const folder = tempDir();
    const out = fileConnector.outbound!(fileConnector.schema.parse({ folder }), ctx);
    expect((await out.deliver(req('erp:INV/1', 'one'))).status).toBe('delivered');
    expect(readdirSync(folder)).toEqual(['erp_INV_1.hl7']);
    const again = await out.deliver(req('erp:INV/1', 'changed'));
    expect(again).toEqual({ status: 'delivered', response: 'already written: erp_INV_1.hl7' });
    expect(readFileSync(path.join(folder, 'erp_INV_1.hl7'), 'utf8')).toBe('one');
  });

  it('retries when the folder cannot be written', async () => {
    const folder = tempDir();
    const blocker = path.join(folder, 'not-a-dir');
    writeFileSync(blocker, '');
    const result = await new FileOutbound({ folder: blocker, fileName: '{messageId}{ext}' }).deliver(req('k', 'x'));
    expect(result.status).toBe('retry');
  });
});
