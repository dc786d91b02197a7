import { describe, expect, it } from 'vitest';
import { implantCaseProcess } from '../implant-case/index.js';
import { MemoryProcessStore, ProcessManager } from '../kernel/index.js';
import { catalog, consumed, discharged, dischargeCancelled, HIP, implanted, PACER } from '../test-support.js';
import { dischargeChargeProcess } from './process.js';

const manager = () => new ProcessManager({ store: new MemoryProcessStore(), processes: [implantCaseProcess({ catalog }), dischargeChargeProcess({ catalog })] });

describe('discharge-charge', () => {
  it('discharge with an uncharged implant is an exception listing it; the late charge completes it and records the SLA', async () => {
    const pm = manager();
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1', '2025-03-01T10:00:00Z'));
    await pm.handle(implanted('V1', PACER.gtin, 'P1', 'X1', '2025-03-01T10:10:00Z'));
    await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T10:05:00Z'));
    await pm.handle(discharged('V1', '2025-03-01T18:00:00Z'));
    const a = await pm.getInstance('discharge-charge/V1');
    expect(a?.status).toBe('exception');
    expect(a?.waitingFor).toBe(`charges missing at discharge for 1 device(s): ${PACER.gtin} lot P1 serial X1`);
    await pm.handle(consumed('V1', PACER.gtin, 'P1', 'X1', 'c2', '2025-03-01T19:30:00Z'));
    expect((await pm.getInstance('discharge-charge/V1'))?.status).toBe('completed');
    expect(await pm.slaSamples({ measure: 'discharge-to-charge' })).toEqual([
      { process: 'discharge-charge', key: 'V1', measure: 'discharge-to-charge', startedAt: '2025-03-01T18:00:00Z', endedAt: '2025-03-01T19:30:00.000Z', durationMs: 90 * 60_000 },
    ]);
  });

  it('A13 withdraws the check (open, waiting for discharge) and emits nothing; a new discharge checks again', async () => {
    const pm = manager();
    await pm.handle(implanted('V2', HIP.gtin, 'L1', 'S1'));
    await pm.handle(discharged('V2'));
    expect((await pm.getInstance('discharge-charge/V2'))?.status).toBe('exception');
    const r = await pm.handle(dischargeCancelled('V2'));
    expect(r.effects).toEqual([]);
    expect(await pm.getInstance('discharge-charge/V2')).toMatchObject({ status: 'open', waitingFor: 'waiting for discharge' });
    await pm.handle(consumed('V2', HIP.gtin, 'L1', 'S1', 'c1'));
    await pm.handle(discharged('V2', '2025-03-02T09:00:00Z', 'encounter.discharged/V2/2'));
    expect((await pm.getInstance('discharge-charge/V2'))?.status).toBe('completed');
  });

  it('an encounter without implants completes at discharge with a zero SLA sample', async () => {
    const pm = manager();
    await pm.handle(discharged('V3'));
    expect((await pm.getInstance('discharge-charge/V3'))?.status).toBe('completed');
    expect((await pm.slaSamples())[0]).toMatchObject({ key: 'V3', durationMs: 0 });
  });
});
