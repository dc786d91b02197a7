import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorKindRegistry } from './endpoint.js';
import { diffConfigs } from './diff.js';
import { loadConfig } from './load.js';
import { configJsonSchema } from './schema.js';
import { sampleConnectorKinds } from './testing.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loom-config-load-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const channel = (name: string, extra = '') => `  - name: ${name}
    inbound: { kind: mllp, port: 2575 }
    contentType: hl7v2
${extra}`;

function write(yaml: string, at = dir): string {
  mkdirSync(at, { recursive: true });
  const file = join(at, 'loom.config.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('loadConfig: precedence flag > env > config > default', () => {
  const yaml = 'version: 1\nserver: { port: 9000, host: 0.0.0.0 }\nstore: { dataDir: data }\n';

  it('uses defaults without a config file', () => {
    const { config, file } = loadConfig({ cwd: dir, env: {}, connectorKinds: {} });
    expect(file).toBeUndefined();
    expect(config.server).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(config.store).toEqual({ kind: 'sqlite', dataDir: join(dir, '.loom') });
    expect(config.channels).toEqual([]);
  });

  it('picks up ./loom.config.yaml from cwd', () => {
    write(yaml);
    expect(loadConfig({ cwd: dir, env: {}, connectorKinds: {} }).config.server.port).toBe(9000);
  });

  it('config beats default, env beats config, flag beats env', () => {
    const file = write(yaml);
    const at = (env: Record<string, string>, overrides = {}) =>
      loadConfig({ file, cwd: dir, env, overrides, connectorKinds: {} }).config;
    expect(at({}).server).toEqual({ port: 9000, host: '0.0.0.0' });
    expect(at({ LOOM_PORT: '9100', LOOM_HOST: '::1' }).server).toEqual({ port: 9100, host: '::1' });
    expect(at({ LOOM_PORT: '9100' }, { port: 9200, host: 'localhost' }).server).toEqual({ port: 9200, host: 'localhost' });
  });

  it('data dir: config relative to the file, env and flag relative to cwd', () => {
    const configDir = join(dir, 'etc');
    const file = write(yaml, configDir);
    const cwd = join(dir, 'work');
    const at = (env: Record<string, string>, overrides = {}) =>
      loadConfig({ file, cwd, env, overrides, connectorKinds: {} }).config.store.dataDir;
    expect(at({})).toBe(join(configDir, 'data'));
    expect(at({ LOOM_DATA: 'envdata' })).toBe(join(cwd, 'envdata'));
    expect(at({ LOOM_DATA: 'envdata' }, { dataDir: '/var/lib/loom' })).toBe('/var/lib/loom');
  });

  it('default data dir sits beside the config file', () => {
    const file = write('version: 1\n', join(dir, 'conf'));
    expect(loadConfig({ file, cwd: dir, env: {}, connectorKinds: {} }).config.store.dataDir).toBe(join(dir, 'conf', '.loom'));
  });

  it('LOOM_MLLP_PORT moves the first MLLP listener; the flag wins', () => {
    const file = write(`version: 1\nchannels:\n${channel('ehr-adt')}${channel('ehr-orm').replace('2575', '2580')}`);
    const at = (env: Record<string, string>, overrides = {}) =>
      loadConfig({ file, cwd: dir, env, overrides, connectorKinds: sampleConnectorKinds }).config.channels.map((c) => c.inbound.options.port);
    expect(at({})).toEqual([2575, 2580]);
    expect(at({ LOOM_MLLP_PORT: '3575' })).toEqual([3575, 2580]);
    expect(at({ LOOM_MLLP_PORT: '3575' }, { mllpPort: 0 })).toEqual([0, 2580]);
  });

  it('rejects a malformed LOOM_PORT', () => {
    expect(() => loadConfig({ cwd: dir, env: { LOOM_PORT: 'eighty' }, connectorKinds: {} })).toThrow(
      expect.objectContaining({ code: 'config.env.invalid', location: 'env LOOM_PORT' }),
    );
  });
});

describe('loadConfig: values and paths', () => {
  it('resolves ${file:} relative to the config folder, steps.dir and resolvePath too', () => {
    const configDir = join(dir, 'estate');
    mkdirSync(join(configDir, 'secrets'), { recursive: true });
    writeFileSync(join(configDir, 'secrets', 'erp-token'), 's3cret\n');
    const file = write(
      `version: 1
steps: { dir: ./steps }
channels:
${channel('ehr-adt', `    destinations:
      - name: erp
        kind: http
        url: http://127.0.0.1:9/x
        auth: { value: "Bearer \${file:secrets/erp-token}" }
`)}`,
      configDir,
    );
    const loaded = loadConfig({ file, cwd: dir, env: {}, connectorKinds: sampleConnectorKinds });
    expect(loaded.config.channels[0].destinations[0].options.auth).toEqual({ header: 'Authorization', value: 'Bearer s3cret' });
    expect(loaded.config.steps?.dir).toBe(join(configDir, 'steps'));
    expect(loaded.resolvePath('in/adt')).toBe(join(configDir, 'in/adt'));
  });

  it('normalizes durations, sizes, defaults and inherited retention', () => {
    const file = write(`version: 1
retention: { processed: 7d }
channels:
${channel('ehr-adt', `    ackMode: enhanced
    orderingKey: patient-key
    dedup: { window: 1h30m }
    maxPayloadBytes: 2mb
    retention: { failed: 12h }
    destinations:
      - { name: erp, kind: http, url: "http://127.0.0.1:9/x", retry: { backoff: { base: 500ms } } }
`)}`);
    const [c] = loadConfig({ file, cwd: dir, env: {}, connectorKinds: sampleConnectorKinds }).config.channels;
    expect(c.validateBeforeAck).toBe(false);
    expect(c.orderingKey).toEqual({ use: 'patient-key' });
    expect(c.dedup).toEqual({ enabled: true, window: 5_400_000, by: 'control-id' });
    expect(c.maxPayloadBytes).toBe(2 * 1024 * 1024);
    expect(c.retention).toEqual({ processed: 7 * 86_400_000, failed: 12 * 3_600_000, deadLettered: 180 * 86_400_000 });
    expect(c.destinations[0].retry).toEqual({ maxAttempts: 10, backoff: { base: 500, max: 300_000 } });
    expect(c.destinations[0].breaker).toEqual({ failures: 5, cooldown: 30_000 });
    expect(c.destinations[0].options).toEqual({ url: 'http://127.0.0.1:9/x', method: 'POST', headers: {} });
  });
});

describe('diffConfigs', () => {
  it('lists added, changed and removed channels', () => {
    const load = (yaml: string) => {
      const file = write(yaml);
      return loadConfig({ file, cwd: dir, env: {}, connectorKinds: sampleConnectorKinds }).config;
    };
    const before = load(`version: 1\nchannels:\n${channel('a')}${channel('b')}${channel('c')}`);
    const after = load(`version: 1\nretention: { failed: 1d }\nchannels:\n${channel('a')}${channel('c', '    ackMode: enhanced\n')}${channel('d')}`);
    expect(diffConfigs(before, after)).toEqual({ added: ['d'], changed: ['a', 'c'], removed: ['b'] });
    expect(diffConfigs(after, after)).toEqual({ added: [], changed: [], removed: [] });
  });
});

describe('configJsonSchema', () => {
  it('is generated from the zod schema', () => {
    const schema = configJsonSchema();
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    const properties = schema.properties as Record<string, { items?: { properties?: Record<string, unknown> } }>;
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['version', 'server', 'store', 'systems', 'channels', 'retention', 'logging']));
    const channelProps = properties.channels.items?.properties ?? {};
    expect(channelProps.ackMode).toMatchObject({ enum: ['original', 'enhanced'] });
    expect(JSON.stringify(channelProps.dedup)).toContain('(ms|s|m|h|d|w)');
  });
});
