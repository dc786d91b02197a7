/** One place where Loom's output and the legacy engine's output for the same input differ. */
export interface OutputDifference {
  /** `PID-5.2` for HL7 v2, a JSON pointer `/data/qty` for JSON, `line 3` for text. */
  path: string;
  loom?: string;
  legacy?: string;
}

/** Segments of an HL7 v2 message as `[name, fields]`, whatever the line ending. */
function segmentsOf(message: string): Array<[string, string[]]> {
  return message.split(/\r\n|\r|\n/).filter((s) => s.trim() !== '').map((s) => {
    const fields = s.split('|');
    return [fields[0] ?? '', fields] as [string, string[]];
  });
}

/**
 * Field-by-field differences of two HL7 v2 messages: segments matched by name and occurrence
 * (`OBX[2]`), fields by number (MSH-1 is the field separator, so MSH fields are shifted by one),
 * components reported as `PID-5.2`. Paths in `ignore` (`MSH-7`, `MSH-10`, `EVN-2`) are skipped:
 * timestamps and control ids legitimately differ between two engines.
 *
 * @example compareHl7('MSH|^~\\&|A\rPID|1||1', 'MSH|^~\\&|A\rPID|1||2', []) // [{ path: 'PID-3', loom: '1', legacy: '2' }]
 */
export function compareHl7(loom: string, legacy: string, ignore: readonly string[]): OutputDifference[] {
  const ignored = new Set(ignore);
  const index = (segs: Array<[string, string[]]>) => {
    const seen = new Map<string, number>();
    return new Map(segs.map(([name, fields]) => {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return [n === 1 ? name : `${name}[${n}]`, { name, fields }];
    }));
  };
  const a = index(segmentsOf(loom));
  const b = index(segmentsOf(legacy));
  const out: OutputDifference[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (!x || !y) {
      out.push({ path: key, ...(x ? { loom: x.fields.join('|') } : {}), ...(y ? { legacy: y.fields.join('|') } : {}) });
      continue;
    }
    const shift = x.name === 'MSH' ? 1 : 0;
    const count = Math.max(x.fields.length, y.fields.length);
    for (let i = 1; i < count; i++) {
      const fieldPath = `${key}-${i + shift}`;
      if (ignored.has(fieldPath) || ignored.has(`${x.name}-${i + shift}`)) continue;
      const fx = x.fields[i] ?? '';
      const fy = y.fields[i] ?? '';
      if (fx === fy || (x.name === 'MSH' && i === 1)) continue;
      const cx = fx.split('^');
      const cy = fy.split('^');
      if (cx.length === 1 && cy.length === 1) {
        out.push({ path: fieldPath, loom: fx, legacy: fy });
        continue;
      }
      for (let c = 0; c < Math.max(cx.length, cy.length); c++) {
        if ((cx[c] ?? '') !== (cy[c] ?? '')) out.push({ path: `${fieldPath}.${c + 1}`, loom: cx[c] ?? '', legacy: cy[c] ?? '' });
      }
    }
  }
  return out;
}

function flatten(value: unknown, pointer: string, into: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) into.set(pointer || '/', JSON.stringify(value));
    for (const [k, v] of entries) flatten(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, into);
    return;
  }
  into.set(pointer || '/', JSON.stringify(value));
}

/** Leaf-by-leaf differences of two JSON documents, by JSON pointer; `ignore` lists pointers to skip. */
export function compareJson(loom: string, legacy: string, ignore: readonly string[]): OutputDifference[] {
  let x: unknown;
  let y: unknown;
  try {
    x = JSON.parse(loom);
    y = JSON.parse(legacy);
  } catch {
    return compareText(loom, legacy);
  }
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(x, '', a);
  flatten(y, '', b);
  const out: OutputDifference[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (ignore.some((p) => path === p || path.startsWith(`${p}/`))) continue;
    if (a.get(path) !== b.get(path)) out.push({ path, ...(a.has(path) ? { loom: a.get(path) } : {}), ...(b.has(path) ? { legacy: b.get(path) } : {}) });
  }
  return out;
}

/** Line-by-line differences of two texts (X12 and CSV compare well this way). */
export function compareText(loom: string, legacy: string): OutputDifference[] {
  const a = loom.split(/\r\n|\r|\n|~/);
  const b = legacy.split(/\r\n|\r|\n|~/);
  const out: OutputDifference[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push({ path: `line ${i + 1}`, ...(a[i] !== undefined ? { loom: a[i] } : {}), ...(b[i] !== undefined ? { legacy: b[i] } : {}) });
  }
  return out;
}

/** Compare two outputs by their format. */
export function compareOutputs(format: 'hl7v2' | 'json' | 'text', loom: string, legacy: string, ignore: readonly string[]): OutputDifference[] {
  if (format === 'hl7v2') return compareHl7(loom, legacy, ignore);
  if (format === 'json') return compareJson(loom, legacy, ignore);
  return compareText(loom, legacy);
}
