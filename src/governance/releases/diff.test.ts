import { describe, expect, it } from 'vitest';
import { diffReleases, isEmptyDiff } from './diff.js';
import { renderDiff } from './render.js';

const BEFORE = `version: 1
server: { port: 8080 }
systems:
  - { name: ehr, owner: Clinical Apps }
channels:
  - name: adt
    source: ehr
    inbound: { kind: mllp, port: 2575 }
    contentType: hl7v2
    steps:
      - use: translate
        with: { mapping: hl7-to-events }
    destinations:
      - { name: erp, kind: http, url: http://erp-a/adt }
      - { name: lab, kind: http, url: http://lab/adt }
  - name: old
    inbound: { kind: http }
    contentType: json
`;
const AFTER = `version: 1
server: { port: 9090 }
systems:
  - { name: ehr, owner: Clinical Applications }
channels:
  - name: adt
    source: ehr
    inbound: { kind: mllp, port: 2575 }
    contentType: hl7v2
    contract: { name: adt-profile, version: 2 }
    steps:
      - use: translate
        with: { mapping: hl7-to-canonical }
    destinations:
      - { name: erp, kind: http, url: http://erp-b/adt }
  - name: invoices
    inbound: { kind: http }
    contentType: json
`;

describe('diffReleases', () => {
  const diff = diffReleases({ text: BEFORE, crosswalks: { 'charge-codes': '1', old: '3' } }, { text: AFTER, crosswalks: { 'charge-codes': '2', 'gl-map': '1' } });

  it('names channels added, removed and changed field by field, destinations by name', () => {
    expect(diff.channels.added).toEqual(['invoices']);
    expect(diff.channels.removed).toEqual(['old']);
    expect(diff.channels.changed).toEqual([{
      name: 'adt',
      fields: [
        { path: 'contract', to: { name: 'adt-profile', version: 2 } },
        { path: 'destinations[lab]', from: { name: 'lab', kind: 'http', url: 'http://lab/adt' } },
        { path: 'destinations[erp].url', from: 'http://erp-a/adt', to: 'http://erp-b/adt' },
        { path: 'steps', from: [{ use: 'translate', with: { mapping: 'hl7-to-events' } }], to: [{ use: 'translate', with: { mapping: 'hl7-to-canonical' } }] },
      ],
    }]);
  });

  it('lists mappings, contract pins and crosswalk versions that change, and other sections by path', () => {
    expect(diff.mappings).toEqual({ added: ['hl7-to-canonical'], removed: ['hl7-to-events'] });
    expect(diff.contracts).toEqual([{ channel: 'adt', to: 'adt-profile@2' }]);
    expect(diff.crosswalks).toEqual([{ name: 'charge-codes', from: '1', to: '2' }, { name: 'gl-map', to: '1' }, { name: 'old', from: '3' }]);
    expect(diff.systems.changed).toEqual([{ name: 'ehr', fields: [{ path: 'owner', from: 'Clinical Apps', to: 'Clinical Applications' }] }]);
    expect(diff.other).toEqual([{ path: 'server.port', from: 8080, to: 9090 }]);
  });

  it('finds nothing between a release and itself, whatever the key order or comments', () => {
    const reordered = '# a comment\nchannels:\n  - contentType: json\n    inbound: { kind: http }\n    name: old\nversion: 1\n';
    const same = diffReleases({ text: 'version: 1\nchannels:\n  - { name: old, inbound: { kind: http }, contentType: json }\n', crosswalks: {} }, { text: reordered, crosswalks: {} });
    expect(isEmptyDiff(same)).toBe(true);
    expect(renderDiff(same)).toBe('no changes\n');
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('renders one section per kind of change', () => {
    const text = renderDiff(diff);
    expect(text).toContain('channels:\n  + invoices\n  - old\n  ~ adt\n');
    expect(text).toContain('~ destinations[erp].url: http://erp-a/adt → http://erp-b/adt');
    expect(text).toContain('mappings:\n  + hl7-to-canonical\n  - hl7-to-events');
    expect(text).toContain('contracts:\n  + adt: (none) → adt-profile@2');
    expect(text).toContain('crosswalks:\n  ~ charge-codes: 1 → 2');
    expect(text).toContain('other:\n  ~ server.port: 8080 → 9090');
  });
});
