// Test helper: a separate process that reserves outbound control numbers on a shared loom.db and
// prints them as JSON, so the tests can race several processes on one counter.
// Usage: node --import tsx src/partners/reserve-worker.ts <dataDir> <count>
import { PartnerService } from './service.js';

const [dataDir, count] = process.argv.slice(2);
const service = new PartnerService({ dataDir: String(dataDir), partners: [{ partnerId: 'P1', ours: { id: 'US' }, theirs: { id: 'THEM' } }] });
const got: string[] = [];
for (let i = 0; i < Number(count); i++) got.push(service.nextOutbound('P1').isa13);
service.close();
process.stdout.write(JSON.stringify(got));
