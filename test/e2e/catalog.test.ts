import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/governance/audit/index.js';
import type { CatalogEntry, ImpactMap } from '../../src/governance/catalog/index.js';
import { authHeaders } from '../support/auth.js';
import { loom as cli } from '../support/cli.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';

const HEADER = `systems:
  - { name: ehr, owner: Clinical Applications, criticality: critical }
  - { name: erp, owner: Finance Systems, criticality: critical }
governance:
  catalog:
    destinations:
      adt/erp: { system: erp, dataClasses: [financial] }
store: { dataDir: ./data }`;
const CHANNELS = `  - name: adt
    source: ehr
    inbound: { kind: http }
    contentType: hl7v2
    destinations:
      - { name: erp, kind: http, url: "http://127.0.0.1:9/adt" }
`;

let t: TestLoom;
const api = (p: string, init: RequestInit = {}) => fetch(`${t.loom.url}/api/v1${p}`, { ...init, headers: authHeaders((init.headers as Record<string, string> | undefined) ?? {}) });

beforeAll(async () => {
  t = await startTestLoom(CHANNELS, { header: HEADER });
});
afterAll(async () => {
  await t.loom.stop();
  rmSync(t.dir, { recursive: true, force: true });
});

describe('interface catalog of a running Loom', () => {
  it('serves the catalog with its dependency map, as JSON, Markdown and CSV', async () => {
    const body = (await (await api('/catalog?down=erp')).json()) as { entries: CatalogEntry[]; impact: ImpactMap };
    expect(body.entries.map((e) => e.id)).toEqual(['system:ehr', 'system:erp', 'channel:adt', 'destination:adt/erp']);
    expect(body.entries.find((e) => e.id === 'channel:adt')).toMatchObject({ owner: 'Clinical Applications', protocol: 'http', direction: 'inbound', dataClasses: ['PHI'] });
    expect(body.impact).toEqual({ system: 'erp', stopped: [{ id: 'destination:adt/erp', reason: 'depends on system:erp, which is down' }], degraded: [] });
    const ehr = (await (await api('/catalog?down=ehr')).json()) as { impact: ImpactMap };
    expect(ehr.impact.stopped.map((s) => s.id)).toEqual(['channel:adt', 'destination:adt/erp']);
    const unknown = await api('/catalog?down=pacs');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'catalog.system.unknown' });
    expect(await (await api('/catalog?format=markdown')).text()).toContain('| adt | Clinical Applications | http | inbound | critical | PHI |');
    expect((await (await api('/catalog?format=csv')).text()).trim().split('\n')).toHaveLength(5);
  });

  it('imports entries from elsewhere under their source, audited, and maps them too', async () => {
    const imported = await api('/catalog/import', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'mirth:ADT-Inbound.xml', entries: [{ id: 'mirth:adt-inbound', kind: 'channel', name: 'ADT Inbound', protocol: 'mllp', direction: 'inbound', dependsOn: ['system:ehr'] }] }),
    });
    expect(await imported.json()).toEqual({ source: 'mirth:ADT-Inbound.xml', entries: 1 });
    const body = (await (await api('/catalog?down=ehr')).json()) as { entries: CatalogEntry[]; impact: ImpactMap };
    expect(body.entries.at(-1)).toMatchObject({ id: 'mirth:adt-inbound', source: 'mirth:ADT-Inbound.xml', dataClasses: [], fedBy: [] });
    expect(body.impact.stopped.map((s) => s.id)).toContain('mirth:adt-inbound');
    const audit = (await (await api('/audit?action=catalog.import')).json()) as { items: AuditRecord[] };
    expect(audit.items[0]).toMatchObject({ target: 'catalog/mirth:ADT-Inbound.xml', detail: { entries: 1 } });
    const reserved = await api('/catalog/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'config', entries: [] }) });
    expect(await reserved.json()).toMatchObject({ code: 'catalog.source.reserved' });
  });

  it('loom catalog report prints Markdown, CSV and what stops when a system is down', async () => {
    const md = await cli(['catalog', 'report', '--config', t.configFile]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# Interface catalog');
    expect(md.stdout).toContain('| ADT Inbound |');
    const csv = await cli(['catalog', 'report', '--format', 'csv', '--config', t.configFile]);
    expect(csv.stdout.split('\n')[0]).toBe('id,kind,name,source,owner,protocol,direction,criticality,dataClasses,sla,dependsOn,fedBy,description');
    const down = await cli(['catalog', 'report', '--down', 'erp', '--config', t.configFile]);
    expect(down.stdout).toBe('If erp is down:\n  stops     destination:adt/erp: depends on system:erp, which is down\n');
    expect(await cli(['catalog', 'report', '--format', 'pdf', '--config', t.configFile])).toMatchObject({ code: 1 });
  });
});
