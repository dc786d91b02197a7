import { describe, expect, it } from 'vitest';
import { layoutCatalog, type CatalogEntry } from './catalog-layout.js';

const e = (id: string, over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  id, kind: id.split(':')[0] as CatalogEntry['kind'], name: id.split(':')[1] ?? id, source: 'config', dataClasses: [], dependsOn: [], fedBy: [], ...over,
});

describe('catalog map layout', () => {
  const entries = [
    e('system:ehr'), e('system:erp'),
    e('channel:adt', { protocol: 'mllp', dependsOn: ['system:ehr'], dataClasses: ['PHI'] }),
    e('destination:adt/to-events', { protocol: 'channel', dependsOn: ['channel:adt'] }),
    e('channel:events', { protocol: 'channel', fedBy: ['channel:adt'] }),
    e('destination:events/erp', { name: 'events/erp', protocol: 'http', dependsOn: ['channel:events', 'system:erp'] }),
  ];
  const map = layoutCatalog(entries);

  it('puts channels fed by channels right of their feeders, destinations and receiving systems after them', () => {
    expect(map.columns).toEqual(['Sending systems', 'Channels', 'Channels (fed by channels)', 'Destinations', 'Receiving systems']);
    expect(map.nodes.map((n) => [n.key, n.column, n.row])).toEqual([
      ['send:system:ehr', 0, 0],
      ['channel:adt', 1, 0],
      ['channel:events', 2, 0],
      ['destination:events/erp', 3, 0],
      ['recv:system:erp', 4, 0],
    ]);
    expect(map.nodes.find((n) => n.key === 'channel:adt')?.sub).toBe('mllp · PHI');
  });

  it('draws system → channel → channel → destination → system, not the channel-to-channel hop as a node', () => {
    expect(map.edges).toEqual([
      ['send:system:ehr', 'channel:adt'],
      ['channel:adt', 'channel:events'],
      ['channel:events', 'destination:events/erp'],
      ['destination:events/erp', 'recv:system:erp'],
    ]);
  });

  it('survives a feed cycle', () => {
    const cyclic = layoutCatalog([e('channel:a', { fedBy: ['channel:b'] }), e('channel:b', { fedBy: ['channel:a'] })]);
    expect(cyclic.nodes).toHaveLength(2);
  });
});
