import { LoomError } from '../../kernel/errors.js';
import { encodingCharacters, type Hl7Delimiters } from './delimiters.js';
import { decodeEscapes, encodeEscapes } from './escape.js';
import { BHS_CODE, FHS_CODE, isHeaderSegment, MSH_CODE, nameCode, piece } from './fields.js';
import { formatHl7Path, parseHl7Path, type Hl7Path } from './path.js';

/**
 * A parsed HL7 v2 message. Lazy and index-based: segment bounds are found once at parse time; field
 * separators are located on first read, up to the field asked for, and escapes are decoded only for
 * the value returned. No segment or field string is cut until it is read.
 *
 * `get` rules: undefined when the segment occurrence or the repetition does not exist; '' for an
 * empty or trailing-omitted field/component; an element that still holds lower delimiters
 * (`PID-5` = `DOE^JOHN`) is returned as written, a leaf is escape-decoded; explicit null stays `""`.
 */
export class Hl7Message {
  readonly delimiters: Hl7Delimiters;
  private readonly text: string;
  /** Segment i is `(over[i] ?? text).slice(starts[i], ends[i])`; `over` holds segments changed by `set`. */
  private readonly starts: number[];
  private readonly ends: number[];
  private readonly over: (string | undefined)[];
  private readonly codes: number[];
  /** Field separator positions found so far per segment; `done` once the segment end was reached. */
  private readonly seps: (number[] | undefined)[];
  private readonly done: boolean[];
  private header: { type: string; controlId: string; version: string } | undefined;
  /** Set by rawAt: the value read holds no lower delimiters, so get decodes its escapes. */
  private leaf = false;

  /**
   * Build from segment strings (first MSH) or from a text with segment bounds. Use `parseHl7v2` instead.
   */
  constructor(segments: string[] | { text: string; starts: number[]; ends: number[] }, delimiters: Hl7Delimiters) {
    this.delimiters = delimiters;
    if (Array.isArray(segments)) {
      this.text = '';
      this.starts = segments.map(() => 0);
      this.ends = segments.map((seg) => seg.length);
      this.over = segments.slice();
    } else {
      this.text = segments.text;
      this.starts = segments.starts;
      this.ends = segments.ends;
      this.over = new Array<string | undefined>(this.starts.length);
    }
    const n = this.starts.length;
    this.codes = new Array<number>(n);
    for (let i = 0; i < n; i++) this.codes[i] = nameCode(this.over[i] ?? this.text, this.starts[i]);
    this.seps = new Array<number[] | undefined>(n);
    this.done = new Array<boolean>(n).fill(false);
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
    return this.starts.length;
  }

  /** Segment names in order (`['MSH', 'EVN', 'PID', ...]`). */
  segmentNames(): string[] {
    return this.codes.map((c) => String.fromCharCode(c >> 16, (c >> 8) & 255, c & 255));
  }

  /** Raw text of the i-th segment (0-based), as written on the wire. */
  segmentText(index: number): string | undefined {
    if (index < 0 || index >= this.starts.length) return undefined;
    return (this.over[index] ?? this.text).slice(this.starts[index], this.ends[index]);
  }

  /** How many segments carry this name. */
  count(segment: string): number {
    const code = nameCode(segment);
    let n = 0;
    for (const c of this.codes) if (c === code) n++;
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
    if (raw === undefined || !this.leaf) return raw;
    return raw.indexOf(this.delimiters.escape) === -1 ? raw : decodeEscapes(raw, this.delimiters);
  }

  /** True when the value at `path` is the explicit null `""` (as opposed to empty or absent). */
  isNull(path: string): boolean {
    return this.rawAt(parseHl7Path(path)) === '""';
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
    const f = (this.segmentText(index) ?? '').split(this.delimiters.field);
    if (isHeaderCode(this.codes[index])) f.splice(1, 0, this.delimiters.field);
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
      this.over.push(p.segment);
      this.starts.push(0);
      this.ends.push(3);
      this.codes.push(nameCode(p.segment));
      this.seps.push(undefined);
      this.done.push(false);
      idx = this.starts.length - 1;
    }
    const fields = (this.segmentText(idx) ?? '').split(d.field);
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
    const seg = fields.join(d.field);
    this.over[idx] = seg;
    this.starts[idx] = 0;
    this.ends[idx] = seg.length;
    this.seps[idx] = undefined;
    this.done[idx] = false;
    if (idx === 0) this.header = undefined;
    return this;
  }

  /** Serialize with CR after every segment, whatever terminator the input used. */
  toString(): string {
    let out = '';
    for (let i = 0; i < this.starts.length; i++) out += this.segmentText(i) + '\r';
    return out;
  }

  /** Index (0-based) of the n-th occurrence of a segment, -1 when absent. */
  findSegment(name: string, occurrence = 1): number {
    const code = nameCode(name);
    const codes = this.codes;
    let seen = 0;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] === code && ++seen === occurrence) return i;
    }
    return -1;
  }

  /** Text of split index k of segment i (k = 0 is the name), '' past the end; separators found lazily up to k. */
  private splitField(index: number, k: number): string {
    let sep = this.seps[index];
    if (sep === undefined) {
      sep = [];
      this.seps[index] = sep;
    }
    const src = this.over[index] ?? this.text;
    const start = this.starts[index];
    const end = this.ends[index];
    if (sep.length <= k && !this.done[index]) {
      // a char loop beats one indexOf call per field: fields are short and often empty
      const fs = this.delimiters.field.charCodeAt(0);
      let at = sep.length === 0 ? start : sep[sep.length - 1] + 1;
      for (; at < end; at++) {
        if (src.charCodeAt(at) === fs) {
          sep.push(at);
          if (sep.length > k) break;
        }
      }
      if (at >= end) this.done[index] = true;
    }
    if (k > sep.length) return '';
    const fieldStart = k === 0 ? start : sep[k - 1] + 1;
    return src.slice(fieldStart, k < sep.length ? sep[k] : end);
  }

  /** Raw text of field n of segment i; MSH-1 is the separator and MSH-2 the encoding characters. */
  private rawField(index: number, n: number): string {
    if (isHeaderCode(this.codes[index])) {
      if (n === 1) return this.delimiters.field;
      if (n === 2) return encodingCharacters(this.delimiters);
      return this.splitField(index, n - 1);
    }
    return this.splitField(index, n);
  }

  /** Raw (undecoded) text at a path; sets `leaf` when it holds no lower delimiters (no object allocated per read). */
  private rawAt(p: Hl7Path): string | undefined {
    const idx = this.findSegment(p.segment, p.segmentIndex);
    if (idx === -1) return undefined;
    if (p.field === 0) {
      this.leaf = false;
      return this.segmentText(idx) ?? '';
    }
    const f = this.rawField(idx, p.field);
    const d = this.delimiters;
    // MSH-1 and MSH-2 are never split or decoded: they are the delimiters themselves
    if (p.field <= 2 && isHeaderSegment(p.segment)) {
      this.leaf = false;
      return p.repetition === 1 && p.component <= 1 && p.subcomponent <= 1 ? f : undefined;
    }
    let rep: string | undefined = f;
    if (p.repetition > 1 || f.indexOf(d.repetition) !== -1) {
      rep = piece(f, d.repetition, p.repetition);
      if (rep === undefined) return undefined;
    }
    if (p.component === 0) {
      this.leaf = rep.indexOf(d.component) === -1 && rep.indexOf(d.subcomponent) === -1;
      return rep;
    }
    const comp = piece(rep, d.component, p.component) ?? '';
    if (p.subcomponent === 0) {
      this.leaf = comp.indexOf(d.subcomponent) === -1;
      return comp;
    }
    this.leaf = true;
    return piece(comp, d.subcomponent, p.subcomponent) ?? '';
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

function isHeaderCode(code: number): boolean {
  return code === MSH_CODE || code === FHS_CODE || code === BHS_CODE;
}

function padTo(arr: string[], n: number): string[] {
  while (arr.length < n) arr.push('');
  return arr;
}
