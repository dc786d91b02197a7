import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoom, type RunningLoom } from '../../src/app/index.js';
import { createLogger } from '../../src/observability/index.js';
import { authHeaders } from '../support/auth.js';
import { loom as cli } from '../support/cli.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

// Payload encryption at rest against a REAL Loom on SQLite: the test messages' PHI (names, birth
// dates, addresses, MRNs) must not appear anywhere in the raw database files with
// store.encryption on, while the API and the receiving system still see the plaintext. A second
// Loom without encryption is the control: the same grep finds the PHI there.

const PATIENTS = [
  { mrn: 'MRN7741093', name: 'QUIXOTE^ALONSO^Q', dob: '19471009', street: '12 LA MANCHA WAY' },
  { mrn: 'MRN7741094', name: 'PANZA^SANCHO', dob: '19520214', street: '77 ROCINANTE ROAD' },
];
const PHI = PATIENTS.flatMap((p) => [p.mrn, p.name, p.dob, p.street]);
const adt = (p: (typeof PATIENTS)[number], i: number) =>
  [`MSH|^~\\&|EHR|MAIN|LOOM|HUB|20260304101500||ADT^A01|ENC-${i}|P|2.5`, `PID|1||${p.mrn}^^^HOSP^MR||${p.name}||${p.dob}|M|||${p.street}^^CHICAGO^IL^60611`, 'PV1|1|I'].join('\r');

let receiver: TestReceiver;
const dirs: string[] = [];
const key = randomBytes(32).toString('hex');

function configFor(dir: string, encrypted: boolean): string {
  const file = path.join(dir, 'loom.config.yaml');
  writeFileSync(file, `version: 1
server: { port: 0 }
store:
  dataDir: ./data${encrypted ? '\n  encryption: { keyId: k1, key: "${env:LOOM_TEST_PAYLOAD_KEY}" }' : ''}
channels:
  - name: adt
    inbound: { kind: http }
    contentType: hl7v2
    ackMode: enhanced
    destinations:
      - { name: erp, kind: http, url: "${receiver.url}/adt" }
`);
  return file;
}

async function run(encrypted: boolean, env: Record<string, string> = { LOOM_TEST_PAYLOAD_KEY: key }): Promise<{ loom: RunningLoom; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-encryption-'));
  dirs.push(dir);
  const loom = await startLoom({ configFile: configFor(dir, encrypted), env, simulators: false, logger: createLogger({ level: 'silent' }) });
  return { loom, dir };
}

const api = (loom: RunningLoom, p: string, init: RequestInit = {}) => fetch(`${loom.url}/api/v1${p}`, { ...init, headers: authHeaders((init.headers as Record<string, string> | undefined) ?? {}) });

/** Send both patients and an operator's edit (stored beside the original), wait for the deliveries. */
async function traffic(loom: RunningLoom): Promise<string> {
  const before = receiver.effects.size;
  const ids: string[] = [];
  for (const [i, p] of PATIENTS.entries()) {
    const res = await api(loom, '/channels/adt/messages', { method: 'POST', body: adt(p, i + Math.floor(Math.random() * 1e6)), headers: { 'content-type': 'x-application/hl7-v2+er7' } });
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { messageId: string }).messageId);
  }
  await eventually(() => receiver.effects.size === before + PATIENTS.length, 15_000, 'the deliveries');
  const edited = adt({ ...PATIENTS[0]!, name: 'QUIXOTE^ALONSO^QUIJANO' }, 99);
  const res = await api(loom, `/messages/${ids[0]}/edit-and-resend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: edited, note: 'name fix', asNew: true }) });
  expect(res.status).toBe(200);
  await eventually(() => receiver.effects.size === before + PATIENTS.length + 1, 15_000, 'the edited delivery');
  return ids[0]!;
}

/** The PHI strings found in the raw bytes of the store's files (database, WAL, shared memory). */
function phiInRawFiles(dir: string): string[] {
  const files = ['loom.db', 'loom.db-wal', 'loom.db-shm'].map((f) => path.join(dir, 'data', f)).filter(existsSync);
  const raw = Buffer.concat(files.map((f) => readFileSync(f)));
  return [...PHI, 'QUIJANO'].filter((s) => raw.includes(Buffer.from(s, 'latin1')));
}

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('payload encryption at rest (store.encryption)', () => {
  it('keeps the test messages\' PHI out of the raw SQLite files, while the API and the receiver see plaintext', async () => {
    const { loom, dir } = await run(true);
    const first = await traffic(loom);
    const shown = (await (await api(loom, `/messages/${first}`)).json()) as { message: { payloadText: string }; edits: unknown[] };
    expect(shown.message.payloadText).toContain(PATIENTS[0]!.name);
    expect([...receiver.effects.values()].some((body) => body.includes('PANZA^SANCHO'))).toBe(true);
    expect(phiInRawFiles(dir)).toEqual([]); // while running: the WAL holds the recent writes
    await loom.stop();
    expect(phiInRawFiles(dir)).toEqual([]);

    // Restarted with the key, the stored payloads read back.
    const again = await startLoom({ configFile: path.join(dir, 'loom.config.yaml'), env: { LOOM_TEST_PAYLOAD_KEY: key }, simulators: false, logger: createLogger({ level: 'silent' }) });
    try {
      const reread = (await (await api(again, `/messages/${first}`)).json()) as { message: { payloadText: string } };
      expect(reread.message.payloadText).toContain(PATIENTS[0]!.mrn);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('the same traffic without encryption leaves the PHI in the file (the grep works)', async () => {
    const { loom, dir } = await run(false, {});
    await traffic(loom);
    await loom.stop();
    expect(phiInRawFiles(dir)).toEqual(expect.arrayContaining([PATIENTS[0]!.name, PATIENTS[1]!.dob, 'QUIJANO']));
  }, 60_000);

  it('a bad key fails at start with where and how to fix; a missing previous key fails the read, not the engine', async () => {
    await expect(run(true, { LOOM_TEST_PAYLOAD_KEY: 'not-a-key' })).rejects.toMatchObject({ code: 'store.encryption.key-invalid', location: 'store.encryption.key' });
    const { loom, dir } = await run(true);
    const first = await traffic(loom);
    await loom.stop();
    const file = path.join(dir, 'loom.config.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('keyId: k1', 'keyId: k2'));
    const rotated = await startLoom({ configFile: file, env: { LOOM_TEST_PAYLOAD_KEY: randomBytes(32).toString('hex') }, simulators: false, logger: createLogger({ level: 'silent' }) });
    try {
      const res = await api(rotated, `/messages/${first}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'store.encryption.key-unknown', hint: expect.stringContaining('previous') });
      expect((await api(rotated, '/channels')).status).toBe(200);
    } finally {
      await rotated.stop();
    }
  }, 60_000);
});

describe('loom rekey', () => {
  it('encrypts a store that ran without encryption, then moves it to a new key, with a progress bar', async () => {
    const { loom: plain, dir } = await run(false, {});
    const first = await traffic(plain);
    await plain.stop();
    expect(phiInRawFiles(dir)).not.toEqual([]);

    const file = configFor(dir, true);
    const rekeyed = await cli(['rekey', '--config', file], { LOOM_TEST_PAYLOAD_KEY: key });
    expect(rekeyed.code).toBe(0);
    expect(rekeyed.stderr).toMatch(/rekey \w+ \[.*\] 100% \d+\/\d+ payloads/);
    expect(rekeyed.stdout).toMatch(/: [1-9]\d* of \d+ payloads re-encrypted with key "k1"/);
    expect(phiInRawFiles(dir)).toEqual([]);

    // Rotate: k2 current, k1 previous; rekey moves every row to k2; then k1 can go.
    const k2 = randomBytes(32).toString('hex');
    writeFileSync(file, readFileSync(file, 'utf8').replace('encryption: { keyId: k1, key: "${env:LOOM_TEST_PAYLOAD_KEY}" }', 'encryption: { keyId: k2, key: "${env:K2}", previous: [{ keyId: k1, key: "${env:LOOM_TEST_PAYLOAD_KEY}" }] }'));
    const rotated = await cli(['rekey', '--config', file], { LOOM_TEST_PAYLOAD_KEY: key, K2: k2 });
    expect(rotated.stdout).toMatch(/re-encrypted with key "k2"/);
    const again = await cli(['rekey', '--config', file], { LOOM_TEST_PAYLOAD_KEY: key, K2: k2 });
    expect(again.stdout).toMatch(/: 0 of \d+ payloads re-encrypted/);

    writeFileSync(file, readFileSync(file, 'utf8').replace(/, previous: \[.*\] \}/, ' }'));
    const onlyK2 = await startLoom({ configFile: file, env: { K2: k2 }, simulators: false, logger: createLogger({ level: 'silent' }) });
    try {
      const shown = (await (await api(onlyK2, `/messages/${first}`)).json()) as { message: { payloadText: string } };
      expect(shown.message.payloadText).toContain(PATIENTS[0]!.street);
    } finally {
      await onlyK2.stop();
    }
    // Without store.encryption there is no key to rekey with: a config error, not a crash.
    expect(await cli(['rekey', '--data', path.join(dir, 'nowhere')], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('store.encryption is not configured') });
  }, 60_000);
});
