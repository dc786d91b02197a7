// Out of order + duplicates: the same ADT events sent in per-patient order, and again interleaved
// across patients at random with resends (same MSH-10), through a flaky ERP (20 % 503). On an
// ordered channel (FIFO per patient) both runs must leave the receiver in the same final state:
// each patient's events exactly once, in their order.
// Runbook exercised: docs/runbooks/duplicate-charges.md
import { afterAll, describe, expect, it } from 'vitest';
import { startLoom } from '../../src/app/index.js';
import { createLogger } from '../../src/observability/index.js';
import { chaosDir } from './support/loom-process.js';
import { pick, report } from './support/mode.js';
import { startChaosReceiver, until, type ChaosReceiver } from './support/receiver.js';
import { MllpSender, ackCode, adt, parseAddress } from './support/senders.js';

const PATIENTS = pick(20, 200);
const EVENTS = ['A01', 'A02', 'A08', 'A03']; // admit, transfer, update, discharge
const DUPLICATES = pick(40, 1000);

interface Msg { controlId: string; mrn: string; event: string }

function config(receiverUrl: string): string {
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: silent }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    ordered: true
    orderingKey: hl7-patient-mrn
    destinations:
      - name: erp
        kind: http
        url: ${receiverUrl}/patient-events
        retry: { maxAttempts: 1000, backoff: { base: 10ms, max: 50ms } }
        breaker: { failures: 100000, cooldown: 100ms }
`;
}

/** Receiver state: per MRN, the events in the order their effects first arrived. */
function finalState(receiver: ChaosReceiver): Map<string, string[]> {
  const state = new Map<string, string[]>();
  for (const body of receiver.effects.values()) {
    const mrn = /PID\|1\|\|([^^|]+)/.exec(body)?.[1] ?? '?';
    const id = /^MSH\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|([^|]*)/.exec(body)?.[1] ?? '?';
    state.set(mrn, [...(state.get(mrn) ?? []), id]);
  }
  return state;
}

async function run(stream: Msg[], expected: number): Promise<{ state: Map<string, string[]>; answers: Record<string, number>; requests: number }> {
  const receiver = await startChaosReceiver();
  receiver.failRate = 0.2;
  const dir = chaosDir('order', config(receiver.url));
  const loom = await startLoom({ configFile: dir.configFile, env: {}, logger: createLogger({ level: 'silent' }) });
  try {
    const { host, port } = parseAddress(loom.inbound()[0].address);
    const sender = new MllpSender(host, port);
    await sender.connect();
    const answers: Record<string, number> = {};
    for (const m of stream) {
      const code = ackCode(await sender.send(adt(m.controlId, m.mrn, m.event))) ?? 'none';
      answers[code] = (answers[code] ?? 0) + 1;
    }
    sender.close();
    await until(() => receiver.effects.size >= expected, 60_000, `${expected} effects`);
    return { state: finalState(receiver), answers, requests: receiver.requests };
  } finally {
    await loom.stop();
    await receiver.stop();
    dir.cleanup();
  }
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('chaos: out of order and duplicates', () => {
  it('a shuffled, duplicated stream ends in the same receiver state as the ordered stream', async () => {
    const ordered: Msg[] = [];
    for (let p = 0; p < PATIENTS; p++) for (const [i, event] of EVENTS.entries()) ordered.push({ controlId: `P${p}E${i}`, mrn: `MRN${p}`, event });

    // interleave patients at random, keeping each patient's own order (what FIFO per key promises)
    const queues = Array.from({ length: PATIENTS }, (_, p) => ordered.filter((m) => m.mrn === `MRN${p}`));
    const shuffled: Msg[] = [];
    while (queues.some((q) => q.length > 0)) {
      const open = queues.filter((q) => q.length > 0);
      shuffled.push(open[Math.floor(Math.random() * open.length)].shift() as Msg);
    }
    // resends: an already-sent message again, later in the stream (same MSH-10, as an EHR resends)
    for (let d = 0; d < DUPLICATES; d++) {
      const at = 1 + Math.floor(Math.random() * shuffled.length);
      shuffled.splice(at, 0, shuffled[Math.floor(Math.random() * at)]);
    }

    const a = await run(ordered, ordered.length);
    const b = await run(shuffled, ordered.length);
    const expected = new Map(queues.map((_, p) => [`MRN${p}`, EVENTS.map((__, i) => `P${p}E${i}`)]));
    const sameAsExpected = (s: Map<string, string[]>) => [...expected].every(([k, v]) => JSON.stringify(s.get(k)) === JSON.stringify(v)) && s.size === expected.size;
    report('out of order + duplicates', {
      patients: PATIENTS,
      'events per patient': EVENTS.length,
      'ordered stream': ordered.length,
      'shuffled stream (with resends)': shuffled.length,
      'ordered answers': JSON.stringify(a.answers),
      'shuffled answers': JSON.stringify(b.answers),
      'receiver requests (ordered / shuffled, 20% 503)': `${a.requests} / ${b.requests}`,
      'unique effects (ordered / shuffled)': `${[...a.state.values()].flat().length} / ${[...b.state.values()].flat().length}`,
      'final states equal': String(JSON.stringify([...a.state].sort()) === JSON.stringify([...b.state].sort())),
    });
    expect(sameAsExpected(a.state)).toBe(true);
    expect(sameAsExpected(b.state)).toBe(true);
    // a resend is answered AA (the EHR must move on), but it is not a new effect
    expect(b.answers.AA).toBe(shuffled.length);
    expect([...b.state.values()].flat().length).toBe(ordered.length);
  }, pick(90_000, 900_000));
});
