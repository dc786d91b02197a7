import path from 'node:path';
import { ContentTypes } from '../../kernel/envelope.js';

const byExtension: Record<string, string> = {
  '.hl7': ContentTypes.hl7v2,
  '.er7': ContentTypes.hl7v2,
  '.csv': ContentTypes.csv,
  '.x12': ContentTypes.x12,
  '.edi': ContentTypes.x12,
  '.json': ContentTypes.json,
  '.xml': 'application/xml',
  '.txt': ContentTypes.text,
};

/** Content type of a dropped file from its extension (`.hl7` → HL7 v2 ER7). */
export function contentTypeOf(fileName: string, fallback = 'application/octet-stream'): string {
  return byExtension[path.extname(fileName).toLowerCase()] ?? fallback;
}

/** Extension to write for a content type (reverse of contentTypeOf). */
export function extensionOf(contentType: string): string {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  for (const [ext, type] of Object.entries(byExtension)) if (type === base) return ext;
  return '.dat';
}

/** Compile a small glob (`*`, `?`, `{a,b}`) to a RegExp matched against the whole file name. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) { source += '\\{'; continue; }
      source += `(?:${glob.slice(i + 1, end).split(',').map(escapeRe).join('|')})`;
      i = end;
    } else source += escapeRe(c);
  }
  return new RegExp(`^${source}$`, 'i');
}

function escapeRe(text: string): string {
  return text.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

/** A file name from a template, keeping only characters safe on every file system. */
export function renderFileName(template: string, values: Record<string, string>): string {
  const name = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key] ?? '';
    return key === 'ext' ? value : value.replace(/[^A-Za-z0-9._-]/g, '_');
  });
  return name.replace(/^\.+/, '_');
}
