import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAck, parseHl7v2 } from '../../src/codecs/hl7v2/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../src/codecs/mllp/index.js';
import { readHl7DeviceUses } from '../../src/mappings/hl7-device-use.js';
import { generateDay, startEhrSimulator, type EhrSimulator, type TimelineStep } from '../../src/simulators/index.js';

/** A tiny MLLP receiver: ACKs AA, AR when PID is missing, and can stay silent for the first copy of a message. */
async function ackServer(opts: { silentOnce?: Set<string> } = {}) {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const dec = new MllpDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of dec.push(chunk)) {
        const text = frame.toString('utf8');
        received.push(text);
        let msg;
        let code: 'AA' | 'AR' = 'AA';
        try {
          msg = parseHl7v2(text);
          if (msg.count('PID') === 0) code = 'AR';
        } catch {
          msg = parseHl7v2(text.split('\r')[0]); // the header alone is enough to reject it
          code = 'AR';
        }
        if (opts.silentOnce?.delete(msg.controlId)) continue; // swallow: the sender must resend
        socket.write(encodeMllpFrame(buildAck(msg, code)));
      }
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, received,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

let ehr: EhrSimulator | undefined;
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => { await ehr?.stop(); await closeServer?.(); ehr = undefined; closeServer = undefined; });

type Hl7Step = Extract<TimelineStep, { kind: 'hl7' }>;

describe('EHR simulator', () => {
  it('sends a case over MLLP in order, gets ACKs, and serves the same data over FHIR R4', async () => {
    const srv = await ackServer();
    closeServer = srv.close;
    const day = generateDay({ seed: 11, injectRate: 0 });
    const c = day.cases[0];
    ehr = await startEhrSimulator({ target: `mllp://127.0.0.1:${srv.port}`, ackTimeoutMs: 2000 });
    ehr.addCases(day.cases);
    const steps = day.timeline.filter((s): s is Hl7Step => s.kind === 'hl7' && s.caseId === c.caseId);
    for (const s of steps) expect((await ehr.sendStep(s)).ackCode).toBe('AA');
    expect(srv.received.map((t) => parseHl7v2(t).type)).toEqual(steps.map((s) => s.messageType));
    expect(srv.received.map((t) => parseHl7v2(t).controlId)).toEqual(steps.map((s) => s.controlId));
    const procText = srv.received.find((t) => /^(BAR|ORU)/.test(parseHl7v2(t).type)) as string;
    const uses = readHl7DeviceUses(parseHl7v2(procText), { now: new Date('2026-03-02') });
    expect(uses.map((u) => u.serial).sort()).toEqual(c.implants.map((i) => i.serial).sort());
    expect(ehr.stats().acks).toEqual({ AA: steps.length });

    const bundle = (await (await fetch(`${ehr.url}/fhir/R4/Procedure?patient=${c.patient.mrn}`)).json()) as { total: number; entry: { resource: { focalDevice: { manipulated: { reference: string } }[]; encounter: { reference: string } } }[] };
    expect(bundle.total).toBe(1);
    const proc = bundle.entry[0].resource;
    expect(proc.encounter.reference).toBe(`Encounter/enc-${c.visitNumber}`);
    expect(proc.focalDevice).toHaveLength(c.implants.length);
    const dev = (await (await fetch(`${ehr.url}/fhir/R4/${proc.focalDevice[0].manipulated.reference}`)).json()) as { udiCarrier: { carrierHRF: string }[]; serialNumber: string };
    const imp = c.implants.find((i) => i.serial === dev.serialNumber);
    expect(dev.udiCarrier[0].carrierHRF).toBe(imp?.udi);
    const devices = (await (await fetch(`${ehr.url}/fhir/R4/Device?encounter=${c.visitNumber}`)).json()) as { total: number };
    expect(devices.total).toBe(c.implants.length);
    const enc = (await (await fetch(`${ehr.url}/fhir/R4/Encounter/enc-${c.visitNumber}`)).json()) as { status: string };
    expect(enc.status).toBe('finished');
    const other = (await (await fetch(`${ehr.url}/fhir/R4/Procedure?patient=${day.cases[1].patient.mrn}`)).json()) as { total: number };
    expect(other.total).toBe(0); // case 2's messages were not sent: the EHR has not charted it yet
    expect((await fetch(`${ehr.url}/fhir/R4/Patient/nope`)).status).toBe(404);
    const meta = (await (await fetch(`${ehr.url}/fhir/R4/metadata`)).json()) as { resourceType: string; fhirVersion: string };
    expect(meta).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });

  it('resends on ACK timeout with the same control id and reports AR for malformed data', async () => {
    const day = generateDay({ seed: 3, injectRate: 0 });
    const first = day.timeline.find((s): s is Hl7Step => s.kind === 'hl7') as Hl7Step;
    const srv = await ackServer({ silentOnce: new Set([first.controlId]) });
    closeServer = srv.close;
    ehr = await startEhrSimulator({ target: `mllp://127.0.0.1:${srv.port}`, ackTimeoutMs: 250, maxAttempts: 3 });
    ehr.addCases(day.cases);
    const result = await ehr.sendStep(first);
    expect(result).toMatchObject({ ackCode: 'AA', attempts: 2 });
    expect(srv.received.filter((t) => parseHl7v2(t.split('\r')[0]).controlId === first.controlId)).toHaveLength(2);
    expect(ehr.stats().resends).toBe(1);
    expect(ehr.stats().log.some((e) => e.event === 'ack.timeout' && e.controlId === first.controlId)).toBe(true);

    const bad = generateDay({ seed: 5, injectRate: 0.5 }).timeline.find((s): s is Hl7Step => s.kind === 'hl7' && s.injected === 'malformed-hl7') as Hl7Step;
    expect((await ehr.sendStep(bad)).ackCode).toBe('AR');
    expect(ehr.stats().log.find((e) => e.controlId === bad.controlId)?.injected).toBe('malformed-hl7');
  });

  it('gives up after maxAttempts when nobody answers', async () => {
    const day = generateDay({ seed: 4, injectRate: 0 });
    const first = day.timeline.find((s): s is Hl7Step => s.kind === 'hl7') as Hl7Step;
    const srv = await ackServer({ silentOnce: new Set([first.controlId]) });
    closeServer = srv.close;
    ehr = await startEhrSimulator({ target: `mllp://127.0.0.1:${srv.port}`, ackTimeoutMs: 150, maxAttempts: 1 });
    expect(await ehr.sendStep(first)).toMatchObject({ ackCode: 'timeout', attempts: 1 });
  });
});
