import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoomError } from '../kernel/index.js';
import { configIssues, loadConfig } from './load.js';
import { sampleConnectorKinds } from './testing.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loom-config-errors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A valid channel; tests break one line of it. Line numbers below count from `version: 1`. */
const base = (channel: string, extra = '') => `version: 1
systems:
  - name: ehr
    owner: Clinical Apps
channels:
  - name: ehr-adt
    source: ehr
    inbound:
      kind: mllp
      port: 2575
    contentType: hl7v2
${channel}${extra}`;

function load(yaml: string, env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'loom.config.yaml'), yaml);
  return loadConfig({ file: join(dir, 'loom.config.yaml'), env, cwd: dir, connectorKinds: sampleConnectorKinds });
}

function failure(yaml: string, env: Record<string, string> = {}): LoomError {
  try {
    load(yaml, env);
  } catch (error) {
    expect(error).toBeInstanceOf(LoomError);
    return error as LoomError;
  }
  throw new Error('expected the config to be rejected');
}

describe('config errors name file:line, the field, what was found and what was expected', () => {
  it('accepts the valid base', () => {
    expect(load(base('')).config.channels[0].name).toBe('ehr-adt');
  });

  it('wrong type', () => {
    const error = failure(base('    maxPayloadBytes: [1]\n'));
    expect(error.code).toBe('config.field.invalid');
    expect(error.location).toBe('loom.config.yaml:12 channels[0].maxPayloadBytes');
    expect(error.message).toContain('a list');
    expect(error.message).toMatch(/expected a number or a string/);
  });

  it('wrong type inside connector options', () => {
    const error = failure(base('').replace('port: 2575', 'port: "twenty"'));
    expect(error.code).toBe('config.field.invalid');
    expect(error.location).toBe('loom.config.yaml:10 channels[0].inbound.port');
    expect(error.message).toContain('"twenty", expected a number');
  });

  it('missing required field points at the object that lacks it', () => {
    const error = failure(base('').replace('    contentType: hl7v2\n', ''));
    expect(error.code).toBe('config.field.missing');
    expect(error.location).toBe('loom.config.yaml:6 channels[0].contentType');
    expect(error.message).toContain('channels[0].contentType is missing');
  });

  it('unknown key with a suggestion', () => {
    const error = failure(base('    destinatons: []\n'));
    expect(error.code).toBe('config.field.unknown');
    expect(error.location).toBe('loom.config.yaml:12 channels[0].destinatons');
    expect(error.hint).toBe('did you mean "destinations"?');
  });

  it('unknown connector option with a suggestion', () => {
    const error = failure(base('').replace('port: 2575', 'prot: 2575'));
    expect(error.code).toBe('config.field.unknown');
    expect(error.location).toBe('loom.config.yaml:10 channels[0].inbound.prot');
    expect(error.hint).toBe('did you mean "port"?');
  });

  it('bad enum value', () => {
    const error = failure(base('    ackMode: enhancd\n'));
    expect(error.code).toBe('config.value.invalid');
    expect(error.location).toBe('loom.config.yaml:12 channels[0].ackMode');
    expect(error.message).toContain('"enhancd", expected one of "original" | "enhanced"');
    expect(error.hint).toBe('did you mean "enhanced"?');
  });

  it('duplicate channel name', () => {
    const yaml = base('', `  - name: ehr-adt
    inbound: { kind: mllp, port: 2576 }
    contentType: hl7v2
`);
    const error = failure(yaml);
    expect(error.code).toBe('config.channel.duplicate');
    expect(error.location).toBe('loom.config.yaml:12 channels[1].name');
    expect(error.message).toContain('channels[0]');
  });

  it('literal secret', () => {
    const yaml = base(`    destinations:
      - name: erp
        kind: http
        url: http://erp.example/api
        auth:
          value: Bearer abc123
`);
    const error = failure(yaml);
    expect(error.code).toBe('config.secret.literal');
    expect(error.location).toBe('loom.config.yaml:17 channels[0].destinations[0].auth.value');
    expect(error.hint).toContain('${env:NAME}');
    expect(error.message).not.toContain('abc123');
  });

  it('literal password inside a URL', () => {
    const error = failure('version: 1\nstore:\n  kind: postgres\n  url: postgres://loom:hunter2@db/loom\n');
    expect(error.code).toBe('config.secret.literal');
    expect(error.location).toBe('loom.config.yaml:4 store.url');
    expect(error.message).not.toContain('hunter2');
  });

  it('unresolved env reference', () => {
    const yaml = base(`    destinations:
      - name: erp
        kind: http
        url: http://erp.example/api
        headers:
          x-api-key: \${env:ERP_KEY}
`);
    const error = failure(yaml);
    expect(error.code).toBe('config.secret.unresolved');
    expect(error.location).toBe('loom.config.yaml:17 channels[0].destinations[0].headers["x-api-key"]');
    expect(error.message).toContain('ERP_KEY');
    expect(load(yaml, { ERP_KEY: 'k-1' }).config.channels[0].destinations[0].options.headers).toEqual({ 'x-api-key': 'k-1' });
  });

  it('unreadable ${file:} reference', () => {
    const error = failure('version: 1\nstore:\n  kind: postgres\n  url: "${file:secrets/pg-url}"\n');
    expect(error.code).toBe('config.secret.unresolved');
    expect(error.location).toBe('loom.config.yaml:4 store.url');
    expect(error.message).toContain(join(dir, 'secrets/pg-url'));
  });

  it('unknown top-level key with a suggestion', () => {
    const error = failure('version: 1\nchanels: []\n');
    expect(error.code).toBe('config.field.unknown');
    expect(error.location).toBe('loom.config.yaml:2 chanels');
    expect(error.hint).toBe('did you mean "channels"?');
  });

  it('unknown connector kind names the known kinds', () => {
    const error = failure(base('').replace('kind: mllp', 'kind: mlp'));
    expect(error.code).toBe('config.connector.unknown');
    expect(error.location).toBe('loom.config.yaml:9 channels[0].inbound.kind');
    expect(error.message).toContain('known kinds: http, mllp');
    expect(error.hint).toBe('did you mean "mllp"?');
  });

  it('bad duration', () => {
    const error = failure(base('    dedup:\n      window: 24 hours\n'));
    expect(error.code).toBe('config.duration.invalid');
    expect(error.location).toBe('loom.config.yaml:13 channels[0].dedup.window');
    expect(error.message).toContain('"24 hours", expected a duration like 24h');
  });

  it('bad size', () => {
    const error = failure(base('    maxPayloadBytes: 1 megabyte\n'));
    expect(error.code).toBe('config.size.invalid');
    expect(error.location).toBe('loom.config.yaml:12 channels[0].maxPayloadBytes');
  });

  it('channel name that is not kebab-case', () => {
    const error = failure(base('').replace('name: ehr-adt', 'name: EHR_ADT'));
    expect(error.code).toBe('config.name.invalid');
    expect(error.location).toBe('loom.config.yaml:6 channels[0].name');
  });

  it('source system that is not declared', () => {
    const error = failure(base('').replace('source: ehr', 'source: erp'));
    expect(error.code).toBe('config.reference.unknown');
    expect(error.location).toBe('loom.config.yaml:7 channels[0].source');
  });

  it('YAML syntax error', () => {
    const error = failure('version: 1\nchannels:\n  - name: [a\n');
    expect(error.code).toBe('config.yaml.syntax');
    expect(error.location).toMatch(/^loom\.config\.yaml:\d+$/);
  });

  it('reports every mistake at once, sorted by line', () => {
    const error = failure(base('    ackMode: nope\n').replace('kind: mllp', 'kind: mlp'));
    const issues = configIssues(error);
    expect(issues.map((issue) => issue.code)).toEqual(['config.connector.unknown', 'config.value.invalid']);
    expect(error.message).toContain('1 more problem');
  });

  it('a missing file is config.file.missing', () => {
    expect(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {}, connectorKinds: sampleConnectorKinds })).toThrow(
      expect.objectContaining({ code: 'config.file.missing' }),
    );
  });
});
