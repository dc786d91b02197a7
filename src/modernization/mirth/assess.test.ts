import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessMirthEstate } from './assess.js';
import { parseMirthExport } from './parse.js';
import { renderAssessmentMarkdown } from './report.js';
import type { MirthExport } from './types.js';

const dir = path.resolve('test/fixtures/mirth/estate');
function estate(): MirthExport {
  const parts = ['adt-inbound.xml', 'server-backup.xml'].map((f) => parseMirthExport(readFileSync(path.join(dir, f), 'utf8'), f));
  return { channels: parts.flatMap((p) => p.channels), findings: parts.flatMap((p) => p.findings) };
}

describe('assessMirthEstate', () => {
  const report = assessMirthEstate(estate());
  const byName = new Map(report.interfaces.map((i) => [i.channel, i]));

  it('describes each channel as a catalog interface with protocol, endpoints, message types, script weight and dependencies', () => {
    expect(byName.get('ADT Inbound from Epic')).toMatchObject({
      source: { transport: 'TCP Listener', protocol: 'mllp', address: 'mllp://*:6661' },
      destinations: [
        { name: 'To LIS', protocol: 'mllp', address: 'mllp://lis.hospital.example:6662', enabled: true },
        { name: 'To Billing channel', protocol: 'channel', address: 'channel:ADT to Billing', enabled: true },
        { name: 'Archive', protocol: 'file', address: 'file:///data/archive/adt', enabled: true },
      ],
      dataTypes: { inbound: 'HL7V2', outbound: 'HL7V2' },
      messageTypes: ['ADT'], filterRules: 1, transformerSteps: 2, scriptSteps: 1,
      feeds: ['ADT to Billing'], fedBy: [],
      criticality: 'critical',
    });
    expect(byName.get('ADT to Billing')).toMatchObject({ fedBy: ['ADT Inbound from Epic'], feeds: ['Fax Out'], scriptSteps: 2 });
    expect(byName.get('Legacy MM Poller')!.source).toEqual({ transport: 'Database Reader', protocol: 'database', address: 'jdbc:postgresql://mmdb.hospital.example:5432/mm' });
    expect(byName.get('Simple Lab Forward')).toMatchObject({ messageTypes: ['ORU'], criticality: 'high', scriptSteps: 0 });
    expect(byName.get('Old Pharmacy Feed')).toMatchObject({ criticality: 'low', criticalityReason: 'disabled or stopped at deploy' });
    expect(byName.get('Vendor Webhook')!.scriptCharacters).toBeGreaterThan(150);
  });

  it('finds shared endpoints, dead channels and point-to-point chains', () => {
    expect(report.duplicatedEndpoints).toEqual([
      { address: 'mllp://*:6661', use: 'listen', channels: ['ADT Inbound from Epic', 'Old Pharmacy Feed'] },
      { address: 'mllp://lis.hospital.example:6662', use: 'send', channels: ['ADT Inbound from Epic', 'ADT to Billing'] },
      { address: 'mllp://ehr.hospital.example:6700', use: 'send', channels: ['Lab Results Out', 'Simple Lab Forward'] },
    ]);
    expect(report.deadChannels).toEqual([{ channel: 'Old Pharmacy Feed', reason: 'disabled' }]);
    expect(report.chains).toEqual([{ channels: ['ADT Inbound from Epic', 'ADT to Billing', 'Fax Out'] }]);
  });

  it('renders a Markdown report naming every unsupported part', () => {
    const md = renderAssessmentMarkdown(report);
    expect(md).toContain('8 channels (7 live), 3 shared endpoints, 1 dead channels, 1 point-to-point chains, 3 parts Loom does not read.');
    expect(md).toContain('- ADT Inbound from Epic → ADT to Billing → Fax Out: one Loom channel');
    expect(md).toContain('unsupported: Fax Out: connector type "SMTP Sender" is not one Loom reads');
    expect(md).not.toContain('********'); // passwords in the export never reach the report
  });
});
