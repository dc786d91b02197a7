import type { Hl7Message } from '../codecs/hl7v2/index.js';
import { parseUdi, type Udi } from '../codecs/udi/index.js';
import type { Code, DeviceUse, EventOf } from '../canonical/index.js';
import { DeviceUse as DeviceUseSchema } from '../canonical/index.js';
import { fieldInvalid } from './errors.js';
import { isoAt, opt, readMrn, segmentsInOrder } from './hl7-read.js';
import { codeSystemOf } from './code-systems.js';

// Issuing-agency OIDs as sent in EI-3 (universal id) of PRT-16: FDA GUDID accredited issuers.
const ISSUER_BY_OID: Record<string, DeviceUse['issuer']> = {
  '2.51.1.1': 'GS1',
  '1.0.15961.10.816': 'HIBCC',
  '2.16.840.1.113883.6.18.1.34': 'ICCBBA',
};

/** A string that looks like a UDI carrier (GS1 HRI/element string, HIBCC, ISBT 128), not a plain id. */
function looksLikeUdi(s: string): boolean {
  return /^\(\d{2,4}\)/.test(s) || /^\+[A-Z][A-Z0-9]{3}/.test(s) || /^\]/.test(s) || /^=/.test(s) || /^01\d{14}/.test(s);
}

function parseAt(value: string, location: string, now?: Date): Udi {
  try {
    return parseUdi(value, now ? { now } : {});
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw fieldInvalid(location, 'device UDI', value, `send the UDI as scanned (GS1 "(01)..." or HIBCC "+..."): ${why}`, err);
  }
}

const PR1_GROUP = new Set(['PRT', 'ROL', 'NTE', 'OBX']);

interface ProcedureContext { code?: Code; performedAt?: string; path: string }

export interface DeviceUseOptions {
  /** Reference date for two-digit UDI years (reproducible tests). */
  now?: Date;
}

/**
 * Device uses documented in an HL7 v2 message: PRT segments of a PR1 group with device data (v2.7+: PRT-10
 * participation device carrying the UDI, PRT-16 UDI DI, PRT-18 expiry, PRT-19 lot, PRT-20 serial)
 * and OBX segments whose OBX-3 names a UDI (OBX-5 the carrier string). Each is tied to the PR1
 * procedure before it, when there is one. PRT segments without device fields (people) are skipped.
 *
 * @example
 * const uses = readHl7DeviceUses(parseHl7v2(text)); // [{ issuer: 'GS1', di: '0088...', lot, serial, ... }]
 */
export function readHl7DeviceUses(msg: Hl7Message, options: DeviceUseOptions = {}): DeviceUse[] {
  const visit = opt(msg, 'PV1-19.1');
  let mrn: string | undefined;
  try { mrn = readMrn(msg).mrn.value; } catch { mrn = undefined; } // device use without PID stays unattached
  let proc: ProcedureContext | undefined;
  const out: DeviceUse[] = [];
  for (const seg of segmentsInOrder(msg)) {
    if (seg.name === 'PR1') {
      // PR1-3 procedure code (CWE), PR1-5 procedure date/time
      const code = opt(msg, `${seg.path}-3.1`);
      const system = opt(msg, `${seg.path}-3.3`);
      const display = opt(msg, `${seg.path}-3.2`);
      const performedAt = isoAt(msg, `${seg.path}-5`, 'procedure date/time');
      proc = { path: seg.path, ...(code ? { code: { code, ...(system ? { system: codeSystemOf(system) } : {}), ...(display ? { display } : {}) } } : {}), ...(performedAt ? { performedAt } : {}) };
      continue;
    }
    // PR1 group (v2.7+): PR1 then ROL/PRT/NTE; any other segment ends the group.
    if (!PR1_GROUP.has(seg.name)) proc = undefined;
    let found: { udi?: string; parsed?: Udi; di?: string; issuer?: DeviceUse['issuer']; lot?: string; serial?: string; expiry?: string; at?: string } | undefined;
    if (seg.name === 'PRT' && proc !== undefined) found = readPrt(msg, seg.path, options.now);
    else if (seg.name === 'OBX') found = readObx(msg, seg.path, options.now);
    if (found === undefined || found.di === undefined) continue;
    const p = found.parsed;
    const di = found.di;
    const serial = p?.serial ?? found.serial;
    const lot = p?.lot ?? found.lot;
    const n = out.length + 1;
    out.push(DeviceUseSchema.parse({
      id: `${visit ?? mrn ?? msg.controlId}/${di}/${serial ?? lot ?? `#${n}`}`,
      ...(found.udi ? { udi: found.udi } : {}),
      issuer: p?.issuer ?? found.issuer ?? 'unknown',
      di,
      ...(p?.gtin ? { gtin: p.gtin } : found.issuer === 'GS1' && /^\d{14}$/.test(di) ? { gtin: di } : {}),
      ...(lot ? { lot } : {}),
      ...(serial ? { serial } : {}),
      ...((p?.expiry ?? found.expiry) ? { expiry: p?.expiry ?? found.expiry } : {}),
      ...((found.at ?? proc?.performedAt) ? { usedAt: found.at ?? proc?.performedAt } : {}),
      action: 'implanted',
      ...(proc ? { procedure: `${visit ?? msg.controlId}/${proc.path}` } : {}),
      ...(proc?.code ? { procedureCode: proc.code } : {}),
      ...(visit ? { encounter: visit } : {}),
      ...(mrn ? { patientMrn: mrn } : {}),
    }));
  }
  return out;
}

function readPrt(msg: Hl7Message, path: string, now?: Date) {
  const device = opt(msg, `${path}-10.1`); // PRT-10 participation device (EI)
  const udiDi = opt(msg, `${path}-16.1`); // PRT-16 UDI device identifier (EI)
  if (device === undefined && udiDi === undefined) return undefined;
  const lot = opt(msg, `${path}-19`);
  const serial = opt(msg, `${path}-20`);
  const expiryIso = isoAt(msg, `${path}-18`, 'device expiry date');
  const expiry = expiryIso?.slice(0, 10);
  const at = isoAt(msg, `${path}-11`, 'participation start');
  if (device !== undefined && looksLikeUdi(device)) {
    const parsed = parseAt(device, `${path}-10.1`, now);
    return { udi: device, parsed, di: parsed.di, issuer: parsed.issuer, lot, serial, expiry, at };
  }
  if (udiDi === undefined) return undefined; // a device named only by a local id is not a UDI use
  if (looksLikeUdi(udiDi)) {
    const parsed = parseAt(udiDi, `${path}-16.1`, now);
    return { udi: udiDi, parsed, di: parsed.di, issuer: parsed.issuer, lot, serial, expiry, at };
  }
  const oid = opt(msg, `${path}-16.3`);
  const issuer = (oid ? ISSUER_BY_OID[oid] : undefined) ?? (/^\d{14}$/.test(udiDi) ? 'GS1' : 'unknown');
  return { di: udiDi, issuer, lot, serial, expiry, at };
}

function readObx(msg: Hl7Message, path: string, now?: Date) {
  const code = opt(msg, `${path}-3.1`) ?? '';
  const text = opt(msg, `${path}-3.2`) ?? '';
  if (code.toUpperCase() !== 'UDI' && !/\budi\b|unique device identifier/i.test(text)) return undefined;
  const value = opt(msg, `${path}-5.1`) ?? opt(msg, `${path}-5`);
  if (value === undefined) return undefined;
  const parsed = parseAt(value, `${path}-5`, now);
  const at = isoAt(msg, `${path}-14`, 'observation date/time');
  return { udi: value, parsed, di: parsed.di, issuer: parsed.issuer, at };
}

/**
 * `device.implanted` events for every device use in the message.
 *
 * @example
 * mapHl7DeviceImplants(parseHl7v2(text)).map((e) => e.data.udi)
 */
export function mapHl7DeviceImplants(msg: Hl7Message, options: DeviceUseOptions = {}): EventOf<'device.implanted'>[] {
  return readHl7DeviceUses(msg, options).map((use) => deviceImplantedEvent(use, msg.controlId));
}

/** Wrap a DeviceUse as a `device.implanted` event; occurredAt falls back to the procedure or message time. */
export function deviceImplantedEvent(use: DeviceUse, fallbackTime: string): EventOf<'device.implanted'> {
  return {
    id: `device.implanted/${use.id}`,
    type: 'device.implanted',
    occurredAt: use.usedAt ?? fallbackTime,
    correlation: {
      ...(use.encounter ? { encounter: use.encounter } : {}),
      ...(use.patientMrn ? { patient: use.patientMrn } : {}),
      item: use.gtin ?? use.di,
      ...(use.lot ? { lot: use.lot } : {}),
      ...(use.serial ? { serial: use.serial } : {}),
    },
    version: 'v1',
    data: use,
  };
}
