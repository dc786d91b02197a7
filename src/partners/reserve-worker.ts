// Test helper: a separate process that reserves outbound control numbers on a shared store and
// prints them as JSON, so the tests can race several processes (nodes) on one counter.
// Usage: node --import tsx src/partners/reserve-worker.ts <dataDir | postgres://…#schema> <count>
import { openPostgresPartnerStore } from './postgres-store.js';
import { PartnerService } from './service.js';

const [where, count] = process.argv.slice(2).map(String);
const pg = where.startsWith('postgres') ? { url: where.split('#')[0], schema: where.split('#')[1] ?? 'loom', migrate: false } : undefined;
const service = new PartnerService({
  dataDir: pg ? '.' : where, partners: [{ partnerId: 'P1', ours: { id: 'US' }, theirs: { id: 'THEM' } }],
  ...(pg ? { store: await openPostgresPartnerStore(pg) } : {}),
});
const got: string[] = [];
for (let i = 0; i < Number(count); i++) got.push((await service.nextOutbound('P1')).isa13);
await service.close();
process.stdout.write(JSON.stringify(got));
