import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fhirPollConnector, FhirPollInbound } from '../../src/connectors/fhir-poll/index.js';
import { FileCursorStore, RecordingIntake } from '../../src/connectors/shared/index.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

type Res = { resourceType: string; id: string; status: string; meta: { versionId: string; lastUpdated: string } };

/** A FHIR server on 127.0.0.1:0 with `_lastUpdated` (ge/gt), `_sort`, `_count` and next links. */
async function fhirServer() {
  const resources = new Map<string, Res>();
  let clock = Date.parse('2026-12-05T08:00:00Z');
  const requests: string[] = [];
  const put = (type: string, id: string, status: string) => {
    const old = resources.get(`${type}/${id}`);
    clock += 1000;
    resources.set(`${type}/${id}`, { resourceType: type, id, status, meta: { versionId: String(Number(old?.meta.versionId ?? 0) + 1), lastUpdated: new Date(clock).toISOString() } });
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(url.pathname + url.search);
    if (req.headers.authorization !== 'Bearer ehr-token') { res.writeHead(401).end(); return; }
    const type = url.pathname.split('/').pop()!;
    let hits = [...resources.values()].filter((r) => r.resourceType === type);
    for (const bound of url.searchParams.getAll('_lastUpdated')) {
      const at = Date.parse(bound.slice(2));
      hits = hits.filter((r) => (bound.startsWith('gt') ? Date.parse(r.meta.lastUpdated) > at : Date.parse(r.meta.lastUpdated) >= at));
    }
    hits.sort((a, b) => a.meta.lastUpdated.localeCompare(b.meta.lastUpdated));
    const count = Number(url.searchParams.get('_count'));
    const offset = Number(url.searchParams.get('_offset') ?? 0);
    const link = [];
    if (offset + count < hits.length) {
      const next = new URL(`${base}${url.pathname}${url.search}`);
      next.searchParams.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: next.toString() });
    }
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({
      resourceType: 'Bundle', type: 'searchset', link, entry: hits.slice(offset, offset + count).map((resource) => ({ resource })),
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { base, put, requests };
}

function poller(base: string, cursorDir: string, intake: RecordingIntake) {
  const options = fhirPollConnector.schema.parse({
    channel: 'ehr-procedures', baseUrl: base, resources: ['Procedure', 'Device'], pageSize: 2, intervalMs: 3_600_000,
    auth: { value: 'Bearer ehr-token' },
  });
  const inbound = fhirPollConnector.inbound!(options, { logger: silentLogger, clock: systemClock, resolvePath: (p) => p, dataDir: cursorDir }) as FhirPollInbound;
  cleanups.push(() => inbound.stop());
  return { inbound, start: () => inbound.start(intake) };
}

const bodies = (intake: RecordingIntake) => intake.stored.map((s) => { const r = JSON.parse(Buffer.from(s.request.payload).toString()) as Res; return `${r.resourceType}/${r.id}@${r.meta.versionId}`; });

describe('fhir-poll inbound (real HTTP FHIR peer)', () => {
  it('pulls every page of each type, then only what changed; a restart resumes from the durable cursor without new messages', async () => {
    const ehr = await fhirServer();
    for (let i = 1; i <= 5; i++) ehr.put('Procedure', `p${i}`, 'completed');
    ehr.put('Device', 'd1', 'active');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-fhir-poll-'));
    const intake = new RecordingIntake();

    const first = poller(ehr.base, dataDir, intake);
    await first.start();
    await first.inbound.pollAll();
    expect(bodies(intake).sort()).toEqual(['Device/d1@1', 'Procedure/p1@1', 'Procedure/p2@1', 'Procedure/p3@1', 'Procedure/p4@1', 'Procedure/p5@1']);
    expect(ehr.requests.filter((r) => r.includes('_offset')).length).toBeGreaterThanOrEqual(2); // followed next links
    expect(ehr.requests[0]).toContain('_sort=_lastUpdated');

    // One change and one new resource: exactly those two are new messages.
    ehr.put('Procedure', 'p2', 'entered-in-error');
    ehr.put('Procedure', 'p6', 'completed');
    await first.inbound.pollAll();
    expect(bodies(intake).slice(6).sort()).toEqual(['Procedure/p2@2', 'Procedure/p6@1']);
    await first.inbound.stop();

    // A new life of the connector reads its cursor from disk: nothing old comes back as new.
    const second = poller(ehr.base, dataDir, intake);
    await second.start();
    await second.inbound.pollAll();
    expect(intake.stored).toHaveLength(8);
    expect(second.inbound.lastResults.get('Procedure')).toMatchObject({ received: 0, rejected: 0 });
    expect(ehr.requests.at(-2)).toMatch(/_lastUpdated=ge2026-12-05T08%3A00%3A08/);
  });

  it('does not move the cursor past resources the store refused: they are read again and stored once', async () => {
    const ehr = await fhirServer();
    for (let i = 1; i <= 3; i++) ehr.put('Procedure', `p${i}`, 'completed');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-fhir-poll-'));
    const intake = new RecordingIntake();
    const { inbound, start } = poller(ehr.base, dataDir, intake);
    await start();
    intake.refuse = true;
    await expect(inbound.pollAll()).rejects.toMatchObject({ code: 'store.unavailable' });
    expect(await new FileCursorStore(path.join(dataDir, 'cursors')).get('ehr-procedures.fhir-poll.Procedure')).toBeUndefined();
    intake.refuse = false;
    await inbound.pollAll();
    expect(bodies(intake).sort()).toEqual(['Procedure/p1@1', 'Procedure/p2@1', 'Procedure/p3@1']);
  });

  it('names an unreachable server and a server that answers no Bundle', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-fhir-poll-'));
    const intake = new RecordingIntake();
    const { inbound, start } = poller('http://127.0.0.1:1/fhir/R4', dataDir, intake);
    await start();
    await expect(inbound.pollAll()).rejects.toMatchObject({ code: 'fhir-poll.unreachable' });
    const ehr = await fhirServer();
    const wrongAuth = fhirPollConnector.inbound!(fhirPollConnector.schema.parse({ channel: 'c', baseUrl: ehr.base, resources: ['Procedure'], intervalMs: 3_600_000 }), { logger: silentLogger, clock: systemClock, resolvePath: (p) => p, dataDir }) as FhirPollInbound;
    await wrongAuth.start(intake);
    cleanups.push(() => wrongAuth.stop());
    await expect(wrongAuth.pollAll()).rejects.toMatchObject({ code: 'fhir-poll.http.401' });
  });
});
