import { describe, expect, it } from 'vitest';
import { dischargeChargeProcess } from '../processes/discharge-charge/process.js';
import { implantCaseProcess } from '../processes/implant-case/index.js';
import { MemoryProcessStore, ProcessManager } from '../processes/kernel/index.js';
import { catalog, consumed, discharged, HIP, implanted, PACER } from '../processes/test-support.js';
import { createMetrics } from './metrics.js';
import { sampleProcessMetrics } from './process-metrics.js';

/** The value of one series in the exposition, or undefined when absent. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('sampleProcessMetrics', () => {
  it('exposes instances by status and by wait cause, and drops a cause once nothing waits on it', async () => {
    const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: [implantCaseProcess({ catalog }), dischargeChargeProcess({ catalog })] });
    const metrics = createMetrics({ defaultMetrics: false });
    sampleProcessMetrics(metrics, pm);
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'));
    await pm.handle(implanted('V2', PACER.gtin, 'P1', 'X1'));
    await pm.handle(implanted('V3', HIP.gtin, 'L3', 'S3'));
    await pm.handle(discharged('V2'));
    await pm.handle(discharged('V3'));

    let text = await metrics.text();
    expect(series(text, 'loom_process_instances', { process: 'implant-case', status: 'waiting' })).toBe(3);
    expect(series(text, 'loom_process_instances', { process: 'discharge-charge', status: 'exception' })).toBe(2);
    expect(series(text, 'loom_process_waiting_instances', { process: 'implant-case', status: 'waiting', cause: 'waiting for consumption event' })).toBe(3);
    // Two encounters missing charges for different devices: one cause, without the device list.
    expect(series(text, 'loom_process_waiting_instances', { process: 'discharge-charge', status: 'exception', cause: 'charges missing at discharge' })).toBe(2);
    expect(text).not.toContain(PACER.gtin);

    await pm.handle(consumed('V2', PACER.gtin, 'P1', 'X1', 'c2'));
    await pm.handle(consumed('V3', HIP.gtin, 'L3', 'S3', 'c3'));
    text = await metrics.text();
    expect(series(text, 'loom_process_instances', { process: 'discharge-charge', status: 'completed' })).toBe(2);
    expect(series(text, 'loom_process_waiting_instances', { process: 'discharge-charge', status: 'exception', cause: 'charges missing at discharge' })).toBeUndefined();
    expect(series(text, 'loom_process_waiting_instances', { process: 'implant-case', cause: 'waiting for consumption event' })).toBe(1);
  });
});
