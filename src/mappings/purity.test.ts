// Mappings are pure (CONVENTIONS: no I/O, no engine/store/connector imports). This guards it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as mappings from './index.js';
import * as canonical from '../canonical/index.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const FORBIDDEN = /from '(node:(fs|net|http|https|child_process|worker_threads)|\.\.\/(engine|store|bus|connectors|processes|api|cli|observability)[/'])/;

describe('mappings purity', () => {
  for (const dir of [here, path.join(here, '../canonical/v1'), path.join(here, '../canonical')]) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts') && x !== 'test-support.ts')) {
      it(`${path.basename(dir)}/${f} imports no I/O or outer layer`, () => {
        const src = readFileSync(path.join(dir, f), 'utf8');
        expect(src.match(FORBIDDEN)?.[0]).toBeUndefined();
        expect(src).not.toMatch(/:\s*any\b|as any\b/);
      });
    }
  }

  it('public faces export the documented functions', () => {
    for (const name of ['mapAdtDischarge', 'mapDftCharges', 'mapHl7DeviceImplants', 'mapHl7Procedures', 'mapPatientMerge', 'applyPatientMerge', 'mapInventoryConsumption',
      'mapFhirDeviceImplants', 'hl7ToFhirBundle', 'loadCrosswalkCsv', 'costPostingToErpJournalEntry', 'purchaseOrderToErp', 'purchaseOrderTo850', 'costPostingFromCharge']) {
      expect(typeof (mappings as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(canonical.CANONICAL_VERSION).toBe('v1');
    expect(typeof canonical.v1.CanonicalEvent.parse).toBe('function');
  });
});
