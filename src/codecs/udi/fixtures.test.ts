import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { parseUdi } from './parse.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
interface Label { input: string; expect?: Record<string, unknown>; error?: string }
const { labels } = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/udi/labels.json'), 'utf8')) as { labels: Label[] };
const now = new Date('2026-06-15T00:00:00Z');

describe('UDI label fixtures', () => {
  it.each(labels.map((l) => [JSON.stringify(l.input), l] as const))('%s', (_, label) => {
    if (label.error) {
      let code: string | undefined;
      try { parseUdi(label.input, { now }); } catch (e) { code = isLoomError(e) ? e.code : 'not a LoomError'; }
      expect(code).toBe(label.error);
    } else {
      expect(parseUdi(label.input, { now })).toMatchObject(label.expect ?? {});
    }
  });
});
