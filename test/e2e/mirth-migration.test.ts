import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loom } from '../support/cli.js';

const estate = path.resolve('test/fixtures/mirth/estate');

describe('loom catalog import --mirth', () => {
  it('assesses a folder of exports and exits 2 naming each unsupported part', async () => {
    const run = await loom(['catalog', 'import', '--mirth', estate]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('8 channels (7 live), 3 shared endpoints, 1 dead channels, 1 point-to-point chains, 3 parts Loom does not read.');
    expect(run.stdout).toContain('| ADT Inbound from Epic | critical: ADT: ADT carries patient identity');
    expect(run.stderr).toContain('3 part(s) of the export are not supported');
  });

  it('writes JSON for tools and keeps going past a file that is not XML', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-mirth-'));
    const out = path.join(dir, 'assessment.json');
    const run = await loom(['catalog', 'import', '--mirth', path.resolve('test/fixtures/mirth'), '--format', 'json', '--out', out]);
    expect(run.code).toBe(2);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { interfaces: unknown[]; findings: Array<{ message: string; channel: string }> };
    expect(json.interfaces).toHaveLength(8);
    expect(json.findings.filter((f) => f.channel === '(whole file)').map((f) => f.message.split(':')[0])).toEqual(['mirth.export.no-channels', 'mirth.export.not-xml']);
  });

  it('stores the channels and destinations in the interface catalog of a config, replacing them on re-import, audited', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-mirth-catalog-'));
    const configFile = path.join(dir, 'loom.config.yaml');
    writeFileSync(configFile, 'version: 1\nstore: { dataDir: ./data }\nchannels: []\n');
    const first = await loom(['catalog', 'import', '--mirth', estate, '--config', configFile]);
    expect(first.stderr).toContain('catalog entries stored as source mirth:estate');
    const again = await loom(['catalog', 'import', '--mirth', estate, '--config', configFile]);
    expect(again.stderr).toBe(first.stderr); // replaced, not doubled
    const report = await loom(['catalog', 'report', '--format', 'csv', '--config', configFile]);
    expect(report.code).toBe(0);
    const rows = report.stdout.split('\n').filter((l) => l.includes('mirth:estate'));
    expect(rows.filter((r) => r.startsWith('channel:mirth/'))).toHaveLength(8);
    expect(report.stdout).toContain('channel:mirth/adt-inbound-from-epic');
    const impact = await loom(['catalog', 'report', '--down', 'channel:mirth/adt-inbound-from-epic', '--config', configFile]);
    expect(impact.stdout).toContain('destination:mirth/adt-inbound-from-epic/to-lis');
    const audit = await loom(['audit', 'verify', '--config', configFile]);
    expect(audit.code).toBe(0);
  });

  it('names a missing export as a usage problem', async () => {
    expect((await loom(['catalog', 'import', '--mirth', '/no/such/export.xml'])).code).toBe(1);
    expect((await loom(['catalog', 'import'])).code).toBe(1);
  });
});

describe('loom migrate-channel', () => {
  it('generates channels and test scaffolds that pass loom test, with TODO steps for scripts and reasons for what it cannot migrate', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'loom-migrated-'));
    const run = await loom(['migrate-channel', estate, '--out', out]);
    expect(run.code).toBe(2); // some channels cannot be migrated: said, not hidden
    expect(run.stdout).toMatch(/ready\s+Simple Lab Forward → simple-lab-forward/);
    expect(run.stdout).toMatch(/todo\s+ADT Inbound from Epic → adt-inbound-from-epic/);
    expect(run.stdout).toMatch(/unsupported Fax Out\n\s+- destination "Fax gateway" is an unsupported connector \(SMTP Sender\)/);
    expect(run.stdout).toMatch(/todo\s+ADT to Billing → adt-to-billing\n\s+- its destination "to-fax-channel" handed messages to Mirth channel "fax-out", which is not migrated: replaced by a migration-todo step/);
    expect(run.stdout).toMatch(/unsupported Old Pharmacy Feed\n\s+- disabled in Mirth/);

    const config = parse(readFileSync(path.join(out, 'loom.config.yaml'), 'utf8')) as { channels: Array<{ name: string; steps: Array<{ use: string; with: Record<string, unknown> }>; destinations: Array<Record<string, unknown>> }> };
    const lab = config.channels.find((c) => c.name === 'simple-lab-forward')!;
    expect(lab.steps).toEqual([
      { use: 'filter', with: { when: { field: 'MSH-9.1', in: ['ORU'] }, reason: 'Mirth filter rule "ORU only"' } },
      { use: 'filter', with: { when: { field: 'PID-3.1', exists: true }, reason: 'Mirth filter rule "Has a patient id"' } },
    ]);
    expect(lab.destinations).toEqual([{ name: 'to-ehr-results', kind: 'mllp', host: 'ehr.hospital.example', port: 6700 }]);
    const adt = config.channels.find((c) => c.name === 'adt-inbound-from-epic')!;
    const todo = adt.steps.filter((s) => s.use === 'migration-todo');
    expect(todo).toHaveLength(2);
    expect(String(todo[0]!.with.script)).toContain("msg['PID']['PID.3']['PID.3.1']"); // the original script rides along

    // A config without the dangling channel still references only generated channels.
    const tests = await loom(['test', path.join(out, 'tests'), '--config', path.join(out, 'loom.config.yaml')]);
    expect(tests.stdout).toContain('0 failed');
    expect(tests.code).toBe(0);
  });

  it('a migrated channel filters what its Mirth filter filtered', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'loom-migrated-'));
    expect((await loom(['migrate-channel', path.join(estate, 'server-backup.xml'), '--channel', 'Simple Lab Forward', '--out', out])).code).toBe(0);
    const fixture = path.join(out, 'tests', 'fixtures', 'simple-lab-forward.hl7');
    const adtInstead = readFileSync(fixture, 'utf8').replace('ORU^R01', 'ADT^A01');
    writeFileSync(fixture, adtInstead);
    const tests = await loom(['test', path.join(out, 'tests'), '--config', path.join(out, 'loom.config.yaml')]);
    expect(tests.code).toBe(2); // an ADT never reaches the EHR results interface: the scaffold now fails
    expect(tests.stdout).toContain('1 failed');
  });
});
