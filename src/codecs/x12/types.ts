/** Delimiters read from the ISA segment of one interchange. */
export interface X12Delimiters {
  /** ISA position 4 (the character after `ISA`). */
  element: string;
  /** ISA16. */
  component: string;
  /** ISA11 in 005010+ when it is not an alphanumeric standards id; undefined in 004010 ('U'). */
  repetition?: string;
  /** The character after ISA16; `\n` when the interchange uses newline-only terminators. */
  segment: string;
}

/** One segment; `elements[0]` is element 01. Element text is kept raw (components unsplit). */
export interface X12Segment {
  id: string;
  elements: string[];
  /** 1-based position of the segment within its interchange. */
  position: number;
  /** Exact text after the segment's content: terminator plus any CR/LF that followed it. */
  after: string;
}

export interface X12TransactionSet {
  /** ST01, e.g. `850`. */
  type: string;
  /** ST02. */
  controlNumber: string;
  /** Segments from ST to SE inclusive (SE absent when the trailer is missing). */
  segments: X12Segment[];
  st: X12Segment;
  se?: X12Segment;
  /** ISA16 of the enclosing interchange, used to split components in `get`. */
  componentSeparator: string;
  /** Value at a path like `BEG03`, `IT1[2]04`, `SV101-2`; undefined when absent. */
  get(path: string): string | undefined;
}

export interface X12FunctionalGroup {
  /** GS01, e.g. `PO`. */
  functionalId: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. `004010VICS`. */
  version: string;
  gs: X12Segment;
  ge?: X12Segment;
  sets: X12TransactionSet[];
}

export interface X12Interchange {
  delimiters: X12Delimiters;
  isa: X12Segment;
  iea?: X12Segment;
  groups: X12FunctionalGroup[];
  /** Every segment of this interchange in order (ISA..IEA). */
  segments: X12Segment[];
  /** ISA06 and ISA08 trimmed. */
  senderId: string;
  receiverId: string;
  /** ISA13. */
  controlNumber: string;
  /** ISA12, e.g. `00401`. */
  isaVersion: string;
  /** True when the input began with a UTF-8 byte order mark (re-emitted by serializeX12). */
  bom: boolean;
  /** A further interchange that followed this one's IEA in the same input. */
  next?: X12Interchange;
}
