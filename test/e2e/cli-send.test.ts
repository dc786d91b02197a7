import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLoom } from '../../src/app/index.js';
import { startTestLoom } from '../support/loom.js';
import { loom as cli } from '../support/cli.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-send-'));
let loom: RunningLoom;
let receiver: TestReceiver;
let mllpUrl = '';

beforeAll(async () => {
  receiver = await startReceiver();
  ({ loom } = await startTestLoom(
    `  - name: adt
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    steps: [{ use: hl7-keys }]
    destinations:
      - { name: out, kind: http, url: ${receiver.url}/adt }
`,
  ));
  mllpUrl = loom.inbound().find((i) => i.channel === 'adt')?.address ?? '';
});

afterAll(async () => {
  await loom?.stop();
  await receiver?.close();
});

const adt = (control: string) =>
  `MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20260101120000||ADT^A08^ADT_A01|${control}|P|2.5.1\rEVN|A08|20260101120000\rPID|1||MRN-${control}^^^HOSP^MR||DOE^JANE\rPV1|1|I\r`;

describe('loom send', () => {
  it('sends an HL7 file over MLLP to a running Loom and prints the AA', async () => {
    expect(mllpUrl).toMatch(/^mllp:\/\/127\.0\.0\.1:\d+$/);
    const file = path.join(dir, 'a08.hl7');
    writeFileSync(file, adt('SEND-1'));
    const run = await cli(['send', file, '--to', mllpUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#1 delivered');
    expect(run.stdout).toContain('MSA|AA|SEND-1');
    await eventually(() => receiver.effects.size === 1, 15_000, 'delivery to the receiver');
  });

  it('exits 2 and prints the refusal when Loom answers AR', async () => {
    const file = path.join(dir, 'bad.hl7');
    writeFileSync(file, 'MSH|^~\\&|EHR\rPID|1\r');
    const run = await cli(['send', file, '--to', mllpUrl]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/#1 refused/);
  });

  it('exits 3 (environment) when nothing listens', async () => {
    const file = path.join(dir, 'a08b.hl7');
    writeFileSync(file, adt('SEND-2'));
    const run = await cli(['send', file, '--to', 'mllp://127.0.0.1:1', '--timeout', '2000']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/not delivered/);
  });
});
