import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHl7v2, readHl7Header } from '../../src/codecs/hl7v2/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../src/codecs/mllp/index.js';
import { MllpClient, mllpConnector, MllpServer } from '../../src/connectors/mllp/index.js';
import { RecordingIntake, waitFor, type RecordingDecision } from '../../src/connectors/shared/index.js';
import type { DeliveryRequest, InboundRequest } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

const adt = (id: string, extra = '', msh15 = ''): string =>
  `MSH|^~\\&|EHR|NW|LOOM|NW|20240301123000||ADT^A01^ADT_A01|${id}|P|2.5.1|||${msh15}\rEVN|A01|20240301\rPID|1||MRN${id}^^^NW^MR||DOE^JANE${extra}\r`;

/** Behaves like the engine's header read: unreadable → rejected AR-class, ORU on an ADT channel → wrong type, no PID-5 → validation error. */
function hl7Decide(request: InboundRequest): RecordingDecision {
  let header;
  try {
    header = readHl7Header(request.payload);
  } catch (err) {
    return { outcome: 'rejected', errors: [{ code: 'hl7.header.unreadable', message: (err as Error).message }] };
  }
  if (!header.type.startsWith('ADT')) return { outcome: 'rejected', controlId: header.controlId, errors: [{ code: 'channel.message-type.unexpected', message: `${header.type} is not accepted on this channel` }] };
  if (!parseHl7v2(request.payload).get('PID-5')) return { outcome: 'rejected', controlId: header.controlId, errors: [{ code: 'hl7.field.required', message: 'PID-5 patient name is required', location: 'PID-5' }] };
  return { outcome: 'accepted', controlId: header.controlId };
}
const hl7Key = (r: InboundRequest): string => { try { return `${r.channel}:${readHl7Header(r.payload).controlId}`; } catch { return `${r.channel}:${Buffer.from(r.payload).toString('base64')}`; } };

async function startServer(intake: RecordingIntake, overrides: Record<string, unknown> = {}, port = 0): Promise<MllpServer> {
  const server = mllpConnector.inbound!(mllpConnector.schema.parse({ channel: 'adt', port, ...overrides }), ctx) as MllpServer;
  await server.start(intake);
  cleanups.push(() => server.stop());
  return server;
}

/** A raw MLLP peer: writes bytes as given, collects decoded ACK frames. */
async function rawPeer(port: number): Promise<{ socket: net.Socket; acks: string[]; closed: () => boolean }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j); });
  const decoder = new MllpDecoder();
  const acks: string[] = [];
  let closed = false;
  socket.on('data', (c: Buffer) => { for (const f of decoder.push(c)) acks.push(f.toString('utf8')); });
  socket.on('close', () => { closed = true; });
  socket.on('error', () => undefined);
  cleanups.push(() => { socket.destroy(); });
  return { socket, acks, closed: () => closed };
}

const msa = (ack: string): string[] => parseHl7v2(ack).get('MSA-1') !== undefined ? [parseHl7v2(ack).get('MSA-1')!, parseHl7v2(ack).get('MSA-2') ?? ''] : [];

describe('mllp inbound', () => {
  it('answers AA after the receipt, AA again for a duplicate, storing it once', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake);
    const peer = await rawPeer(server.port());
    peer.socket.write(encodeMllpFrame(adt('C1')));
    peer.socket.write(encodeMllpFrame(adt('C1')));
    await waitFor(() => peer.acks.length === 2, 5000, 'two ACKs');
    expect(peer.acks.map(msa)).toEqual([['AA', 'C1'], ['AA', 'C1']]);
    expect(intake.stored).toHaveLength(1);
    expect(intake.duplicates).toBe(1);
    expect(parseHl7v2(peer.acks[0]!).get('MSH-5')).toBe('EHR'); // MSH-3 of the message comes back as MSH-5
  });

  it('answers CA when the channel acknowledges in enhanced mode', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key, ackMode: 'enhanced' });
    const server = await startServer(intake);
    const peer = await rawPeer(server.port());
    peer.socket.write(encodeMllpFrame(adt('E1', '', 'AL')));
    await waitFor(() => peer.acks.length === 1, 5000, 'ACK');
    expect(msa(peer.acks[0]!)).toEqual(['CA', 'E1']);
    // MSH-15 NE: the sender asked for no accept ACK (table 0155); the next AL message is answered
    peer.socket.write(encodeMllpFrame(adt('E2', '', 'NE')));
    peer.socket.write(encodeMllpFrame(adt('E3', '', 'AL')));
    await waitFor(() => peer.acks.length === 2, 5000, 'second ACK');
    expect(msa(peer.acks[1]!)).toEqual(['CA', 'E3']);
    expect(intake.stored).toHaveLength(3);
  });

  it('answers AE with an ERR per validation error, AR for the wrong message type and for an unreadable header', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake);
    const peer = await rawPeer(server.port());
    peer.socket.write(encodeMllpFrame('MSH|^~\\&|EHR|NW|LOOM|NW|20240301||ADT^A01|V1|P|2.5.1\rPID|1||M1\r'));
    peer.socket.write(encodeMllpFrame('MSH|^~\\&|LAB|NW|LOOM|NW|20240301||ORU^R01|T1|P|2.5.1\r'));
    peer.socket.write(encodeMllpFrame('MSH|^~\\&|EHR|NW|LOOM|NW|20240301||ADT^A01||P|2.5.1\r\x00garbage'));
    peer.socket.write(encodeMllpFrame('this is not hl7 at all'));
    await waitFor(() => peer.acks.length === 4, 5000, 'four ACKs');
    const [ae, wrongType, noId, garbage] = peer.acks.map((a) => parseHl7v2(a));
    expect([ae!.get('MSA-1'), ae!.get('MSA-2'), ae!.get('ERR-5'), ae!.get('ERR-2')]).toEqual(['AE', 'V1', 'hl7.field.required', 'PID^1^5^1']);
    expect([wrongType!.get('MSA-1'), wrongType!.get('ERR-5')]).toEqual(['AR', 'channel.message-type.unexpected']);
    expect([noId!.get('MSA-1'), noId!.get('MSH-5'), noId!.get('ERR-5')]).toEqual(['AR', 'EHR', 'hl7.header.unreadable']);
    expect([garbage!.get('MSA-1'), garbage!.get('ERR-5')]).toEqual(['AR', 'hl7.header.unreadable']);
    expect(intake.stored.map((m) => m.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('answers AR naming the store refusal, never AA, and stores nothing', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    intake.refuse = true;
    const server = await startServer(intake);
    const peer = await rawPeer(server.port());
    peer.socket.write(encodeMllpFrame(adt('S1')));
    await waitFor(() => peer.acks.length === 1, 5000, 'ACK');
    const ack = parseHl7v2(peer.acks[0]!);
    expect([ack.get('MSA-1'), ack.get('MSA-2'), ack.get('ERR-5')]).toEqual(['AR', 'S1', 'store.unavailable']);
    expect(ack.get('ERR-8')).toContain('not stored');
    expect(intake.stored).toHaveLength(0);
    intake.refuse = false; // the sender resends once the store is back
    peer.socket.write(encodeMllpFrame(adt('S1')));
    await waitFor(() => peer.acks.length === 2, 5000, 'second ACK');
    expect(msa(peer.acks[1]!)).toEqual(['AA', 'S1']);
  });

  it('reassembles frames split across writes, byte by byte', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake);
    const peer = await rawPeer(server.port());
    peer.socket.setNoDelay(true);
    const bytes = Buffer.concat([encodeMllpFrame(adt('P1')), encodeMllpFrame(adt('P2'))]);
    for (let i = 0; i < bytes.length; i += 7) {
      peer.socket.write(bytes.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => peer.acks.length === 2, 5000, 'two ACKs');
    expect(peer.acks.map(msa)).toEqual([['AA', 'P1'], ['AA', 'P2']]);
    expect(Buffer.from(intake.stored[0]!.request.payload).toString()).toBe(adt('P1'));
  });

  it('answers AR and closes the connection when a frame passes maxFrameBytes', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake, { maxFrameBytes: 1024 });
    const peer = await rawPeer(server.port());
    peer.socket.write(encodeMllpFrame(adt('BIG', 'X'.repeat(2000))));
    await waitFor(() => peer.closed(), 5000, 'connection closed');
    expect(peer.acks).toHaveLength(1);
    const ack = parseHl7v2(peer.acks[0]!);
    expect([ack.get('MSA-1'), ack.get('ERR-5')]).toEqual(['AR', 'mllp.frame.too-large']);
    expect(intake.calls).toBe(0);
  });

  it('serves 200 concurrent connections', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key, commitDelayMs: 2 });
    const server = await startServer(intake);
    const peers = await Promise.all(Array.from({ length: 200 }, () => rawPeer(server.port())));
    await waitFor(() => server.connections() === 200, 5000, '200 connections');
    peers.forEach((p, i) => { for (let k = 0; k < 3; k++) p.socket.write(encodeMllpFrame(adt(`N${i}-${k}`))); });
    await waitFor(() => peers.every((p) => p.acks.length === 3), 20_000, '600 ACKs');
    expect(peers.every((p, i) => p.acks.map((a) => msa(a)[1]).join() === `N${i}-0,N${i}-1,N${i}-2`)).toBe(true);
    expect(intake.accepted()).toHaveLength(600);
  });

  it('closes idle connections and slowloris senders', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake, { idleTimeoutMs: 300, frameTimeoutMs: 400 });
    const idle = await rawPeer(server.port());
    const slow = await rawPeer(server.port());
    const started = Date.now();
    const frame = encodeMllpFrame(adt('SL'));
    let i = 0;
    const drip = setInterval(() => { if (!slow.closed() && i < frame.length - 1) slow.socket.write(frame.subarray(i, ++i)); }, 100);
    cleanups.push(() => clearInterval(drip));
    await waitFor(() => idle.closed() && slow.closed(), 5000, 'both closed');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(intake.calls).toBe(0);
  });

  it('speaks TLS when given cert and key', async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-mllp-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    } catch {
      if (process.env.CI === 'true') throw new Error('openssl is needed for the MLLP TLS test');
      console.warn('openssl not found: MLLP TLS test skipped');
      t.skip();
    }
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake, { tls: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') } });
    expect(server.address()).toMatch(/^mllps:/);
    const client = mllpConnector.outbound!(mllpConnector.schema.parse({ port: server.port(), tls: { ca: path.join(dir, 'cert.pem'), rejectUnauthorized: false } }), ctx);
    cleanups.push(() => client.close());
    expect((await client.deliver(req('T1'))).status).toBe('delivered');
    expect(intake.stored).toHaveLength(1);
  });
});

function req(id: string, body = adt(id)): DeliveryRequest {
  return { messageId: `m-${id}`, destination: 'lis', idempotencyKey: id, payload: Buffer.from(body), contentType: 'x-application/hl7-v2+er7', headers: {}, attempt: 1 };
}

function client(port: number, overrides: Record<string, unknown> = {}): MllpClient {
  const c = mllpConnector.outbound!(mllpConnector.schema.parse({ port, ackTimeoutMs: 2000, ...overrides }), ctx) as MllpClient;
  cleanups.push(() => c.close());
  return c;
}

describe('mllp outbound client against the MLLP server', () => {
  it('AA → delivered over one persistent connection', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake);
    const c = client(server.port());
    for (const id of ['O1', 'O2', 'O3']) expect((await c.deliver(req(id))).status).toBe('delivered');
    expect(server.connections()).toBe(1);
    expect(intake.stored).toHaveLength(3);
  });

  it('AR → failed with the reason; AE → retry or failed per onAE', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const server = await startServer(intake);
    const ar = await client(server.port()).deliver(req('R1', 'MSH|^~\\&|LAB|NW|X|Y|2024||ORU^R01|R1|P|2.5.1\r'));
    expect(ar.status).toBe('failed');
    if (ar.status === 'failed') expect(ar.error.message).toContain('ORU^R01 is not accepted');
    const noName = 'MSH|^~\\&|EHR|NW|X|Y|2024||ADT^A01|E1|P|2.5.1\rPID|1||M\r';
    const retry = await client(server.port()).deliver(req('E1', noName));
    expect(retry.status).toBe('retry');
    if (retry.status === 'retry') expect(retry.error.message).toContain('PID-5');
    expect((await client(server.port(), { onAE: 'dead-letter' }).deliver(req('E2', noName.replace('E1', 'E2')))).status).toBe('failed');
  });

  it('no ACK within ackTimeoutMs → retry', async () => {
    const silent = net.createServer((s) => s.resume());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    const port = (silent.address() as net.AddressInfo).port;
    const result = await client(port, { ackTimeoutMs: 200 }).deliver(req('TO'));
    expect(result.status).toBe('retry');
    if (result.status === 'retry') expect(result.error.code).toBe('delivery.timeout');
  });

  it('refused → retry, and reconnects after the server restarts', async () => {
    const intake = new RecordingIntake({ decide: hl7Decide, keyOf: hl7Key });
    const first = await startServer(intake);
    const port = first.port();
    const c = client(port);
    expect((await c.deliver(req('A1'))).status).toBe('delivered');
    await first.stop();
    const down = await c.deliver(req('A2'));
    expect(down.status).toBe('retry');
    await startServer(intake, {}, port);
    expect((await c.deliver(req('A2'))).status).toBe('delivered');
    expect(intake.stored.map((m) => hl7Key(m.request))).toEqual(['adt:A1', 'adt:A2']);
  });
});
