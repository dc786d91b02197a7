import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// LOOM_CORPUS points elsewhere (a git worktree's ../shared is not the corpus).
export const corpusDir = process.env.LOOM_CORPUS ? path.resolve(process.env.LOOM_CORPUS) : path.resolve(repoRoot, '..', 'shared', 'corpus');
export const hasCorpus = existsSync(corpusDir);

if (!hasCorpus) console.warn(`[loom tests] ${corpusDir} not found: corpus tests are skipped`);

/** Files of one corpus folder, sorted; empty when the corpus is absent. */
export function corpusFiles(folder: string, extension: string): string[] {
  const dir = path.join(corpusDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(extension) && !f.endsWith(`.expected.fhir${extension}`))
    .sort()
    .map((f) => path.join(dir, f));
}
