import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { connectorKinds } from '../../src/connectors/index.js';
import { repoRoot } from '../support/corpus.js';

// What the simulators hand the estate as environment defaults when they start (docs/estate.md).
const simulatorEnv = {
  ERP_URL: 'http://127.0.0.1:9102',
  ERP_TOKEN: 'token key:secret',
  EHR_FHIR_URL: 'http://127.0.0.1:9101/fhir/R4',
  INVENTORY_AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  INVENTORY_QUEUE: 'loom.consumption',
  VENDOR_A_EDI_IN: '/tmp/vendor-a/in',
  VENDOR_A_EDI_OUT: '/tmp/vendor-a/out',
  VENDOR_B_EDI_IN: '/tmp/vendor-b/in',
  VENDOR_B_EDI_OUT: '/tmp/vendor-b/out',
};

describe('examples/estate/loom.config.yaml', () => {
  const file = path.join(repoRoot, 'examples/estate/loom.config.yaml');

  it('validates with every real connector kind and resolves paths from its folder', () => {
    const { config } = loadConfig({ file, env: simulatorEnv, connectorKinds });
    const ehr = config.channels.find((c) => c.name === 'ehr-hl7');
    expect(ehr?.inbound).toMatchObject({ kind: 'mllp', options: { port: 2575 } });
    expect(config.store.dataDir).toBe(path.join(repoRoot, 'examples/estate/.loom'));
    expect(config.systems.map((s) => s.name)).toEqual(expect.arrayContaining(['ehr', 'erp', 'inventory']));
    for (const channel of config.channels) {
      for (const destination of channel.destinations) expect(Object.keys(connectorKinds)).toContain(destination.kind);
    }
  });

  it('--mllp-port moves the EHR listener, so two estates can run side by side', () => {
    const { config } = loadConfig({ file, env: simulatorEnv, connectorKinds, overrides: { mllpPort: 12575, port: 18080 } });
    expect(config.channels.find((c) => c.name === 'ehr-hl7')?.inbound.options.port).toBe(12575);
    expect(config.server.port).toBe(18080);
  });

  it('names the missing secret, with its line, when the environment lacks it', () => {
    const { ERP_TOKEN: _dropped, ...withoutToken } = simulatorEnv;
    expect(() => loadConfig({ file, env: withoutToken, connectorKinds })).toThrow(/loom\.config\.yaml:\d+ .*ERP_TOKEN/);
  });
});
