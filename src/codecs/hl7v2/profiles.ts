/**
 * Declarative message profiles: which segments and fields a message type must carry.
 * Kept deliberately to what the v2.5.1 abstract message syntax marks required (R), so real
 * feeds are not rejected for optional content; `recommended` fields only produce warnings.
 * Users extend the table with `registerProfile`.
 */
export interface Hl7SegmentRule {
  /** Segment name, e.g. `PV1`. */
  segment: string;
  /** The segment must occur at least once. */
  required: boolean;
  /** Field numbers that must be valued in every occurrence of the segment. */
  fields?: number[];
  /** Field numbers whose absence is a warning only. */
  recommended?: number[];
}

export interface Hl7Profile {
  /** `MSH-9.1^MSH-9.2`, e.g. `ADT^A01`, or just `ACK`. */
  type: string;
  description: string;
  segments: Hl7SegmentRule[];
}

// MSH-9 message type, MSH-10 control id and MSH-12 version are required for every message.
export const MSH_RULE: Hl7SegmentRule = { segment: 'MSH', required: true, fields: [9, 10, 12], recommended: [7, 11] };

// EVN-2 recorded date/time; PID-3 identifier list and PID-5 name; PV1-2 patient class, PV1-19 visit number.
const adt = (trigger: string, description: string, pv1Recommended: number[] = [19]): Hl7Profile => ({
  type: `ADT^${trigger}`,
  description,
  segments: [
    { segment: 'EVN', required: true, recommended: [2] },
    { segment: 'PID', required: true, fields: [3, 5] },
    { segment: 'PV1', required: true, fields: [2], recommended: pv1Recommended },
  ],
});

// MFI-1 master file id, MFI-3 file-level event code, MFI-6 response level; MFE-1 record event, MFE-4 primary key.
const MFN_CORE: Hl7SegmentRule[] = [
  { segment: 'MFI', required: true, fields: [1, 3, 6] },
  { segment: 'MFE', required: true, fields: [1, 4] },
];

// FT1-4 transaction date, FT1-6 transaction type, FT1-7 transaction code.
const FT1: Hl7SegmentRule = { segment: 'FT1', required: true, fields: [4, 6, 7] };
// ORC-1 order control.
const ORC: Hl7SegmentRule = { segment: 'ORC', required: true, fields: [1] };

export const BUILT_IN_PROFILES: Hl7Profile[] = [
  adt('A01', 'admit/visit notification'),
  adt('A03', 'discharge/end visit', [19, 45]), // PV1-45 discharge date/time
  adt('A04', 'register a patient'),
  adt('A08', 'update patient information'),
  adt('A11', 'cancel admit/visit notification'),
  adt('A13', 'cancel discharge/end visit'),
  { type: 'DFT^P03', description: 'post detail financial transaction', segments: [{ segment: 'EVN', required: true }, { segment: 'PID', required: true, fields: [3] }, FT1] },
  { type: 'DFT^P11', description: 'post detail financial transactions (expanded)', segments: [{ segment: 'EVN', required: true }, { segment: 'PID', required: true, fields: [3] }, FT1] },
  // SCH-1/SCH-2 appointment ids are conditional in the standard: warn only. RGS-1 set id.
  { type: 'SIU^S12', description: 'notification of new appointment booking', segments: [{ segment: 'SCH', required: true, recommended: [1, 2] }, { segment: 'RGS', required: true, fields: [1] }] },
  { type: 'ORM^O01', description: 'general order', segments: [ORC] },
  // RQD-1 requisition line number is the usual key for supply requisitions.
  { type: 'OMS^O05', description: 'stock requisition order', segments: [ORC, { segment: 'RQD', required: true, recommended: [1, 2] }] },
  // RXE-2 give code, RXE-3 give amount minimum, RXE-5 give units; RXR-1 route.
  { type: 'RDE^O11', description: 'pharmacy/treatment encoded order', segments: [ORC, { segment: 'RXE', required: true, fields: [2, 3, 5] }, { segment: 'RXR', required: true, fields: [1] }] },
  { type: 'MFN^M01', description: 'master file not otherwise specified', segments: MFN_CORE },
  // STF-2 staff identifier list.
  { type: 'MFN^M02', description: 'master file - staff practitioner', segments: [...MFN_CORE, { segment: 'STF', required: true, recommended: [2] }] },
  // IIM-1 primary key value, IIM-2 service item code.
  { type: 'MFN^M15', description: 'inventory item master file', segments: [...MFN_CORE, { segment: 'IIM', required: true, fields: [1, 2] }] },
  // ITM-1 item identifier (v2.6+).
  { type: 'MFN^M16', description: 'material item master file', segments: [...MFN_CORE, { segment: 'ITM', required: true, fields: [1] }] },
  // MSA-1 acknowledgment code, MSA-2 message control id being acknowledged.
  { type: 'ACK', description: 'general acknowledgment', segments: [{ segment: 'MSA', required: true, fields: [1, 2] }] },
];

const registry = new Map<string, Hl7Profile>(BUILT_IN_PROFILES.map((p) => [p.type, p]));

/**
 * Add or replace the profile for a message type.
 *
 * @example
 * registerProfile({ type: 'ZIN^Z01', description: 'site inventory', segments: [{ segment: 'ZIN', required: true, fields: [1] }] });
 */
export function registerProfile(profile: Hl7Profile): void {
  registry.set(profile.type, profile);
}

/** The profile for `ADT^A01`; ACK messages match `ACK` whatever their trigger. */
export function profileFor(type: string): Hl7Profile | undefined {
  return registry.get(type) ?? registry.get(type.split('^')[0]);
}

/** All registered profiles, built-in and user-added. */
export function listProfiles(): Hl7Profile[] {
  return [...registry.values()];
}
