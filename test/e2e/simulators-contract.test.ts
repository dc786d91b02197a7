import { describe, expect, it } from 'vitest';
import { parseHl7v2, validateHl7v2 } from '../../src/codecs/hl7v2/index.js';
import { parseUdi } from '../../src/codecs/udi/index.js';
import { costPostingFromCharge, costPostingToErpJournalEntry, loadCrosswalkCsv, mapAdtDischarge, mapDftCharges, mapHl7DeviceImplants, mapInventoryConsumption } from '../../src/mappings/index.js';
import { catalogCrosswalkCsv, findItem, generateDay, startErpSimulator } from '../../src/simulators/index.js';

// The simulators speak the same contracts Loom's codecs and mappings accept: a clean day must map
// without errors, and what the mappings read must add up to the day's expected totals.
describe('simulated data against Loom codecs and mappings', () => {
  for (const seed of [1, 2, 3, 7, 42]) {
    it(`seed ${seed}: every clean message validates and maps; totals agree`, () => {
      const day = generateDay({ seed, injectRate: 0 });
      const now = new Date(`${day.date}T12:00:00Z`);
      let devices = 0;
      let chargeLines = 0;
      let chargeCents = 0;
      let discharges = 0;
      let costCents = 0;
      const { crosswalk, errors } = loadCrosswalkCsv(catalogCrosswalkCsv());
      expect(errors).toEqual([]);
      for (const s of day.timeline) {
        if (s.kind === 'hl7') {
          const msg = parseHl7v2(s.message);
          expect(validateHl7v2(msg).errors, `${s.messageType} ${s.controlId}`).toEqual([]);
          if (s.stage === 'procedure') devices += mapHl7DeviceImplants(msg, { now }).length;
          if (s.messageType === 'DFT^P03') {
            for (const c of mapDftCharges(msg, { crosswalk }).charges) {
              chargeLines++;
              costCents += Math.round(Number(costPostingFromCharge(c.data, crosswalk).total?.amount) * 100);
              chargeCents += Math.round(Number(c.data.extendedAmount?.amount) * 100);
            }
          }
          if (s.messageType === 'ADT^A03') { mapAdtDischarge(msg); discharges++; }
        } else if (s.kind === 'consumption') {
          const ev = mapInventoryConsumption(s.event);
          expect(findItem(s.event.item), ev.id).toBeDefined();
        }
      }
      expect(devices).toBe(day.expected.implants.length);
      expect(chargeLines).toBe(day.expected.charges.count);
      expect(chargeCents).toBe(day.expected.charges.totalCents);
      expect(costCents).toBe(day.expected.costPostings.perChargeLine.totalCents);
      expect(day.expected.costPostings.perChargeLine.totalCents).toBe(day.expected.costPostings.totalCents);
      expect(discharges).toBe(day.expected.discharges + day.expected.dischargeCancellations);
      for (const imp of day.expected.implants) {
        const u = parseUdi(imp.udi, { now });
        expect(u.serial).toBe(imp.serial);
        expect(u.lot).toBe(imp.lot);
      }
    });
  }

  it('late events really arrive after events that happened later', () => {
    const day = generateDay({ seed: 9, injectRate: 0.3 });
    const lates = day.timeline.map((s, i) => ({ s, i })).filter(({ s }) => s.injected === 'late-event');
    expect(lates.length).toBeGreaterThan(0);
    for (const { s, i } of lates) {
      if (s.kind !== 'consumption') throw new Error('late event is not a consumption');
      const earlierPublishedButLater = day.timeline.slice(0, i).some((t) => t.kind === 'consumption' && t.event.occurredAt > s.event.occurredAt);
      expect(earlierPublishedButLater).toBe(true);
    }
  });

  it('the ERP simulator accepts the Journal Entries Loom builds from a day\'s charges', async () => {
    const day = generateDay({ seed: 12, injectRate: 0 });
    const { crosswalk } = loadCrosswalkCsv(catalogCrosswalkCsv());
    const erp = await startErpSimulator();
    try {
      let posted = 0;
      for (const s of day.timeline) {
        if (s.kind !== 'hl7' || s.messageType !== 'DFT^P03') continue;
        for (const c of mapDftCharges(parseHl7v2(s.message), { crosswalk }).charges) {
          const je = costPostingToErpJournalEntry(costPostingFromCharge(c.data, crosswalk));
          const r = await fetch(`${erp.url}/api/resource/Journal%20Entry`, { method: 'POST', headers: { authorization: erp.authorization, 'idempotency-key': je.cheque_no }, body: JSON.stringify(je) });
          expect(r.status, await r.clone().text()).toBe(200);
          posted++;
        }
      }
      expect(posted).toBe(day.expected.costPostings.perChargeLine.count);
      const total = erp.state()['Journal Entry'].reduce((sum, d) => sum + Math.round(Number(d.total_debit) * 100), 0);
      expect(total).toBe(day.expected.costPostings.perChargeLine.totalCents);
    } finally {
      await erp.stop();
    }
  });
});
