import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHl7v2 } from '../../codecs/hl7v2/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../codecs/mllp/index.js';
import { LoomError } from '../../kernel/errors.js';
import type { InboundRequest, Intake, IntakeReceipt } from '../../kernel/connector.js';
import { MllpServer } from './server.js';

const adt = (id: string): string => `MSH|^~\\&|EHR|NW|LOOM|NW|20240301123000||ADT^A01^ADT_A01|${id}|P|2.5.1\rPID|1||MRN${id}^^^NW^MR||DOE^JANE\r`;
const controlIdOf = (r: InboundRequest): string => /\|ADT\^A01\^ADT_A01\|([^|]*)\|/.exec(Buffer.from(r.payload).toString('latin1'))![1]!;

/** An intake whose receipts the test settles by hand, in any order: stands in for the durable commit. */
class GatedIntake implements Intake {
  readonly calls: string[] = [];
  private readonly gates = new Map<string, { resolve: (r: IntakeReceipt) => void; reject: (e: unknown) => void }>();
  receive(request: InboundRequest): Promise<IntakeReceipt> {
    const id = controlIdOf(request);
    this.calls.push(id);
    return new Promise((resolve, reject) => this.gates.set(id, { resolve, reject }));
  }
  commit(id: string): void {
    this.gates.get(id)!.resolve({ messageId: `m-${id}`, outcome: 'accepted', controlId: id, errors: [], ackMode: 'original' });
  }
  fail(id: string): void {
    this.gates.get(id)!.reject(new LoomError('store.unavailable', 'disk full'));
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function setup(): Promise<{ intake: GatedIntake; socket: net.Socket; acks: string[] }> {
  const intake = new GatedIntake();
  const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 20, idleTimeoutMs: 60_000, frameTimeoutMs: 10_000, maxConnections: 10 });
  await server.start(intake);
  const socket = net.connect({ host: '127.0.0.1', port: server.port() });
  await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j); });
  const acks: string[] = [];
  const decoder = new MllpDecoder();
  socket.on('data', (c: Buffer) => { for (const f of decoder.push(c)) acks.push(f.toString('utf8')); });
  cleanups.push(async () => {
    socket.destroy();
    for (const id of intake.calls) { try { intake.commit(id); } catch { /* settled */ } }
    await server.stop();
  });
  return { intake, socket, acks };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const msa = (ack: string): string => `${parseHl7v2(ack).get('MSA-1')}:${parseHl7v2(ack).get('MSA-2')}`;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

describe('MllpServer pipelining', () => {
  it('receives pipelined frames concurrently, in arrival order, so they can share one commit', async () => {
    const { intake, socket } = await setup();
    socket.write(Buffer.concat(['P1', 'P2', 'P3'].map((id) => encodeMllpFrame(adt(id)))));
    // all three reach intake before any of them is committed (the old loop waited for each commit)
    await until(() => intake.calls.length === 3, 'three receives');
    expect(intake.calls).toEqual(['P1', 'P2', 'P3']);
  });

  it('writes no ACK before its own receipt, and ACKs in frame order whatever order commits land in', async () => {
    const { intake, socket, acks } = await setup();
    socket.write(Buffer.concat(['Q1', 'Q2', 'Q3'].map((id) => encodeMllpFrame(adt(id)))));
    await until(() => intake.calls.length === 3, 'three receives');
    intake.commit('Q3');
    intake.commit('Q2');
    await settle();
    expect(acks).toEqual([]); // Q1 is not durable yet: nothing may overtake its ACK
    intake.commit('Q1');
    await until(() => acks.length === 3, 'three ACKs');
    expect(acks.map(msa)).toEqual(['AA:Q1', 'AA:Q2', 'AA:Q3']);
  });

  it('answers AR "not stored" for the frame whose receive failed, AA for its neighbours, in order', async () => {
    const { intake, socket, acks } = await setup();
    socket.write(Buffer.concat(['R1', 'R2', 'R3'].map((id) => encodeMllpFrame(adt(id)))));
    await until(() => intake.calls.length === 3, 'three receives');
    intake.commit('R1');
    intake.fail('R2');
    intake.commit('R3');
    await until(() => acks.length === 3, 'three ACKs');
    expect(acks.map(msa)).toEqual(['AA:R1', 'AR:R2', 'AA:R3']);
    expect(parseHl7v2(acks[1]!).get('ERR-8')).toMatch(/^not stored: disk full/);
  });

  it('ACKs a frame that is committed while later frames still wait', async () => {
    const { intake, socket, acks } = await setup();
    socket.write(Buffer.concat(['S1', 'S2'].map((id) => encodeMllpFrame(adt(id)))));
    await until(() => intake.calls.length === 2, 'two receives');
    intake.commit('S1');
    await until(() => acks.length === 1, 'first ACK');
    expect(acks.map(msa)).toEqual(['AA:S1']);
    intake.commit('S2');
    await until(() => acks.length === 2, 'second ACK');
    expect(acks.map(msa)).toEqual(['AA:S1', 'AA:S2']);
  });
});

describe('MllpServer stop', () => {
  it('writes the ACK of a receipt that lands during stop before closing the connection', async () => {
    const intake = new GatedIntake();
    const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 20, idleTimeoutMs: 60_000, frameTimeoutMs: 10_000, maxConnections: 10 });
    await server.start(intake);
    const socket = net.connect({ host: '127.0.0.1', port: server.port() });
    await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j); });
    const acks: string[] = [];
    let closed = false;
    const decoder = new MllpDecoder();
    socket.on('data', (c: Buffer) => { for (const f of decoder.push(c)) acks.push(f.toString('utf8')); });
    socket.on('end', () => { closed = true; });
    cleanups.push(() => { socket.destroy(); });
    socket.write(encodeMllpFrame(adt('T1')));
    await until(() => intake.calls.length === 1, 'receive');
    const stopped = server.stop();
    await settle();
    intake.commit('T1');
    await stopped;
    await until(() => closed, 'connection closed by the server');
    expect(acks.map(msa)).toEqual(['AA:T1']);
  });
});
