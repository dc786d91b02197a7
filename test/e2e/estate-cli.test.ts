// loom convert (json / fhir) and loom simulate on the estate's own fixtures.
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loom } from '../support/cli.js';

const fixtures = path.resolve(__dirname, '../../examples/estate/tests/fixtures');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'loom-convert-'));

describe('loom convert', () => {
  it('--to fhir turns a DFT into a Bundle with the patient and encounter of PID/PV1', async () => {
    const file = path.join(tmp, 'dft.hl7');
    writeFileSync(file, (await import('node:fs')).readFileSync(path.join(fixtures, 'dft-p03.hl7'), 'utf8').replace(/\n/g, '\r'));
    const run = await loom(['convert', file, '--to', 'fhir']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const bundle = JSON.parse(run.stdout) as { resourceType: string; entry: { resource: { resourceType: string; identifier?: { value?: string }[] } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource;
    expect(patient?.identifier?.some((i) => i.value === 'MRN2837710')).toBe(true);
    expect(bundle.entry.some((e) => e.resource.resourceType === 'Encounter' && e.resource.identifier?.some((i) => i.value === 'V20260302001'))).toBe(true);
  });

  it('--to json prints the codec tree', async () => {
    const file = path.join(tmp, 'a03.hl7');
    writeFileSync(file, (await import('node:fs')).readFileSync(path.join(fixtures, 'a03.hl7'), 'utf8').replace(/\n/g, '\r'));
    const run = await loom(['convert', file, '--to', 'json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ADT');
  });

  it('exits 2 with the LoomError naming the field when the message cannot be mapped', async () => {
    const file = path.join(tmp, 'no-pid.hl7');
    writeFileSync(file, ['MSH|^~\\&|EHR|H|LOOM|H|20260302||ADT^A03^ADT_A03|C1|P|2.5.1', 'EVN|A03|20260302', 'PV1|1|I'].join('\r'));
    const run = await loom(['convert', file, '--to', 'fhir']);
    expect(run.code).toBe(2);
    const errors = JSON.parse(run.stderr) as { code: string; location?: string }[];
    expect(errors[0].code).toMatch(/^(mapping|hl7)\./);
    expect(errors[0].location).toMatch(/PID/);
  });

  it('refuses an unknown --to as a usage error', async () => {
    const run = await loom(['convert', path.join(fixtures, 'a03.hl7'), '--to', 'xml']);
    expect(run.code).toBe(1);
  });
});

describe('loom simulate', () => {
  it('refuses an unknown simulator kind as a usage error', async () => {
    const run = await loom(['simulate', 'pharmacy']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ehr, erp, inventory, procurement, vendor, day');
  });

  it('inventory plays the seeded day to a webhook and reports what it published', async () => {
    const http = await import('node:http');
    let received = 0;
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { received++; res.end('ok'); }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const run = await loom(['simulate', 'inventory', '--target', `http://127.0.0.1:${port}/hook`, '--speed', 'max', '--seed', '3', '--dir', mkdtempSync(path.join(os.tmpdir(), 'loom-sim-'))]);
      expect(run.code).toBe(0);
      const stats = JSON.parse(run.stdout) as { sent: number; webhookDelivered: number };
      expect(stats.sent).toBeGreaterThan(0);
      expect(stats.webhookDelivered).toBe(stats.sent);
      expect(received).toBe(stats.sent);
    } finally {
      server.close();
    }
  }, 60_000);
});
