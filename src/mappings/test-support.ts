// Shared paths for mapping tests: the public corpus (optional) and the repository's own fixtures.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHl7v2, type Hl7Message } from '../codecs/hl7v2/index.js';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// LOOM_CORPUS points elsewhere (a git worktree's ../shared is not the corpus).
export const corpusDir = process.env.LOOM_CORPUS ? path.resolve(process.env.LOOM_CORPUS) : path.resolve(repoRoot, '../shared/corpus');
export const corpusPresent = existsSync(corpusDir);
if (!corpusPresent) console.log(`[mappings] ${corpusDir} is absent: corpus mapping tests skipped`);

export function corpusText(rel: string): string {
  return readFileSync(path.join(corpusDir, rel), 'utf8');
}
export function corpusHl7(name: string): Hl7Message {
  return parseHl7v2(corpusText(`hl7v2/${name}`));
}
export function corpusJson<T>(rel: string): T {
  return JSON.parse(corpusText(rel)) as T;
}
export function fixtureText(name: string): string {
  return readFileSync(path.join(repoRoot, 'test/fixtures/mappings', name), 'utf8');
}
export function fixtureHl7(name: string): Hl7Message {
  return parseHl7v2(fixtureText(name));
}
/** Run `fn` and return the LoomError it throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): { code: string; location?: string; hint?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; location?: string; hint?: string; message: string };
  }
  throw new Error('expected a LoomError, nothing was thrown');
}
