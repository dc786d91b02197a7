// Seed inputs per target: the hand-made seeds, the repository's own fixtures and, when present,
// the shared corpus (../shared/corpus; read in place, never copied into the repository).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir, corpusFiles, repoRoot } from '../support/corpus.js';
import { HAND_SEEDS, type TargetName } from './targets.js';

const MAX_SEED_BYTES = 64 * 1024;

function files(dir: string, ext: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f)) : [];
}

function udiInputs(file: string): string[] {
  if (!existsSync(file)) return [];
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { cases?: { input?: unknown }[]; labels?: { input?: unknown }[] };
  return [...(doc.cases ?? []), ...(doc.labels ?? [])].map((c) => c.input).filter((i): i is string => typeof i === 'string');
}

/** Seeds of one target, as bytes, at most 64 KiB each. */
export function loadSeeds(target: TargetName, options: { corpus?: boolean } = {}): Uint8Array[] {
  const useCorpus = options.corpus ?? true;
  const enc = new TextEncoder();
  const out: Uint8Array[] = HAND_SEEDS[target].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff));
  const add = (bytes: Uint8Array): void => void out.push(bytes.subarray(0, MAX_SEED_BYTES));
  const fixtures = path.join(repoRoot, 'test', 'fixtures');
  const hl7Files = [...files(path.join(fixtures, 'hl7v2'), '.hl7'), ...files(path.join(fixtures, 'mappings'), '.hl7'), ...(useCorpus ? corpusFiles('hl7v2', '.hl7') : [])];
  if (target === 'hl7') for (const f of hl7Files) add(readFileSync(f));
  if (target === 'mllp') {
    for (const f of hl7Files.slice(0, 8)) add(Buffer.concat([Buffer.from([0x0b]), readFileSync(f), Buffer.from([0x1c, 0x0d])]));
  }
  if (target === 'x12') {
    const corpus = useCorpus ? [...corpusFiles('x12/valid', '.edi'), ...corpusFiles('x12/invalid', '.edi')] : [];
    for (const f of [...files(path.join(fixtures, 'x12'), ''), ...corpus]) add(readFileSync(f));
  }
  if (target === 'udi') {
    const inputs = [...udiInputs(path.join(fixtures, 'udi', 'labels.json'))];
    if (useCorpus) for (const f of ['gs1-element-strings.json', 'hibc-vectors.json']) inputs.push(...udiInputs(path.join(corpusDir, 'udi', f)));
    for (const s of inputs) add(enc.encode(s));
  }
  // the MLLP harness reads its first byte as the seed of the chunking: give each stream one
  if (target === 'mllp') return out.map((s, i) => Buffer.concat([Buffer.from([(i * 37 + 1) & 0xff]), s]));
  return out;
}
