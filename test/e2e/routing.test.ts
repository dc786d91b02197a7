import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLoom } from '../../src/app/index.js';
import { ContentTypes } from '../../src/kernel/index.js';
import { startTestLoom } from '../support/loom.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

let loom: RunningLoom;
let all: TestReceiver;
let discharges: TestReceiver;

beforeAll(async () => {
  all = await startReceiver();
  discharges = await startReceiver();
  ({ loom } = await startTestLoom(
    `  - name: adt
    inbound: { kind: http }
    contentType: hl7v2
    ackMode: enhanced
    destinations:
      - { name: archive, kind: http, url: ${all.url}/all }
      - { name: billing, kind: http, url: ${discharges.url}/a03, when: { messageType: [ADT^A03] } }
`,
  ));
});

afterAll(async () => {
  await loom?.stop();
  await all?.close();
  await discharges?.close();
});

const adt = (trigger: string, control: string) =>
  `MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20260101120000||ADT^${trigger}^ADT_A01|${control}|P|2.5.1\rEVN|${trigger}|20260101120000\rPID|1||MRN1^^^HOSP^MR||DOE^JANE\rPV1|1|I\r`;

async function post(body: string): Promise<number> {
  const response = await fetch(`${loom.url}/api/v1/channels/adt/messages`, { method: 'POST', headers: { 'content-type': ContentTypes.hl7v2 }, body });
  return response.status;
}

describe('destination routes (`when`)', () => {
  it('a destination without `when` takes every message; one with `when` only what matches', async () => {
    expect(await post(adt('A08', 'R1'))).toBe(202);
    expect(await post(adt('A03', 'R2'))).toBe(202);
    await eventually(() => all.effects.size === 2 && discharges.effects.size === 1, 15_000, 'routed deliveries');
    expect([...discharges.effects.values()][0]).toContain('ADT^A03');
    // nothing more arrives for billing: the A08 was not routed there
    expect(discharges.requests).toBe(1);
  });
});
