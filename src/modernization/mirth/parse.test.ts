import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { parseMirthExport } from './parse.js';

const fixtures = path.resolve('test/fixtures/mirth');
const read = (name: string) => parseMirthExport(readFileSync(path.join(fixtures, name), 'utf8'), name);

describe('parseMirthExport', () => {
  it('reads a single channel export: MLLP listener, rule-builder filter, JavaScript and mapper steps, three destination types', () => {
    const { channels, findings } = read('estate/adt-inbound.xml');
    expect(findings).toEqual([]);
    const [adt] = channels;
    expect(adt).toMatchObject({ name: 'ADT Inbound from Epic', version: '4.5.2', enabled: true, initialState: 'STARTED', id: '5f1c2b7e-0a11-4b8e-9a3e-3c1d0e2a9b01' });
    expect(adt!.source.endpoint).toEqual({ kind: 'tcp-listener', host: '0.0.0.0', port: 6661, mllp: true });
    expect(adt!.source.filter).toEqual([expect.objectContaining({ kind: 'rule-builder', name: 'Accept ADT only', rule: { field: "msg['MSH']['MSH.9']['MSH.9.1'].toString()", condition: 'EQUALS', values: ['ADT'] } })]);
    expect(adt!.source.transformer.map((s) => [s.kind, s.name])).toEqual([['javascript', 'Normalize PID-3'], ['mapper', 'visit']]);
    expect(adt!.source.transformer[0]!.scriptSize).toBeGreaterThan(200);
    expect(adt!.source.inboundDataType).toBe('HL7V2');
    expect(adt!.source.inboundTemplate).toMatch(/^MSH\|\^~\\&\|EPIC/);
    expect(adt!.destinations.map((d) => d.endpoint)).toEqual([
      { kind: 'tcp-sender', host: 'lis.hospital.example', port: 6662, mllp: true },
      { kind: 'channel-writer', channelId: '9a7d3c55-2b1e-4f3a-8c6d-1e2f3a4b5c02' },
      { kind: 'file-writer', scheme: 'FILE', host: '/data/archive/adt', path: '/data/archive/adt', outputPattern: '${message.messageId}.hl7' },
    ]);
    // Mirth's do-nothing script templates are not counted as logic.
    expect(adt!.scriptSizes).toEqual({ deploy: 0, undeploy: 0, preprocessing: 0, postprocessing: 0 });
  });

  it('reads every channel of a server backup and lists each unsupported part with its channel and path', () => {
    const { channels, findings } = read('estate/server-backup.xml');
    expect(channels.map((c) => c.name)).toEqual(['ADT to Billing', 'Lab Results Out', 'Legacy MM Poller', 'Old Pharmacy Feed', 'Vendor Webhook', 'Simple Lab Forward', 'Fax Out']);
    const byName = new Map(channels.map((c) => [c.name, c]));
    expect(byName.get('Lab Results Out')!.source.endpoint).toMatchObject({ kind: 'file-reader', scheme: 'SFTP', path: 'sftp.reflab.example/outbound/results', fileFilter: '*.hl7' });
    expect(byName.get('Legacy MM Poller')!.source.endpoint).toMatchObject({ kind: 'database-reader', driver: 'org.postgresql.Driver', select: expect.stringContaining('FROM supply_use') });
    expect(byName.get('Old Pharmacy Feed')).toMatchObject({ enabled: false, initialState: 'STOPPED' });
    expect(byName.get('Vendor Webhook')!.source.endpoint).toEqual({ kind: 'http-listener', host: '0.0.0.0', port: 8081, contextPath: '/vendor/po-events' });
    expect(byName.get('ADT to Billing')!.scriptSizes.deploy).toBeGreaterThan(0);
    expect(findings.map((f) => [f.channel, f.path, f.severity])).toEqual([
      ['Old Pharmacy Feed', 'serverConfiguration/channels/channel[4]/sourceConnector/filter/elements/com.acme.mirth.plugins.formulary.FormularyCheckRule[1]', 'unsupported'],
      ['Vendor Webhook', 'serverConfiguration/channels/channel[5]/destinationConnectors/connector[1]/properties', 'unsupported'],
      ['Fax Out', 'serverConfiguration/channels/channel[7]/destinationConnectors/connector[1]/properties', 'unsupported'],
    ]);
    expect(findings[2]!.message).toBe('connector type "SMTP Sender" is not one Loom reads');
  });

  it('notes an export version it does not know and still reads it', () => {
    const xml = readFileSync(path.join(fixtures, 'estate/adt-inbound.xml'), 'utf8').replace('<channel version="4.5.2">', '<channel version="2.2.1">');
    const { channels, findings } = parseMirthExport(xml, 'old.xml');
    expect(channels).toHaveLength(1);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', path: 'channel/@version', message: expect.stringContaining('"2.2.1"') })]);
  });

  it('refuses what is not XML with the line, and XML without channels with its root element', () => {
    const codeOf = (name: string) => {
      try { read(name); return undefined; } catch (err) { return err instanceof LoomError ? [err.code, err.location] : err; }
    };
    expect(codeOf('not-xml.xml')).toEqual(['mirth.export.not-xml', 'not-xml.xml:1']);
    expect(codeOf('no-channels.xml')).toEqual(['mirth.export.no-channels', 'no-channels.xml']);
  });
});
