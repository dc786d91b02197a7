import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { LoomError } from '../kernel/index.js';
import { crossChecks } from './checks.js';
import type { ConnectorKindRegistry } from './endpoint.js';
import { issuesToErrors } from './issues.js';
import { type ConfigOverrides, applyRuntime } from './runtime.js';
import { type LoomConfig, type ParsedConfig, buildConfigSchema } from './schema.js';
import { resolveSecrets } from './secrets.js';

export const DEFAULT_CONFIG_FILE = 'loom.config.yaml';

export interface LoadConfigOptions {
  /** Path to the YAML file; without it `./loom.config.yaml` is used when present, else defaults. */
  file?: string;
  /** Defaults to `process.cwd()`. */
  cwd?: string;
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  overrides?: ConfigOverrides;
  /** Connector kinds that validate `inbound` and `destinations` options. */
  connectorKinds: ConnectorKindRegistry;
}

export interface LoadedConfig {
  config: LoomConfig;
  /** Absolute path of the file read, when there was one. */
  file?: string;
  /** The file's text as read (release management stores it as a version). */
  text?: string;
  /** Folder relative paths resolve from. */
  baseDir: string;
  /** Resolve a path from the config file's folder (absolute paths pass through). */
  resolvePath(path: string): string;
}

export interface ParseConfigOptions {
  /** Name used in error locations, e.g. `loom.config.yaml`. */
  fileName: string;
  baseDir: string;
  env: Record<string, string | undefined>;
  connectorKinds?: ConnectorKindRegistry;
}

/**
 * Load, resolve and validate the configuration (synchronously: it runs once at start and on
 * reload). Throws a LoomError listing every mistake, each with `file:line field`.
 *
 * @example
 * const { config } = loadConfig({ file: 'loom.config.yaml', connectorKinds: { mllp, http } });
 * config.server.port // 8080 unless --port, LOOM_PORT or server.port say otherwise
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const overrides = options.overrides ?? {};
  const file = locateFile(options.file, cwd);
  const baseDir = file ? dirname(file) : cwd;
  let parsed: ParsedConfig;
  let text: string | undefined;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new LoomError('config.file.unreadable', `cannot read ${file}`, { location: file, hint: 'check the path and its permissions', cause });
    }
    parsed = parseConfigText(text, { fileName: basename(file), baseDir, env, connectorKinds: options.connectorKinds });
  } else {
    parsed = parseConfigText('version: 1\n', { fileName: '(defaults)', baseDir, env, connectorKinds: options.connectorKinds });
  }
  const config = applyRuntime(parsed, { baseDir, cwd, env, overrides });
  return { config, file, ...(text !== undefined ? { text } : {}), baseDir, resolvePath: (path) => (isAbsolute(path) ? path : resolve(baseDir, path)) };
}

function locateFile(file: string | undefined, cwd: string): string | undefined {
  if (file !== undefined) {
    const absolute = resolve(cwd, file);
    if (!existsSync(absolute)) {
      throw new LoomError('config.file.missing', `config file ${absolute} does not exist`, {
        location: absolute,
        hint: 'fix --config, or run without it to use ./loom.config.yaml or the defaults',
      });
    }
    return absolute;
  }
  const implicit = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(implicit) ? implicit : undefined;
}

/**
 * Parse and validate YAML text; no flags, env precedence or path resolution (see `loadConfig`).
 *
 * @example parseConfigText('version: 1\n', { fileName: 'x.yaml', baseDir: '.', env: {} })
 */
export function parseConfigText(text: string, options: ParseConfigOptions): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw combine(
      doc.errors.map(
        (error) =>
          new LoomError('config.yaml.syntax', `YAML syntax: ${error.message.split('\n')[0]}`, {
            location: `${options.fileName}:${error.linePos?.[0].line ?? 1}`,
            hint: 'fix the YAML (indentation, quotes, duplicate keys)',
          }),
      ),
    );
  }
  const errors = resolveSecrets(doc, { fileName: options.fileName, baseDir: options.baseDir, env: options.env, lines });
  const data: unknown = doc.toJS() ?? {};
  const schema = buildConfigSchema(options.connectorKinds);
  const result = schema.safeParse(data);
  const issues = [...(result.success ? [] : result.error.issues), ...crossChecks(data)];
  errors.push(...issuesToErrors(issues, { fileName: options.fileName, doc, lines, data, schema }));
  if (errors.length > 0 || !result.success) throw combine(errors);
  return result.data;
}

/**
 * One LoomError for all mistakes: code, location and hint of the first; the message lists all,
 * and `cause` holds the individual errors (see `configIssues`).
 */
function combine(errors: LoomError[]): LoomError {
  const sorted = [...errors].sort((a, b) => lineNumber(a) - lineNumber(b));
  const [first] = sorted;
  if (sorted.length === 1) return first;
  const rest = sorted.slice(1).map((error) => `  ${error.describe()}`);
  return new LoomError(first.code, `${first.message}\n${sorted.length - 1} more problem(s):\n${rest.join('\n')}`, {
    location: first.location,
    hint: first.hint,
    cause: sorted,
  });
}

function lineNumber(error: LoomError): number {
  const match = /:(\d+)/.exec(error.location ?? '');
  return match ? Number(match[1]) : 0;
}

/** Every individual problem of a config error (one when there was one). */
export function configIssues(error: LoomError): LoomError[] {
  const cause = error.cause;
  if (Array.isArray(cause) && cause.every((item) => item instanceof LoomError)) return cause as LoomError[];
  return [error];
}
