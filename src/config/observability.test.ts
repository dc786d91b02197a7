import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoomError } from '../kernel/index.js';
import { loadConfig } from './load.js';
import { sampleConnectorKinds } from './testing.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loom-config-observability-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Line numbers below count from `version: 1` (line 1); `otlp:` is line 4. */
const config = (otlp: string) => `version: 1
observability:
  tracing:
    otlp:
${otlp}`;

function load(yaml: string, env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'loom.config.yaml'), yaml);
  return loadConfig({ file: join(dir, 'loom.config.yaml'), env, cwd: dir, connectorKinds: sampleConnectorKinds }).config;
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

describe('observability.tracing.otlp', () => {
  it('is absent (tracing export off) by default', () => {
    expect(load('version: 1\n').observability).toBeUndefined();
  });

  it('takes an endpoint, defaults the rest, and resolves header secrets from env and file', () => {
    writeFileSync(join(dir, 'otlp-key'), 'k3y\n');
    const otlp = load(config(`      endpoint: https://otel.example.org:4318
      headers:
        authorization: "Bearer \${env:OTLP_TOKEN}"
        x-api-key: "\${file:otlp-key}"
        x-scope-orgid: tenant-1
`), { OTLP_TOKEN: 't0k' }).observability?.tracing?.otlp;
    expect(otlp).toEqual({
      endpoint: 'https://otel.example.org:4318',
      headers: { authorization: 'Bearer t0k', 'x-api-key': 'k3y', 'x-scope-orgid': 'tenant-1' },
      serviceName: 'loom',
      timeout: 10_000,
    });
  });

  it('rejects a literal credential in headers, naming file:line and field', () => {
    const error = failure(config(`      endpoint: http://collector:4318
      headers: { authorization: Bearer abc }
`));
    expect(error.code).toBe('config.secret.literal');
    expect(error.location).toBe('loom.config.yaml:6 observability.tracing.otlp.headers.authorization');
    expect(error.message).not.toContain('abc');
  });

  it('rejects a missing or non-http endpoint and unknown fields', () => {
    const missing = failure(config('      serviceName: loom\n'));
    expect(missing.code).toBe('config.field.missing');
    expect(missing.location).toMatch(/^loom\.config\.yaml:\d+ observability\.tracing\.otlp\.endpoint$/);
    const ftp = failure(config('      endpoint: ftp://collector:4318\n'));
    expect(ftp.code).toBe('config.value.invalid');
    expect(ftp.location).toBe('loom.config.yaml:5 observability.tracing.otlp.endpoint');
    expect(ftp.message).toContain('ftp://collector:4318');
    const typo = failure(config('      endpoint: http://collector:4318\n      servicename: loom\n'));
    expect(typo.code).toBe('config.field.unknown');
    expect(typo.location).toBe('loom.config.yaml:6 observability.tracing.otlp.servicename');
    expect(typo.hint).toContain('serviceName');
  });
});
