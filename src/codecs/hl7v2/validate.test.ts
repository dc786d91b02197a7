import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES, parseHl7v2, profileFor, registerProfile, validateHl7v2 } from './index.js';

const MSH = (type: string, extra = ''): string => `MSH|^~\\&|A|B|C|D|20240101||${type}|C1|P|2.5.1${extra}`;

/** A message that satisfies a profile: every required segment with every listed field valued. */
function complete(type: string): string {
  const profile = profileFor(type);
  if (profile === undefined) throw new Error(`no profile ${type}`);
  const segs = [MSH(type)];
  for (const rule of profile.segments) {
    const max = Math.max(1, ...(rule.fields ?? []), ...(rule.recommended ?? []));
    segs.push([rule.segment, ...Array.from({ length: max }, (_, i) => `V${i + 1}`)].join('|'));
  }
  return segs.join('\r');
}

const TYPES = ['ADT^A01', 'ADT^A03', 'ADT^A04', 'ADT^A08', 'ADT^A11', 'ADT^A13', 'DFT^P03', 'DFT^P11', 'SIU^S12',
  'ORM^O01', 'OMS^O05', 'RDE^O11', 'MFN^M01', 'MFN^M02', 'MFN^M15', 'MFN^M16', 'ACK'];

describe('validateHl7v2 profiles', () => {
  it('has a built-in profile for each required type', () => {
    expect(TYPES.filter((t) => profileFor(t) === undefined)).toEqual([]);
    expect(BUILT_IN_PROFILES.length).toBeGreaterThanOrEqual(TYPES.length);
  });

  describe.each(TYPES)('%s', (type) => {
    const profile = profileFor(type);
    it('accepts a complete message', () => {
      expect(validateHl7v2(parseHl7v2(complete(type)))).toEqual({ errors: [], warnings: [] });
    });
    it.each(profile?.segments.filter((r) => r.required).map((r) => r.segment) ?? [])('reports missing %s', (seg) => {
      const text = complete(type).split('\r').filter((s) => !s.startsWith(seg + '|')).join('\r');
      const { errors } = validateHl7v2(parseHl7v2(text));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'hl7.segment.missing', location: seg });
      expect(errors[0].hint).toBeTruthy();
    });
    const fields = profile?.segments.flatMap((r) => (r.fields ?? []).map((f) => `${r.segment}-${f}`)) ?? [];
    it.each(fields.length ? fields : ['(none)'])('reports empty required field %s', (loc) => {
      if (loc === '(none)') return;
      const msg = parseHl7v2(complete(type));
      msg.setRaw(loc, '');
      const { errors } = validateHl7v2(msg);
      expect(errors.map((e) => [e.code, e.location])).toEqual([['hl7.field.required', loc]]);
    });
  });

  it('requires MSH-9, MSH-10 and MSH-12 on every message', () => {
    const { errors } = validateHl7v2(parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||||P|'));
    expect(errors.map((e) => e.location)).toEqual(['MSH-9', 'MSH-10', 'MSH-12']);
  });

  it('names the occurrence of a repeated segment', () => {
    const msg = parseHl7v2(`${MSH('DFT^P03')}\rEVN|P03\rPID|||1\rFT1|1|||20240101||CG|X\rFT1|2|||20240101||CG|`);
    expect(validateHl7v2(msg).errors.map((e) => e.location)).toEqual(['FT1[2]-7']);
  });

  it('warns on recommended fields and unknown types', () => {
    const msg = parseHl7v2(`${MSH('ADT^A03')}\rEVN|A03|20240101\rPID|||1||DOE\rPV1||I`);
    expect(validateHl7v2(msg).warnings.map((w) => w.location)).toEqual(['PV1-19', 'PV1-45']);
    expect(validateHl7v2(parseHl7v2(MSH('ZZZ^Z99'))).warnings[0].code).toBe('hl7.profile.unknown');
  });

  it('lets users register their own profile', () => {
    registerProfile({ type: 'ZIN^Z01', description: 'site inventory', segments: [{ segment: 'ZIN', required: true, fields: [2] }] });
    expect(validateHl7v2(parseHl7v2(`${MSH('ZIN^Z01')}\rZIN|1`)).errors[0]).toMatchObject({ code: 'hl7.field.required', location: 'ZIN-2' });
  });
});

describe('validateHl7v2 findings', () => {
  it('are LoomErrors with code, location and hint, and leave Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const report = validateHl7v2(parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A03|C1|P|2.5.1\rEVN|A03\rPID|||1||DOE\rPV1|1|'));
    expect(Error.stackTraceLimit).toBe(before);
    expect(report.errors.map((e) => [e.code, e.location])).toContainEqual(['hl7.field.required', 'PV1-2']);
    expect(report.errors[0]?.hint).toMatch(/sending system/);
    expect(new Error('after').stack).toMatch(/validate\.test\.ts/); // stacks still work for real errors
  });
});
