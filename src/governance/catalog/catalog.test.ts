import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { catalogFromConfig } from './build.js';
import { impactOf } from './impact.js';
import { catalogCsv, catalogMarkdown } from './report.js';

const YAML = `version: 1
systems:
  - { name: ehr, owner: Clinical Applications, criticality: critical }
  - { name: inventory, owner: Supply Chain, criticality: high }
  - { name: erp, owner: Finance Systems, criticality: critical }
  - { name: loom-estate, owner: Integration Team }
channels:
  - name: ehr-hl7
    source: ehr
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    destinations:
      - { name: to-events, kind: channel, target: events, source: loom-estate }
  - name: inventory-webhook
    source: inventory
    inbound: { kind: http }
    contentType: json
    destinations:
      - { name: to-events, kind: channel, target: events, source: loom-estate }
  - name: events
    source: loom-estate
    inbound: { kind: channel }
    contentType: json
    destinations:
      - { name: erp-journal-entry, kind: http, url: "http://127.0.0.1:9/je" }
slas:
  - { name: consumption-to-erp, channel: events, destination: erp-journal-entry, within: 1m, target: 99 }
  - { name: discharge-to-charge, process: discharge-charge, measure: discharge-to-charge, within: 15m, target: 95 }
governance:
  catalog:
    channels:
      inventory-webhook: { dataClasses: [operational] }
    destinations:
      events/erp-journal-entry: { system: erp, dataClasses: [financial] }
    processes:
      discharge-charge: { owner: Revenue Cycle, criticality: high, dataClasses: [PHI, financial], dependsOn: [ehr, erp] }
`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'loom.config.yaml'), YAML);
const { config } = loadConfig({ file: path.join(dir, 'loom.config.yaml'), env: {}, connectorKinds });
const catalog = catalogFromConfig(config);
const byId = (id: string) => catalog.find((e) => e.id === id);

describe('interface catalog from the config', () => {
  it('lists every system, channel, destination and process', () => {
    expect(catalog.map((e) => e.id)).toEqual([
      'system:ehr', 'system:inventory', 'system:erp', 'system:loom-estate',
      'channel:ehr-hl7', 'destination:ehr-hl7/to-events',
      'channel:inventory-webhook', 'destination:inventory-webhook/to-events',
      'channel:events', 'destination:events/erp-journal-entry',
      'process:discharge-charge',
    ]);
  });

  it('derives owner, criticality, protocol, direction and data classes, and takes the governance section over them', () => {
    expect(byId('channel:ehr-hl7')).toMatchObject({ owner: 'Clinical Applications', criticality: 'critical', protocol: 'mllp', direction: 'inbound', dataClasses: ['PHI'], dependsOn: ['system:ehr'], source: 'config' });
    expect(byId('channel:inventory-webhook')).toMatchObject({ owner: 'Supply Chain', protocol: 'http', dataClasses: ['operational'] });
    expect(byId('channel:events')).toMatchObject({ direction: 'internal', dependsOn: [], fedBy: ['channel:ehr-hl7', 'channel:inventory-webhook'] });
    expect(byId('destination:events/erp-journal-entry')).toMatchObject({
      owner: 'Finance Systems', criticality: 'critical', protocol: 'http', direction: 'outbound', dataClasses: ['financial'],
      sla: '99 % within 1m (consumption-to-erp)', dependsOn: ['channel:events', 'system:erp'],
    });
    expect(byId('process:discharge-charge')).toMatchObject({ owner: 'Revenue Cycle', sla: '95 % within 15m (discharge-to-charge)', dataClasses: ['PHI', 'financial'], dependsOn: ['system:ehr', 'system:erp'] });
  });

  it('says which flows stop when a system is down, and which only lose part of their feed', () => {
    const ehr = impactOf(catalog, 'ehr');
    expect(ehr.stopped.map((s) => s.id)).toEqual(['channel:ehr-hl7', 'destination:ehr-hl7/to-events', 'process:discharge-charge']);
    expect(ehr.degraded.map((s) => s.id)).toEqual(['channel:events']);
    const erp = impactOf(catalog, 'erp');
    expect(erp.stopped).toEqual([
      { id: 'destination:events/erp-journal-entry', reason: 'depends on system:erp, which is down' },
      { id: 'process:discharge-charge', reason: 'depends on system:erp, which is down' },
    ]);
    expect(erp.degraded).toEqual([]);
  });

  it('stops an internal channel once every feed stops, and what depends on it', () => {
    const both = catalog.map((e) => (e.id === 'channel:inventory-webhook' ? { ...e, dependsOn: ['system:ehr'] } : e));
    const impact = impactOf(both, 'ehr');
    expect(impact.stopped.map((s) => s.id)).toContain('channel:events');
    expect(impact.stopped.map((s) => s.id)).toContain('destination:events/erp-journal-entry');
    expect(impact.stopped.find((s) => s.id === 'channel:events')?.reason).toBe('every feed stops (channel:ehr-hl7, channel:inventory-webhook)');
    expect(impact.degraded).toEqual([]);
  });

  it('reports as Markdown (a table per kind) and CSV (one row per entry)', () => {
    const md = catalogMarkdown(catalog);
    expect(md).toContain('## Channels');
    expect(md).toContain('| ehr-hl7 | Clinical Applications | mllp | inbound | critical | PHI | — | system:ehr | config |');
    expect(md).toContain('| events | Integration Team | channel | internal | medium | — | — | channel:ehr-hl7 (feed), channel:inventory-webhook (feed) | config |');
    const csv = catalogCsv(catalog).trim().split('\n');
    expect(csv[0]).toBe('id,kind,name,source,owner,protocol,direction,criticality,dataClasses,sla,dependsOn,fedBy,description');
    expect(csv).toHaveLength(catalog.length + 1);
    expect(csv).toContain('process:discharge-charge,process,discharge-charge,config,Revenue Cycle,,internal,high,PHI;financial,95 % within 15m (discharge-to-charge),system:ehr;system:erp,,');
  });
});
