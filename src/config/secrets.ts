import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Document, type LineCounter, isMap, isScalar, isSeq } from 'yaml';
import { LoomError } from '../kernel/index.js';
import { formatPath } from './locate.js';

/**
 * Secrets never sit in the YAML: values under secret-ish keys must be `${env:NAME}` or
 * `${file:path}` references. References anywhere are resolved at load, in place in the YAML
 * document, so later validation sees the real values while errors still point at lines.
 */

const SECRET_KEY = /(password|passwd|passphrase|secret|token|apikey|authorization|privatekey|credentials?)$|^key$/;
const REFERENCE = /\$\{([A-Za-z]+):([^}]*)\}/g;
/** A URL with an inline password: `postgres://loom:hunter2@db/loom`. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:([^@\s]+)@/i;

/** Does this key name hold a secret? (`password`, `apiKey`, `client_secret`, `authorization`, `key`). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_.]/g, ''));
}

export interface SecretContext {
  fileName: string;
  baseDir: string;
  env: Record<string, string | undefined>;
  lines: LineCounter;
}

/** Check literals and resolve references in `doc`; returns the errors found (empty when fine). */
export function resolveSecrets(doc: Document, context: SecretContext): LoomError[] {
  const errors: LoomError[] = [];
  walk(doc.contents, [], undefined, context, errors);
  return errors;
}

/** `auth: {value: ...}` (the http connector's credential) counts as a secret too. */
function holdsSecret(path: PropertyKey[]): boolean {
  const names = path.filter((segment): segment is string => typeof segment === 'string');
  const last = names[names.length - 1];
  const parent = names[names.length - 2];
  if (last === undefined) return false;
  if (isSecretKey(last)) return true;
  return last === 'value' && parent !== undefined && (parent === 'auth' || isSecretKey(parent));
}

function walk(node: unknown, path: PropertyKey[], key: string | undefined, context: SecretContext, errors: LoomError[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name !== undefined) walk(pair.value, [...path, name], name, context, errors);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walk(item, [...path, index], key, context, errors));
  } else if (isScalar(node)) {
    const where = () => `${context.fileName}:${context.lines.linePos(node.range?.[0] ?? 0).line} ${formatPath(path)}`;
    const value = node.value;
    if (typeof value !== 'string') {
      if (key !== undefined && holdsSecret(path) && (typeof value === 'number' || typeof value === 'boolean')) {
        errors.push(literal(where(), path));
      }
      return;
    }
    const hasReference = value.search(REFERENCE) >= 0;
    const inlinePassword = URL_PASSWORD.exec(value)?.[1];
    if (!hasReference && value !== '' && key !== undefined && holdsSecret(path)) errors.push(literal(where(), path));
    else if (inlinePassword !== undefined && inlinePassword.search(REFERENCE) < 0) errors.push(literal(where(), path, true));
    if (hasReference) node.value = resolveReferences(value, where, context, errors);
  }
}

function literal(location: string, path: PropertyKey[], inUrl = false): LoomError {
  const field = formatPath(path);
  return new LoomError(
    'config.secret.literal',
    inUrl
      ? `${field} carries a password inside the URL; secrets must not be written into loom.config.yaml`
      : `${field} holds a literal secret; secrets must not be written into loom.config.yaml`,
    {
      location,
      hint: inUrl
        ? 'write the password part as ${env:NAME}, e.g. postgres://loom:${env:PGPASSWORD}@db/loom'
        : 'use a reference instead: ${env:NAME} (environment variable) or ${file:path} (file relative to the config folder)',
    },
  );
}

function resolveReferences(value: string, where: () => string, context: SecretContext, errors: LoomError[]): string {
  return value.replace(REFERENCE, (whole, scheme: string, target: string) => {
    const name = target.trim();
    if (scheme === 'env') {
      const found = context.env[name];
      if (found !== undefined && name !== '') return found;
      errors.push(
        new LoomError('config.secret.unresolved', `${whole} refers to environment variable ${name || '(empty name)'}, which is not set`, {
          location: where(),
          hint: `set ${name || 'the variable'} in the environment of the Loom process`,
        }),
      );
      return '';
    }
    if (scheme === 'file') {
      const file = resolve(context.baseDir, name);
      try {
        // A trailing newline is an editor habit, never part of the secret.
        return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (cause) {
        errors.push(
          new LoomError('config.secret.unresolved', `${whole} refers to file ${file}, which cannot be read`, {
            location: where(),
            hint: 'create the file or fix the path (relative to the folder of the config file)',
            cause,
          }),
        );
        return '';
      }
    }
    errors.push(
      new LoomError('config.reference.invalid', `${whole} is not a known reference`, {
        location: where(),
        hint: 'references are ${env:NAME} or ${file:path}',
      }),
    );
    return whole;
  });
}
