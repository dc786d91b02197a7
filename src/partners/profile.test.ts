import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTradingPartners } from '../estate/index.js';
import { parsePartnerProfile, profilesFromEstate } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('trading-partner profiles', () => {
  it('fill defaults: 004010, 997 within 24 h, * > ~ delimiters, numbering from 1', () => {
    const p = parsePartnerProfile({ partnerId: 'V', ours: { id: 'US' }, theirs: { id: 'THEM' } });
    expect(p).toMatchObject({ version: '004010', expectedAck: '997', ackWithin: 86_400_000, controlNumberStart: 1, ours: { qualifier: 'ZZ' } });
    expect(p.delimiters).toMatchObject({ element: '*', segment: '~', repetition: '^', newline: false });
  });

  it('name the bad field', () => {
    expect(() => parsePartnerProfile({ partnerId: 'V', ours: { id: 'US' }, theirs: { id: 'THEM' }, expectedAck: '855' }))
      .toThrow(expect.objectContaining({ code: 'x12.partner.invalid', location: 'partner.expectedAck' }));
    expect(() => parsePartnerProfile({ partnerId: 'V', ours: { id: 'US' }, theirs: { id: 'X'.repeat(16) } }))
      .toThrow(expect.objectContaining({ location: 'partner.theirs.id' }));
  });

  it('come from the example estate trading-partners.json with overrides', () => {
    const estate = loadTradingPartners(path.join(repoRoot, 'examples/estate/master-data/trading-partners.json'));
    const profiles = profilesFromEstate(estate, { 'VENDOR-B': { expectedAck: 'none' } });
    expect(profiles.map((p) => [p.partnerId, p.ours.id, p.theirs.id, p.expectedAck])).toEqual([
      ['VENDOR-A', 'LOOMHOSP', 'ACMEORTHO', '997'],
      ['VENDOR-B', 'LOOMHOSP', 'BEACONMED', 'none'],
    ]);
    expect(profiles[0].transactions.outbound).toEqual(['850']);
  });
});
