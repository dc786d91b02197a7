import { isAbsolute, resolve } from 'node:path';
import { LoomError } from '../kernel/index.js';
import type { ChannelConfig, LoomConfig, ParsedConfig } from './schema.js';

/** Command-line flags; they win over environment, config file and defaults. */
export interface ConfigOverrides {
  port?: number;
  host?: string;
  /** Relative to the current directory (it came from a shell). */
  dataDir?: string;
  mllpPort?: number;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = './.loom';

export interface RuntimeContext {
  /** Folder of the config file, or the current directory when there is none. */
  baseDir: string;
  cwd: string;
  env: Record<string, string | undefined>;
  overrides: ConfigOverrides;
}

/**
 * Apply flag > env > config > default to port, host, data dir and the estate's MLLP port;
 * make paths absolute; fill channel retention from the top-level defaults.
 */
export function applyRuntime(parsed: ParsedConfig, context: RuntimeContext): LoomConfig {
  const { env, overrides, cwd, baseDir } = context;
  const port = overrides.port ?? envPort(env, 'LOOM_PORT') ?? parsed.server.port ?? DEFAULT_PORT;
  checkPort(port, 'flag --port');
  const host = overrides.host ?? nonEmpty(env.LOOM_HOST) ?? parsed.server.host ?? DEFAULT_HOST;
  // Flags and env come from a shell, so they are relative to the current directory;
  // values in the file are relative to the file's folder.
  const dataDir =
    overrides.dataDir !== undefined
      ? resolve(cwd, overrides.dataDir)
      : nonEmpty(env.LOOM_DATA) !== undefined
        ? resolve(cwd, env.LOOM_DATA as string)
        : resolve(baseDir, parsed.store.dataDir ?? DEFAULT_DATA_DIR);
  const encryption = parsed.store.encryption ? { encryption: parsed.store.encryption } : {};
  const store: LoomConfig['store'] =
    parsed.store.kind === 'postgres'
      ? { kind: 'postgres', url: requireUrl(parsed.store.url), schema: parsed.store.schema, dataDir, ...encryption }
      : { kind: 'sqlite', dataDir, ...encryption };
  const mllpPort = overrides.mllpPort ?? envPort(env, 'LOOM_MLLP_PORT');
  if (mllpPort !== undefined) checkPort(mllpPort, 'flag --mllp-port');
  let mllpApplied = false;
  const channels = parsed.channels.map((channel): ChannelConfig => {
    let inbound = channel.inbound;
    // The override moves the estate's EHR listener: the first MLLP inbound channel in the file.
    if (mllpPort !== undefined && !mllpApplied && inbound.kind === 'mllp') {
      inbound = { ...inbound, options: { ...inbound.options, port: mllpPort } };
      mllpApplied = true;
    }
    return { ...channel, inbound, retention: { ...parsed.retention, ...definedOnly(channel.retention ?? {}) } };
  });
  return {
    ...parsed,
    server: { port, host },
    store,
    channels,
    steps: parsed.steps ? { dir: absolute(baseDir, parsed.steps.dir) } : undefined,
  };
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function envPort(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = nonEmpty(env[name]);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new LoomError('config.env.invalid', `${name} is "${text}", expected a port number 0-65535`, {
      location: `env ${name}`,
      hint: `unset ${name} or give it a number like 8080`,
    });
  }
  return port;
}

function checkPort(port: number, source: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LoomError('config.flag.invalid', `${source} is ${port}, expected a port number 0-65535`, { location: source });
  }
}

function requireUrl(url: string | undefined): string {
  if (url === undefined) {
    throw new LoomError('config.field.missing', 'store.url is missing: a postgres store needs a connection URL', {
      location: 'store.url',
      hint: 'add url: postgres://loom:${env:PGPASSWORD}@host/db',
    });
  }
  return url;
}
