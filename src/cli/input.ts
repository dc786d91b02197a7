import { readFile } from 'node:fs/promises';
import { LoomError } from '../kernel/index.js';

/** Read a file argument, or standard input for `-`. Missing files are usage errors (exit 1). */
export async function readInput(file: string | undefined): Promise<{ bytes: Uint8Array; name: string }> {
  if (file === undefined) {
    throw new LoomError('cli.argument.missing', 'no input file given', { hint: 'pass a file path, or - to read standard input' });
  }
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return { bytes: Buffer.concat(chunks), name: '-' };
  }
  try {
    return { bytes: await readFile(file), name: file };
  } catch (cause) {
    throw new LoomError('cli.file.unreadable', `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      location: file,
      hint: 'check the path and that the file is readable',
      cause,
    });
  }
}
