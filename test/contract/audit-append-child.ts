/**
 * A second process appending to a SQLite audit log (the concurrency half of audit-contract):
 * `node --import tsx audit-append-child.ts <dataDir> <count> <actor>`.
 */
import { AuditLog, openSqliteAuditStore } from '../../src/governance/audit/index.js';

const [dataDir, count, actor] = process.argv.slice(2);
if (!dataDir || !count || !actor) throw new Error('usage: audit-append-child.ts <dataDir> <count> <actor>');
const log = new AuditLog(openSqliteAuditStore({ dataDir }));
for (let i = 0; i < Number(count); i += 1) await log.append({ actor, action: 'test.append', target: `t${i}` });
await log.close();
