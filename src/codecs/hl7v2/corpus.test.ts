// Every HL7 v2 file of the shared corpus parses, and agrees with the MANIFEST and with @medplum/core.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hl7Message as MedplumHl7 } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { hl7v2Codec, parseHl7v2, parseHl7v2Batch, readHl7Header, type Hl7Message } from './index.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const dir = path.join(corpus, 'hl7v2');
const present = existsSync(dir);
if (!present) console.log(`[hl7v2 corpus] ${dir} is absent: corpus tests skipped`);

const files = present ? readdirSync(dir).filter((f) => f.endsWith('.hl7')).sort() : [];

/** MANIFEST expectations: `valid message: ADT^A01^ADT_A01 v2.8; ...; FHS/BHS batch, 2 MSH`. */
function manifest(): Map<string, { type: string; version: string; msh: number }> {
  const out = new Map<string, { type: string; version: string; msh: number }>();
  for (const line of readFileSync(path.join(corpus, 'MANIFEST.md'), 'utf8').split('\n')) {
    const m = /^\| hl7v2\/(\S+\.hl7) \|.*\| valid message: (\S+) v([\d.]+);(.*)\|\s*$/.exec(line);
    if (m === null) continue;
    const [code, trigger] = m[2].split('^');
    const msh = /(\d+) MSH/.exec(m[4]);
    out.set(m[1], { type: trigger ? `${code}^${trigger}` : code, version: m[3], msh: msh ? Number(msh[1]) : 1 });
  }
  return out;
}

const messagesOf = (file: string): Hl7Message[] => {
  const parsed = hl7v2Codec.parse(readFileSync(path.join(dir, file)));
  return 'messages' in parsed ? parsed.messages : [parsed];
};

describe.skipIf(!present)('shared corpus', () => {
  const expected = present ? manifest() : new Map();

  it('lists an expectation for every file', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(files.filter((f) => !expected.has(f))).toEqual([]);
  });

  it.each(files)('%s parses as the MANIFEST says', (file) => {
    const want = expected.get(file);
    const msgs = messagesOf(file);
    expect(msgs.length).toBe(want?.msh);
    for (const m of msgs) {
      expect(m.type).toBe(want?.type);
      expect(m.version).toBe(want?.version);
      expect(m.controlId).not.toBe('');
      // the cheap header read agrees with the full parse
      const h = readHl7Header(m.toString());
      expect([h.type, h.controlId, h.version]).toEqual([m.type, m.controlId, m.version]);
      // serialize/parse round trip
      expect(parseHl7v2(m.toString()).toString()).toBe(m.toString());
    }
  });

  it('reads known control ids', () => {
    expect(messagesOf('ADT01-23.hl7')[0].controlId).toBe('599102');
    expect(messagesOf('ORU-R01-RMGEAD.hl7')[0].controlId).toBe('CNTRL-3456');
    expect(messagesOf('prs-elims_40_4988249_33033_with_enrichment.hl7')[0].controlId).toBe('3003786103_4988249_33033');
    expect(messagesOf('prs-elims_40_4988249_33033_with_enrichment.hl7')[0].delimiters.truncation).toBe('#');
    expect(readHl7Header(readFileSync(path.join(dir, 'ADT04-23.hl7'))).controlId).toBe('Q123456789T123456789X123456');
  });

  it('splits the batch files', () => {
    const batch = parseHl7v2Batch(readFileSync(path.join(dir, 'prs-batch_message.hl7')));
    expect(batch.messages.map((m) => m.controlId)).toEqual(['371784', batch.messages[1].controlId]);
    expect(batch.messages[1].controlId).not.toBe('371784');
    expect(batch.envelope?.get('BTS-1')).toBe('2');
    expect(hl7v2Codec.validate(batch).errors.filter((e) => e.code === 'hl7.batch.count-mismatch')).toEqual([]);
    expect(parseHl7v2Batch(readFileSync(path.join(dir, 'prs-Example-hl7-file.hl7'))).messages).toHaveLength(1);
  });

  // Differential test against @medplum/core. Paths where both agree on meaning: raw fields and
  // components without escape sequences. Intentional disagreements, not compared:
  // - escapes: Loom decodes \F\ \S\ \.br\ ... on read, Medplum returns them as written;
  // - a field holding component separators: Loom's get('PID-5') returns the first repetition,
  //   Medplum's getField(5).toString() all repetitions;
  // - Medplum does not strip the UTF-8 BOM, so it is removed before handing it the text.
  const PATHS: [string, number, number][] = [['MSH', 3, 1], ['MSH', 4, 1], ['MSH', 7, 1], ['MSH', 9, 1], ['MSH', 9, 2], ['MSH', 10, 1], ['MSH', 11, 1], ['MSH', 12, 1],
    ['PID', 3, 1], ['PID', 5, 1], ['PID', 5, 2], ['PID', 7, 1], ['PID', 8, 1], ['PID', 18, 1], ['PV1', 2, 1], ['PV1', 19, 1], ['OBR', 4, 1], ['OBX', 3, 1], ['OBX', 5, 1], ['ORC', 1, 1]];
  it.each(files.filter((f) => !f.startsWith('prs-batch') && !f.startsWith('prs-Example')))('%s agrees with @medplum/core', (file) => {
    const ours = messagesOf(file)[0];
    const theirs = MedplumHl7.parse(ours.toString());
    let compared = 0;
    for (const [seg, field, comp] of PATHS) {
      const mine = ours.get(`${seg}-${field}.${comp}`);
      const peerField = theirs.getSegment(seg)?.getField(field);
      const peer = peerField === undefined ? (theirs.getSegment(seg) ? '' : undefined) : peerField.getComponent(comp, undefined, 0);
      if (mine === undefined || peer === undefined) {
        expect(mine === undefined, `${file} ${seg}-${field}.${comp} presence`).toBe(peer === undefined);
        continue;
      }
      const raw = peer;
      if (raw.includes(ours.delimiters.escape) || raw.includes(ours.delimiters.subcomponent)) continue; // escapes/subcomponents: see above
      expect(mine, `${file} ${seg}-${field}.${comp}`).toBe(raw);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});
