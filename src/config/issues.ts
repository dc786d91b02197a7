import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { LoomError } from '../kernel/index.js';
import { type ConfigPath, describeValue, formatPath, lineOf, valueAt } from './locate.js';
import { patternInfo } from './patterns.js';
import { isSecretKey } from './secrets.js';
import { closest } from './suggest.js';

/** Where the YAML came from, to turn a zod issue into `file:line path` errors. */
export interface IssueContext {
  fileName: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
  schema: z.ZodType<unknown>;
}

/** Turn zod issues into LoomErrors naming file, line, field, what was found and what was expected. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], context: IssueContext): LoomError[] {
  return issues.flatMap((issue) => toErrors(issue, context));
}

function at(context: IssueContext, path: ConfigPath, keyOnly = false): string {
  return `${context.fileName}:${lineOf(context.doc, context.lines, path, keyOnly)} ${formatPath(path)}`;
}

function isSecretPath(path: ConfigPath): boolean {
  return path.some((segment) => typeof segment === 'string' && isSecretKey(segment));
}

function toErrors(issue: z.core.$ZodIssue, context: IssueContext): LoomError[] {
  const path = issue.path;
  const field = formatPath(path);
  const found = valueAt(context.data, path);
  const shown = describeValue(found, isSecretPath(path));
  switch (issue.code) {
    case 'invalid_type': {
      if (found === undefined) {
        return [
          new LoomError('config.field.missing', `${field} is missing: expected ${article(issue.expected)}`, {
            location: at(context, path),
            hint: `add "${String(path[path.length - 1])}" here`,
          }),
        ];
      }
      return [new LoomError('config.field.invalid', `${field} is ${shown}, expected ${article(issue.expected)}`, { location: at(context, path) })];
    }
    case 'unrecognized_keys': {
      const known = knownKeys(context.schema, path);
      return issue.keys.map((key) => {
        const guess = known ? closest(key, known) : undefined;
        const list = known ? `known fields here: ${known.join(', ')}` : undefined;
        return new LoomError('config.field.unknown', `${formatPath([...path, key])} is not a known field`, {
          location: at(context, [...path, key], true),
          hint: guess ? `did you mean "${guess}"?` : list,
        });
      });
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(' | ');
      if (found === undefined) {
        return [
          new LoomError('config.field.missing', `${field} is missing: expected one of ${allowed}`, {
            location: at(context, path),
            hint: `add "${String(path[path.length - 1])}" here`,
          }),
        ];
      }
            const guess = typeof found === 'string' ? closest(found, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      return [
        new LoomError('config.value.invalid', `${field} is ${shown}, expected one of ${allowed}`, {
          location: at(context, path),
          hint: guess ? `did you mean "${guess}"?` : undefined,
        }),
      ];
    }
    case 'invalid_format': {
      const info = issue.format === 'regex' ? patternInfo(issue.pattern) : undefined;
      return [
        new LoomError(info?.code ?? 'config.value.invalid', `${field} is ${shown}, expected ${info?.expected ?? `a ${issue.format}`}`, {
          location: at(context, path),
        }),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      const what = issue.origin === 'string' || issue.origin === 'array' ? `${issue.origin} of length ${bound}` : `${issue.origin} ${bound}`;
      return [new LoomError('config.value.invalid', `${field} is ${shown}, expected ${what}`, { location: at(context, path) })];
    }
    case 'invalid_union': {
      const expected = new Set<string>();
      for (const branch of issue.errors) for (const inner of branch) if (inner.code === 'invalid_type') expected.add(inner.expected);
      // A branch that got the right type but failed deeper explains the mistake best.
      const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((inner) => inner.code !== 'invalid_type'));
      if (deeper) return deeper.flatMap((inner) => toErrors({ ...inner, path: [...path, ...inner.path] }, context));
      return [
        new LoomError('config.field.invalid', `${field} is ${shown}, expected ${[...expected].map(article).join(' or ') || 'another form'}`, {
          location: at(context, path),
        }),
      ];
    }
    case 'custom': {
      const params = issue.params ?? {};
      const code = typeof params.loomCode === 'string' ? params.loomCode : 'config.value.invalid';
      const hint = typeof params.hint === 'string' ? params.hint : undefined;
      return [new LoomError(code, `${field}: ${issue.message}`, { location: at(context, path, code === 'config.field.unknown'), hint })];
    }
    default:
      return [new LoomError('config.value.invalid', `${field} is ${shown}: ${issue.message}`, { location: at(context, path) })];
  }
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

interface DefLike {
  type?: string;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  shape?: Record<string, unknown>;
  options?: unknown[];
}

function defOf(schema: unknown): DefLike | undefined {
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) return undefined;
  const zod = (schema as { _zod: { def?: DefLike } })._zod;
  return zod.def;
}

/** The field names a strict object at `path` accepts, by walking the zod schema's definitions. */
export function knownKeys(schema: unknown, path: ConfigPath): string[] | undefined {
  let node: unknown = schema;
  let i = 0;
  for (let guard = 0; guard < 200; guard++) {
    const def = defOf(node);
    if (!def) return undefined;
    if (def.innerType !== undefined) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'object' && def.shape) {
      if (i === path.length) return Object.keys(def.shape);
      node = def.shape[String(path[i++])];
    } else if (def.type === 'array') {
      if (i === path.length) return undefined;
      i++;
      node = def.element;
    } else return undefined;
  }
  return undefined;
}
