import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LoomError } from '../../kernel/index.js';

const Checks = z.record(z.string(), z.unknown());

/** What one delivered message must look like: exact text, or values by path per format. */
export const ExpectedMessageSchema = z.strictObject({
  text: z.string().optional(),
  /** JSON pointer (`/data/serial`) → value. */
  json: Checks.optional(),
  /** `loom get` path of HL7 v2 (`PID-3.1`) → text. */
  hl7: z.record(z.string(), z.string()).optional(),
  /** X12 path in the first transaction set (`BEG03`, `PO1[2]02`) → text; `ISA08`/`ISA06` read the envelope ids. */
  x12: z.record(z.string(), z.string()).optional(),
  /** FHIRPath → value (first result) or array (all results). */
  fhirpath: Checks.optional(),
});
export type ExpectedMessage = z.output<typeof ExpectedMessageSchema>;

/** One interface test: a channel, an input message, and the expected outputs per destination. */
export const InterfaceTestSchema = z.strictObject({
  name: z.string().min(1),
  channel: z.string().min(1),
  input: z.union([z.string(), z.strictObject({ file: z.string().min(1) }), z.strictObject({ json: z.unknown() })]),
  /** Final status of the message and its children: processed (default), failed, rejected, duplicate. */
  status: z.enum(['processed', 'failed', 'rejected']).default('processed'),
  /** For failed/rejected: the LoomError code that must appear. */
  error: z.string().optional(),
  /** Destination → messages it must receive, in any order (split children run in parallel); a destination not named must receive nothing. */
  expect: z.record(z.string(), z.array(ExpectedMessageSchema)).default({}),
});
export type InterfaceTest = z.output<typeof InterfaceTestSchema> & { file: string; payload: Uint8Array };

/** Every `*.test.yaml|yml|json` under `dir` (recursively), parsed and validated, with its input read. */
export function loadInterfaceTests(dir: string): InterfaceTest[] {
  const files = walk(resolve(dir)).filter((f) => /\.test\.(ya?ml|json)$/.test(f)).sort();
  return files.map((file) => {
    let raw: unknown;
    try {
      raw = file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new LoomError('test.fixture.invalid', `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}`, { location: file, hint: 'fix its syntax', cause });
    }
    const parsed = InterfaceTestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoomError('test.fixture.invalid', `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, {
        location: `${file} ${issue?.path.join('.') ?? ''}`, hint: 'keys: name, channel, input (text | {file} | {json}), status, error, expect: {destination: [{text|json|hl7|x12|fhirpath}]}',
      });
    }
    const t = parsed.data;
    const payload = typeof t.input === 'string' ? new TextEncoder().encode(t.input.replace(/\r?\n/g, t.input.startsWith('MSH|') ? '\r' : '\n'))
      : 'file' in t.input ? readFixtureFile(join(dirname(file), t.input.file), file)
        : new TextEncoder().encode(JSON.stringify(t.input.json));
    return { ...t, file, payload };
  });
}

function readFixtureFile(path: string, from: string): Uint8Array {
  try {
    // HL7 v2 segments end in CR; fixture files are kept with the editor's line breaks.
    if (path.endsWith('.hl7')) return new TextEncoder().encode(readFileSync(path, 'utf8').replace(/\r?\n/g, '\r').replace(/\r+$/, ''));
    return readFileSync(path);
  } catch (cause) {
    throw new LoomError('test.fixture.input', `${from}: input file ${path} cannot be read`, { location: from, hint: 'paths are relative to the test file', cause });
  }
}

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (cause) {
    throw new LoomError('cli.file.unreadable', `cannot read the test folder ${dir}`, { location: dir, hint: 'pass the folder holding *.test.yaml files', cause });
  }
  return entries.flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
