// Prefill a SQLite message store with N processed messages through the store's own journal and
// complete path (the same rows and indexes intake writes), in group-committed batches.
import cliProgress from 'cli-progress';
import { ContentTypes, newId } from '../../src/kernel/index.js';
import type { Store } from '../../src/kernel/index.js';

const BATCH = 2_000;

/** Journal + complete `count` ADT messages on `channel`, with a progress bar on stderr. */
export async function prefillStore(store: Store, count: number, channel: string): Promise<void> {
  const bar = new cliProgress.SingleBar({ format: `prefill ${channel} [{bar}] {percentage}% {value}/{total} msgs, eta {eta}s`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 }, cliProgress.Presets.shades_classic);
  bar.start(count, 0);
  const enc = new TextEncoder();
  for (let done = 0; done < count; done += BATCH) {
    const n = Math.min(BATCH, count - done);
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      const seq = done + i;
      const controlId = `PRE${seq}`;
      const id = newId();
      const payload = enc.encode(`MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${controlId}|P|2.5\rPID|1||MRN${seq % 50_000}^^^HOSP^MR||DOE^JANE\rPV1|1|I|4W^401^1\r`);
      await store.journal({
        envelope: { id, correlationId: id, sourceSystem: 'ehr', channel, contentType: ContentTypes.hl7v2, receivedAt: new Date().toISOString(), headers: {} },
        payload,
        status: 'received',
        controlId,
        messageType: 'ADT^A01',
        dedupKey: controlId,
        dedupWindowMs: 86_400_000,
      });
      await store.complete({ messageId: id, status: 'processed', steps: [], keys: [{ name: 'mrn', value: `MRN${seq % 50_000}` }], outbox: [], children: [] });
    }));
    bar.update(done + n);
  }
  bar.stop();
}
