import { formatGs1Hri, formatHibcc } from '../../codecs/udi/index.js';
import { CATALOG, findItem, hibccDi, LOCATIONS, unknownGtin, type CatalogItem } from '../catalog.js';
import { buildAdt, buildDft, buildMalformed, buildProcedure, buildSiu, chargeLines } from '../ehr/messages.js';
import { createRng, type Rng } from '../prng.js';
import type { InjectedKind } from '../sim-log.js';
import { computeExpected, type ExpectedTotals } from './expected.js';
import type { ConsumptionEvent, SimCase, SimImplant, TimelineStep } from './types.js';

export interface GenerateDayOptions {
  seed: number;
  /** ISO date of the day (default 2026-03-02). */
  date?: string;
  /** Share of steps that get bad data beside them (default 0.03). */
  injectRate?: number;
  /** Number of cases; default 8-12 drawn from the seed. */
  cases?: number;
}

export interface ScenarioDay {
  seed: number;
  date: string;
  cases: SimCase[];
  /** Everything that happens, in simulated time order. */
  timeline: TimelineStep[];
  /** Steps before injection (the base the injection rate applies to). */
  baseSteps: number;
  injected: { kind: InjectedKind; at: string; ref: string }[];
  expected: ExpectedTotals;
}

const FAMILY = ['Garcia', 'Nguyen', 'Smith', 'Okafor', 'Kowalski', 'Haddad', 'Rossi', 'Tanaka', 'Dubois', 'Silva', 'Murphy', 'Andersen'];
const GIVEN = ['Ana', 'Minh', 'John', 'Chidi', 'Ewa', 'Omar', 'Giulia', 'Yuki', 'Claire', 'Rafael', 'Aoife', 'Lars'];

const PROCS = [
  { code: '27130', display: 'Total hip arthroplasty', loc: ['OR-1', 'OR-2'], main: 'IMP-HIP-STEM', extra: 'IMP-BONE-SCR', supplies: ['SUP-GAUZE', 'SUP-GLOVE-7', 'SUP-SUTURE-2', 'SUP-DRAPE'] },
  { code: '27447', display: 'Total knee arthroplasty', loc: ['OR-1', 'OR-2'], main: 'IMP-KNEE-FEM', extra: 'IMP-BONE-SCR', supplies: ['SUP-GAUZE', 'SUP-GLOVE-7', 'SUP-SUTURE-2', 'SUP-DRAPE'] },
  { code: '33208', display: 'Insertion of dual-chamber pacemaker', loc: ['CATH-1'], main: 'IMP-PACER', extra: undefined, supplies: ['SUP-GLOVE-7', 'SUP-SUTURE-2', 'SUP-CATH-6F'] },
  { code: '92928', display: 'Percutaneous coronary stent placement', loc: ['CATH-1'], main: 'IMP-STENT-DES', extra: 'IMP-STENT-DES', supplies: ['SUP-GLOVE-7', 'SUP-CATH-6F', 'SUP-GAUZE'] },
] as const;

function plus(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

function cap(iso: string, limit: string): string {
  return iso < limit ? iso : limit;
}

function implant(rng: Rng, item: CatalogItem, date: string, carrier: SimImplant['carrier']): SimImplant {
  const lot = `L${rng.code(6)}`;
  const expiry = `${Number(date.slice(0, 4)) + rng.int(1, 3)}-${String(rng.int(1, 12)).padStart(2, '0')}-28`;
  const form: SimImplant['form'] = item.hibcc && rng.chance(0.5) ? 'HIBCC' : 'GS1';
  let serial: string;
  let udi: string;
  do {
    serial = `S${rng.code(8)}`;
    udi = form === 'HIBCC' && item.hibcc
      ? formatHibcc({ ...item.hibcc, lot, serial, expiry })
      : formatGs1Hri({ gtin: item.gtin, lot, serial, expiry });
    // HIBC's modulo-43 check character may be a space; HL7 receivers trim trailing spaces from
    // fields, so such a label cannot survive PRT-10/OBX-5 intact: draw another serial for clean data
  } while (udi.endsWith(' '));
  const di = hibccDi(item);
  return { sku: item.sku, gtin: item.gtin, ...(di ? { hibccDi: di } : {}), lot, serial, expiry, form, carrier, udi };
}

/**
 * Generate a reproducible hospital day from a seed: cases, their HL7 messages, consumption events,
 * replenishment, injected bad data, and the totals a correct integration must reach.
 *
 * @example
 * const day = generateDay({ seed: 7 }); day.timeline.length; day.expected.implants.length;
 */
export function generateDay(options: GenerateDayOptions): ScenarioDay {
  const rng = createRng(options.seed);
  const date = options.date ?? '2026-03-02';
  const dayStart = `${date}T06:00:00.000Z`;
  const dayEnd = `${date}T23:50:00.000Z`;
  const nCases = options.cases ?? rng.int(8, 12);
  const cases: SimCase[] = [];
  for (let i = 0; i < nCases; i++) {
    const p = rng.pick(PROCS);
    const location = rng.pick(p.loc);
    const admitAt = plus(dayStart, 30 + i * 50 + rng.int(0, 20));
    const procedureAt = plus(admitAt, rng.int(45, 90));
    const dischargeAt = cap(plus(procedureAt, rng.int(240, 480)), plus(dayEnd, -60));
    const carrier: SimImplant['carrier'] = rng.chance(0.7) ? 'PRT' : 'OBX';
    const mainItem = findItem({ sku: p.main }) as CatalogItem;
    const implants = [implant(rng, mainItem, date, carrier)];
    if (p.extra) {
      const extra = findItem({ sku: p.extra }) as CatalogItem;
      for (let k = rng.int(0, p.extra === 'IMP-BONE-SCR' ? 3 : 1); k > 0; k--) implants.push(implant(rng, extra, date, carrier));
    }
    const supplies = p.supplies.map((sku) => ({ sku, quantity: sku === 'SUP-CATH-6F' || sku === 'SUP-DRAPE' ? rng.int(1, 2) : rng.int(2, 6) }));
    const cancelled = rng.chance(0.1);
    cases.push({
      caseId: `CASE-${date.replace(/-/g, '')}-${String(i + 1).padStart(2, '0')}`,
      patient: { mrn: `MRN${rng.int(100000, 999999)}${i}`, family: rng.pick(FAMILY), given: rng.pick(GIVEN),
        birthDate: `${rng.int(1940, 1990)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`, sex: rng.chance(0.5) ? 'F' : 'M' },
      visitNumber: `V${date.replace(/-/g, '')}${String(i + 1).padStart(3, '0')}`,
      location, procedure: { code: p.code, display: p.display, system: 'CPT' },
      scheduledAt: plus(dayStart, i * 5), admitAt, procedureAt, dischargeAt,
      ...(cancelled ? { dischargeCancelled: { cancelAt: plus(dischargeAt, 20), redischargeAt: cap(plus(dischargeAt, 120), dayEnd) } } : {}),
      implants, supplies,
    });
  }

  const steps: TimelineStep[] = [];
  let ctl = 0;
  const controlId = () => `SIM${options.seed}-${String(++ctl).padStart(5, '0')}`;
  let ev = 0;
  const eventId = () => `INV-${options.seed}-${String(++ev).padStart(5, '0')}`;
  for (const c of cases) {
    const hl7 = (at: string, stage: Extract<TimelineStep, { kind: 'hl7' }>['stage'], messageType: string, build: (id: string) => string) => {
      const id = controlId();
      steps.push({ kind: 'hl7', at, caseId: c.caseId, stage, messageType, controlId: id, message: build(id) });
    };
    hl7(c.scheduledAt, 'scheduled', 'SIU^S12', (id) => buildSiu(c, c.scheduledAt, id));
    hl7(c.admitAt, 'admitted', 'ADT^A01', (id) => buildAdt(c, 'A01', c.admitAt, id));
    const procMsgAt = plus(c.procedureAt, 60);
    hl7(procMsgAt, 'procedure', c.implants[0]?.carrier === 'OBX' ? 'ORU^R01' : 'BAR^P12', (id) => buildProcedure(c, procMsgAt, id));
    const dftAt = plus(c.procedureAt, 120);
    hl7(dftAt, 'charged', 'DFT^P03', (id) => buildDft(c, chargeLines(c), dftAt, id));
    hl7(c.dischargeAt, 'discharged', 'ADT^A03', (id) => buildAdt(c, 'A03', c.dischargeAt, id));
    if (c.dischargeCancelled) {
      const { cancelAt, redischargeAt } = c.dischargeCancelled;
      hl7(cancelAt, 'discharge-cancelled', 'ADT^A13', (id) => buildAdt(c, 'A13', cancelAt, id));
      hl7(redischargeAt, 'discharged', 'ADT^A03', (id) => buildAdt(c, 'A03', redischargeAt, id));
    }
    c.implants.forEach((imp, k) => {
      const at = plus(c.procedureAt, 5 + k);
      const item = imp.form === 'HIBCC' && imp.hibccDi ? { hibccDi: imp.hibccDi } : { gtin: imp.gtin };
      const event: ConsumptionEvent = { eventId: eventId(), occurredAt: at, location: c.location, item, lot: imp.lot, serial: imp.serial,
        quantity: 1, uom: 'EA', encounter: c.visitNumber, patientMrn: c.patient.mrn };
      steps.push({ kind: 'consumption', at, event });
    });
    c.supplies.forEach((s, k) => {
      const at = plus(c.procedureAt, 30 + k);
      const it = findItem({ sku: s.sku }) as CatalogItem;
      const event: ConsumptionEvent = { eventId: eventId(), occurredAt: at, location: c.location, item: rng.chance(0.5) ? { gtin: it.gtin } : { sku: it.sku },
        quantity: s.quantity, uom: it.uom, encounter: c.visitNumber, patientMrn: c.patient.mrn };
      steps.push({ kind: 'consumption', at, event });
    });
  }
  // Replenishment at 22:00: refill every location/item below par back to par (one PO per vendor and location).
  const replenishAt = `${date}T22:00:00.000Z`;
  const onHand = new Map<string, number>();
  for (const loc of LOCATIONS) for (const it of CATALOG) onHand.set(`${loc}|${it.sku}`, it.initialStock);
  for (const s of steps) {
    if (s.kind !== 'consumption') continue;
    const it = findItem(s.event.item) as CatalogItem;
    onHand.set(`${s.event.location}|${it.sku}`, (onHand.get(`${s.event.location}|${it.sku}`) ?? 0) - s.event.quantity);
  }
  let po = 0;
  for (const loc of LOCATIONS) {
    for (const vendor of ['VENDOR-A', 'VENDOR-B'] as const) {
      const lines = CATALOG.filter((it) => it.vendor === vendor && (onHand.get(`${loc}|${it.sku}`) ?? 0) < it.par);
      if (lines.length === 0) continue;
      const poNumber = `PO-${date.replace(/-/g, '')}-${String(++po).padStart(3, '0')}`;
      for (const it of lines) steps.push({ kind: 'replenish', at: replenishAt, location: loc, sku: it.sku, quantity: it.par - (onHand.get(`${loc}|${it.sku}`) ?? 0), poNumber });
    }
  }
  const baseSteps = steps.length;
  const injected = inject(steps, rng, options.injectRate ?? 0.03, eventId, controlId);
  const timeline = steps.map((s, i) => ({ s, i })).sort((a, b) => (a.s.at < b.s.at ? -1 : a.s.at > b.s.at ? 1 : a.i - b.i)).map((x) => x.s);
  return { seed: options.seed, date, cases, timeline, baseSteps, injected, expected: computeExpected(cases, timeline) };
}

/** Add bad data beside a share of the steps; each injected step carries its kind. */
function inject(steps: TimelineStep[], rng: Rng, rate: number, eventId: () => string, controlId: () => string): ScenarioDay['injected'] {
  const out: ScenarioDay['injected'] = [];
  const base = steps.length;
  for (let i = 0; i < base; i++) {
    const s = steps[i];
    if (!rng.chance(rate)) continue;
    if (s.kind === 'hl7') {
      const id = controlId();
      steps.push({ kind: 'hl7', at: plus(s.at, 1), caseId: s.caseId, stage: s.stage, messageType: 'ADT^A01', controlId: id, message: buildMalformed(plus(s.at, 1), id), injected: 'malformed-hl7' });
      out.push({ kind: 'malformed-hl7', at: plus(s.at, 1), ref: id });
    } else if (s.kind === 'consumption') {
      const kind = rng.pick(['unknown-gtin', 'duplicate-event', 'late-event'] as const);
      if (kind === 'unknown-gtin') {
        const event: ConsumptionEvent = { ...s.event, eventId: eventId(), item: { gtin: unknownGtin(rng.int(0, 9998)) }, lot: undefined, serial: undefined, quantity: 1 };
        steps.push({ kind: 'consumption', at: plus(s.at, 2), event, injected: kind });
        out.push({ kind, at: plus(s.at, 2), ref: event.eventId });
      } else if (kind === 'duplicate-event') {
        const at = plus(s.at, rng.int(5, 30));
        steps.push({ kind: 'consumption', at, event: { ...s.event }, injected: kind });
        out.push({ kind, at, ref: s.event.eventId });
      } else {
        // published hours after it happened, after later events of the same location
        const at = plus(s.at, rng.int(60, 180));
        steps[i] = { ...s, at, injected: kind };
        out.push({ kind, at, ref: s.event.eventId });
      }
    } else {
      steps[i] = { ...s, injected: 'price-off-contract' };
      out.push({ kind: 'price-off-contract', at: s.at, ref: `${s.poNumber}/${s.sku}` });
    }
  }
  return out;
}
