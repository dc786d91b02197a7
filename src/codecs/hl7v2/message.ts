import { LoomError } from '../../kernel/errors.js';
import { encodingCharacters, type Hl7Delimiters } from './delimiters.js';
import { decodeEscapes, encodeEscapes } from './escape.js';
import { isHeaderSegment, piece } from './fields.js';
import { formatHl7Path, parseHl7Path, type Hl7Path } from './path.js';

/**
 * A parsed HL7 v2 message. Lazy and index-based: segments are split once at parse time; fields are
 * split on first read of a segment and escapes are decoded only for the value asked for.
 *
 * `get` rules: undefined when the segment occurrence or the repetition does not exist; '' for an
 * empty or trailing-omitted field/component; an element that still holds lower delimiters
 * (`PID-5` = `DOE^JOHN`) is returned as written, a leaf is escape-decoded; explicit null stays `""`.
 */
export class Hl7Message {
  readonly delimiters: Hl7Delimiters;
  private readonly segs: string[];
  private readonly names: string[];
  private fieldCache: (string[] | undefined)[];
  private sepCache: (number[] | undefined)[];
  private header: { type: string; controlId: string; version: string } | undefined;

  /** Build from already split segment strings; the first must be MSH. Use `parseHl7v2` instead. */
  constructor(segments: string[], delimiters: Hl7Delimiters) {
    this.segs = segments;
    this.delimiters = delimiters;
    this.names = new Array<string>(segments.length);
    for (let i = 0; i < segments.length; i++) this.names[i] = segments[i].slice(0, 3);
    this.fieldCache = new Array<string[] | undefined>(segments.length);
    this.sepCache = new Array<number[] | undefined>(segments.length);
  }

  /** `MSH-9.1^MSH-9.2`, e.g. `ADT^A03` (just MSH-9.1 when there is no trigger event). */
  get type(): string {
    return this.readHeader().type;
  }

  /** MSH-10 message control id. */
  get controlId(): string {
    return this.readHeader().controlId;
  }

  /** MSH-12.1 version id, e.g. `2.5.1`. */
  get version(): string {
    return this.readHeader().version;
  }

  /** Number of segments. */
  get segmentCount(): number {
    return this.segs.length;
  }

  /** Segment names in order (`['MSH', 'EVN', 'PID', ...]`). */
  segmentNames(): string[] {
    return this.names.slice();
  }

  /** Raw text of the i-th segment (0-based), as written on the wire. */
  segmentText(index: number): string | undefined {
    return this.segs[index];
  }

  /** How many segments carry this name. */
  count(segment: string): number {
    let n = 0;
    for (const name of this.names) if (name === segment) n++;
    return n;
  }

  /**
   * Decoded value at an HL7 path.
   *
   * @example
   * msg.get('PID-5.1')     // family name
   * msg.get('PID-3[2].1')  // id of the 2nd identifier
   * msg.get('OBX[2]-5')    // value of the 2nd OBX
   */
  get(path: string): string | undefined {
    const raw = this.rawAt(parseHl7Path(path));
    if (raw === undefined) return undefined;
    if (raw.leaf) return raw.text.indexOf(this.delimiters.escape) === -1 ? raw.text : decodeEscapes(raw.text, this.delimiters);
    return raw.text;
  }

  /** True when the value at `path` is the explicit null `""` (as opposed to empty or absent). */
  isNull(path: string): boolean {
    return this.rawAt(parseHl7Path(path))?.text === '""';
  }

  /** Values of every repetition of the field named by `path` (`PID-3.1` gives each identifier's id). */
  getAll(path: string): string[] {
    const p = parseHl7Path(path);
    const out: string[] = [];
    const n = this.repetitionCount(path);
    for (let r = 1; r <= n; r++) {
      const v = this.get(formatHl7Path({ ...p, repetition: r }));
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** Number of repetitions of the field named by `path` (0 when empty or absent). */
  repetitionCount(path: string): number {
    const p = parseHl7Path(path);
    const idx = this.findSegment(p.segment, p.segmentIndex);
    if (idx === -1 || p.field === 0) return 0;
    const f = this.rawField(idx, p.field);
    if (f === '') return 0;
    if (isHeaderSegment(p.segment) && p.field <= 2) return 1;
    return f.split(this.delimiters.repetition).length;
  }

  /** Raw fields of the i-th segment: index n is field n (index 0 the segment name; for MSH, index 1 is MSH-1). */
  fields(index: number): string[] {
    const f = this.splitFields(index).slice();
    if (isHeaderSegment(this.names[index])) f.splice(1, 0, this.delimiters.field);
    return f;
  }

  /**
   * Set the value at `path`, escape-encoding it; missing fields/components are padded with empties.
   * A segment one past the last occurrence (`OBX[3]` when there are two) is appended.
   *
   * @example
   * msg.set('PID-5.1', 'O|Brien') // stored as O\F\Brien
   */
  set(path: string, value: string): this {
    return this.setRaw(path, encodeEscapes(value, this.delimiters));
  }

  /** Like `set` but stores `raw` as written (it may hold delimiters, e.g. `DOE^JOHN`). */
  setRaw(path: string, raw: string): this {
    const p = parseHl7Path(path);
    const d = this.delimiters;
    if (p.field === 0) throw new LoomError('hl7.path.invalid', `set needs a field path, got ${path}`, { location: path, hint: 'e.g. PID-5.1' });
    if (isHeaderSegment(p.segment) && p.field <= 2) {
      throw new LoomError('hl7.path.readonly', `${p.segment}-${p.field} holds the delimiters and cannot be set`, { location: path, hint: 'build a new message with other delimiters instead' });
    }
    let idx = this.findSegment(p.segment, p.segmentIndex);
    if (idx === -1) {
      if (p.segmentIndex !== this.count(p.segment) + 1 || p.segment === 'MSH') {
        throw new LoomError('hl7.segment.missing', `${formatHl7Path({ ...p, field: 0 })} does not exist`, { location: path, hint: 'set the previous occurrence first, or address an existing segment' });
      }
      this.segs.push(p.segment);
      this.names.push(p.segment);
      this.fieldCache.push(undefined);
      this.sepCache.push(undefined);
      idx = this.segs.length - 1;
    }
    const fields = this.splitFields(idx).slice();
    const at = isHeaderSegment(p.segment) ? p.field - 1 : p.field;
    while (fields.length <= at) fields.push('');
    const reps = padTo(fields[at].split(d.repetition), p.repetition);
    if (p.component === 0) reps[p.repetition - 1] = raw;
    else {
      const comps = padTo(reps[p.repetition - 1].split(d.component), p.component);
      if (p.subcomponent === 0) comps[p.component - 1] = raw;
      else {
        const subs = padTo(comps[p.component - 1].split(d.subcomponent), p.subcomponent);
        subs[p.subcomponent - 1] = raw;
        comps[p.component - 1] = subs.join(d.subcomponent);
      }
      reps[p.repetition - 1] = comps.join(d.component);
    }
    fields[at] = reps.join(d.repetition);
    this.segs[idx] = fields.join(d.field);
    this.fieldCache[idx] = undefined;
    this.sepCache[idx] = undefined;
    if (idx === 0) this.header = undefined;
    return this;
  }

  /** Serialize with CR after every segment, whatever terminator the input used. */
  toString(): string {
    return this.segs.join('\r') + '\r';
  }

  /** Index (0-based) of the n-th occurrence of a segment, -1 when absent. */
  findSegment(name: string, occurrence = 1): number {
    let seen = 0;
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name && ++seen === occurrence) return i;
    }
    return -1;
  }

  private splitFields(index: number): string[] {
    let f = this.fieldCache[index];
    if (f === undefined) {
      f = this.segs[index].split(this.delimiters.field);
      this.fieldCache[index] = f;
    }
    return f;
  }

  /** Positions of the field separators of segment i, found once with indexOf (no string allocation). */
  private separators(index: number): number[] {
    let sep = this.sepCache[index];
    if (sep === undefined) {
      sep = [];
      const seg = this.segs[index];
      const fs = this.delimiters.field;
      let at = seg.indexOf(fs);
      while (at !== -1) {
        sep.push(at);
        at = seg.indexOf(fs, at + 1);
      }
      this.sepCache[index] = sep;
    }
    return sep;
  }

  /** Text between separator k-1 and k (k = split index), '' past the end. */
  private splitField(index: number, k: number): string {
    const sep = this.separators(index);
    if (k > sep.length) return '';
    const start = k === 0 ? 0 : sep[k - 1] + 1;
    return k === sep.length ? this.segs[index].slice(start) : this.segs[index].slice(start, sep[k]);
  }

  /** Raw text of field n of segment i; MSH-1 is the separator and MSH-2 the encoding characters. */
  private rawField(index: number, n: number): string {
    if (isHeaderSegment(this.names[index])) {
      if (n === 1) return this.delimiters.field;
      if (n === 2) return encodingCharacters(this.delimiters);
      return this.splitField(index, n - 1);
    }
    return this.splitField(index, n);
  }

  private rawAt(p: Hl7Path): { text: string; leaf: boolean } | undefined {
    const idx = this.findSegment(p.segment, p.segmentIndex);
    if (idx === -1) return undefined;
    if (p.field === 0) return { text: this.segs[idx], leaf: false };
    const f = this.rawField(idx, p.field);
    const d = this.delimiters;
    // MSH-1 and MSH-2 are never split or decoded: they are the delimiters themselves
    if (p.field <= 2 && isHeaderSegment(p.segment)) {
      return p.repetition === 1 && p.component <= 1 && p.subcomponent <= 1 ? { text: f, leaf: false } : undefined;
    }
    let rep: string | undefined = f;
    if (p.repetition > 1 || f.indexOf(d.repetition) !== -1) {
      rep = piece(f, d.repetition, p.repetition);
      if (rep === undefined) return undefined;
    }
    if (p.component === 0) return { text: rep, leaf: rep.indexOf(d.component) === -1 && rep.indexOf(d.subcomponent) === -1 };
    const comp = piece(rep, d.component, p.component) ?? '';
    if (p.subcomponent === 0) return { text: comp, leaf: comp.indexOf(d.subcomponent) === -1 };
    return { text: piece(comp, d.subcomponent, p.subcomponent) ?? '', leaf: true };
  }

  private readHeader(): { type: string; controlId: string; version: string } {
    if (this.header === undefined) {
      // MSH-n is the text after the (n-1)-th field separator
      const d = this.delimiters;
      const f = (n: number): string => this.splitField(0, n - 1);
      const leaf = (v: string): string => (v.indexOf(d.escape) === -1 ? v : decodeEscapes(v, d));
      const msh9 = piece(f(9), d.repetition, 1) ?? '';
      const code = leaf(piece(msh9, d.component, 1) ?? '');
      const trigger = leaf(piece(msh9, d.component, 2) ?? '');
      const c10 = f(10);
      this.header = {
        type: trigger === '' ? code : `${code}^${trigger}`,
        controlId: c10.indexOf(d.component) === -1 && c10.indexOf(d.repetition) === -1 ? leaf(c10) : c10,
        version: leaf(piece(piece(f(12), d.repetition, 1) ?? '', d.component, 1) ?? ''),
      };
    }
    return this.header;
  }
}

function padTo(arr: string[], n: number): string[] {
  while (arr.length < n) arr.push('');
  return arr;
}
