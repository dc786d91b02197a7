import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { newRouter } from '../../src/api/context.js';
import { problem } from '../../src/api/problem.js';
import { crosswalkRoutes } from '../../src/api/routes/crosswalks.js';
import { crosswalkProvider, openCrosswalkRepository, type CrosswalkRepository } from '../../src/crosswalks/index.js';
import { lookupCharge } from '../../src/mappings/index.js';

const HEADER = 'kind,source_system,source_code,target_system,target_code,item_id,gl_account,cost_center,offset_account,description';
const CSV = [HEADER, 'charge,,278001,,,ITEM-1,6100,CC-OR,1400,hip stem', 'charge,,278002,,,ITEM-2,6100,CC-OR,1400,screw'].join('\n');

let dir: string;
let repo: CrosswalkRepository;
let app: OpenAPIHono;

// Mounted the way src/api/app.ts mounts resource modules: /api/v1 with problem+json errors.
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-api-'));
  repo = openCrosswalkRepository({ dataDir: dir });
  app = newRouter();
  app.onError((error, c) => problem(c, error));
  const v1 = newRouter();
  v1.route('/', crosswalkRoutes(repo));
  v1.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Loom API', version: '1' } });
  app.route('/api/v1', v1);
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (actor: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { 'x-loom-actor': actor, ...(init.headers as Record<string, string> | undefined) } });
const csv = (body: string, actor = 'ana'): RequestInit => as(actor, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });
const patch = (edits: unknown, actor = 'bo'): RequestInit => as(actor, { method: 'PATCH', body: JSON.stringify({ edits }), headers: { 'content-type': 'application/json' } });

async function problemOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as Record<string, unknown>;
}

describe('crosswalk API', () => {
  it('round trip: import, edit, publish, read, diff, with actors recorded', async () => {
    let res = await app.request('/api/v1/crosswalks/charge-codes/import?effectiveDate=2025-01-01&version=2025.1&note=initial', csv(CSV));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: '2025.1', status: 'draft', author: 'ana', note: 'initial', rowCount: 2 });

    res = await app.request('/api/v1/crosswalks/charge-codes/drafts/2025.1/rows', patch([
      { op: 'add', row: { kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P1', targetSystem: 'CPT', targetCode: '27130' } },
      { op: 'update', key: 'charge:278002', row: { kind: 'charge', chargeCode: '278002', glAccount: '6150' } },
    ]));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rowCount: number }).rowCount).toBe(3);

    res = await app.request('/api/v1/crosswalks/charge-codes/drafts/2025.1/publish', as('cy', { method: 'POST' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'published', publishedBy: 'cy' });

    res = await app.request('/api/v1/crosswalks/charge-codes/drafts', as('dee', { method: 'POST', body: JSON.stringify({ effectiveDate: '2025-07-01', version: '2025.2' }), headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(201);
    res = await app.request('/api/v1/crosswalks/charge-codes/drafts/2025.2/rows', patch([{ op: 'delete', key: 'charge:278001' }], 'dee'));
    expect(res.status).toBe(200);
    res = await app.request('/api/v1/crosswalks/charge-codes/drafts/2025.2/publish', as('dee', { method: 'POST' }));
    expect(res.status).toBe(200);

    res = await app.request('/api/v1/crosswalks');
    expect(await res.json()).toEqual({ items: [{ name: 'charge-codes', versions: 2, current: '2025.2', drafts: [] }] });

    res = await app.request('/api/v1/crosswalks/charge-codes');
    const listing = (await res.json()) as { versions: Array<{ version: string }>; changes: Array<{ action: string; actor: string; version: string }> };
    expect(listing.versions.map((v) => v.version)).toEqual(['2025.1', '2025.2']);
    expect(listing.changes.map((ch) => `${ch.version} ${ch.action} ${ch.actor}`)).toEqual(['2025.1 import ana', '2025.1 edit bo', '2025.1 publish cy', '2025.2 draft dee', '2025.2 edit dee', '2025.2 publish dee']);

    res = await app.request('/api/v1/crosswalks/charge-codes/versions/2025.1');
    expect(((await res.json()) as { rows: unknown[] }).rows).toContainEqual({ kind: 'charge', chargeCode: '278002', glAccount: '6150' });

    res = await app.request('/api/v1/crosswalks/charge-codes/diff?from=2025.1&to=2025.2');
    const diff = (await res.json()) as { added: unknown[]; removed: Array<{ chargeCode?: string }>; changed: unknown[] };
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.removed.map((r) => r.chargeCode)).toEqual(['278001']);

    // What the mappings see, by the time of the event.
    const at = crosswalkProvider(repo);
    expect(lookupCharge(await at('charge-codes', '2025-03-01'), '278001', 'FT1-7').glAccount).toBe('6100');
    const august = await at('charge-codes', '2025-08-01');
    expect(() => lookupCharge(august, '278001', 'FT1-7')).toThrow(expect.objectContaining({ code: 'mapping.code.unknown' }));

    res = await app.request('/api/v1/openapi.json');
    expect(Object.keys(((await res.json()) as { paths: Record<string, unknown> }).paths)).toContain('/crosswalks/{name}/drafts/{version}/rows');
  });

  it('rejects an invalid CSV as a whole with per-line errors as problem+json', async () => {
    const bad = [HEADER, 'charge,,278001,,,ITEM-1,6100,,,', 'charge,,278002,,,,,,,missing gl', 'gadget,,X,,,,,,,'].join('\n');
    const res = await app.request('/api/v1/crosswalks/charge-codes/import?effectiveDate=2025-01-01', csv(bad));
    expect(res.status).toBe(422);
    const body = await problemOf(res);
    expect(body).toMatchObject({ code: 'crosswalk.csv.invalid', status: 422, location: 'line 3' });
    expect(body.errors).toEqual([
      expect.objectContaining({ line: 3, code: 'crosswalk.row.missing' }),
      expect.objectContaining({ line: 4, code: 'crosswalk.row.kind' }),
    ]);
    const after = await app.request('/api/v1/crosswalks/charge-codes');
    expect(after.status).toBe(404);
    expect(await problemOf(after)).toMatchObject({ code: 'crosswalk.unknown' });
  });

  it('answers conflicts, unknowns and bad requests as problem+json', async () => {
    await app.request('/api/v1/crosswalks/charge-codes/import?effectiveDate=2025-01-01', csv(CSV));
    await app.request('/api/v1/crosswalks/charge-codes/drafts/1/publish', as('cy', { method: 'POST' }));

    let res = await app.request('/api/v1/crosswalks/charge-codes/drafts/1/rows', patch([{ op: 'delete', key: 'charge:278001' }]));
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toMatchObject({ code: 'crosswalk.version.published' });

    res = await app.request('/api/v1/crosswalks/charge-codes/versions/7');
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ code: 'crosswalk.version.unknown' });

    res = await app.request('/api/v1/crosswalks/charge-codes/diff?from=1');
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: 'api.request.invalid' });

    res = await app.request('/api/v1/crosswalks/charge-codes/import', csv(CSV)); // no effective date anywhere
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: 'crosswalk.meta.missing' });

    res = await app.request('/api/v1/crosswalks/charge-codes/drafts', as('dee', { method: 'POST', body: JSON.stringify({ effectiveDate: '2025-02-01' }), headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(201);
    res = await app.request('/api/v1/crosswalks/charge-codes/drafts/2/rows', patch([{ op: 'add', row: { kind: 'charge', chargeCode: '278001', glAccount: '6100' } }]));
    expect(res.status).toBe(409);
    expect(await problemOf(res)).toMatchObject({ code: 'crosswalk.row.exists', location: 'edits[0].row' });
  });
});
