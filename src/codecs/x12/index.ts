export type { X12Delimiters, X12FunctionalGroup, X12Interchange, X12Segment, X12TransactionSet } from './types.js';
export { parseX12, decodeX12Input } from './parse.js';
export { getX12, parseX12Path, type X12Path } from './path.js';
export { serializeX12, segmentText } from './serialize.js';
export { validateX12, checkX12Envelope, analyzeX12, x12Version, SUPPORTED_X12_VERSIONS, type X12SetAnalysis, type X12GroupAnalysis, type X12InterchangeAnalysis } from './validate.js';
export type { X12EnvelopeIssue } from './envelope.js';
export type { X12SetIssue } from './spec-match.js';
export { x12Rules, type X12Rule, type X12SegmentRule, type X12LoopRule, type X12TransactionSpec } from './spec-rules.js';
export { registerX12Spec, getX12Spec } from './specs.js';
export { buildX12Interchange, type X12EnvelopeOptions, type X12SetBody } from './build-envelope.js';
export {
  build850, build856, build810, build820,
  type X12Party, type X12ItemIds, type X12PoLine, type X12PurchaseOrder, type X12Asn, type X12AsnItem, type X12Invoice, type X12InvoiceLine, type X12Remittance,
} from './build-docs.js';
export { build997, build999, buildTa1, type X12AckOptions } from './ack.js';
export { readX12Header, type X12Header } from './header.js';
export { x12ToJson, type X12SegmentJson } from './to-json.js';
export { x12Codec } from './codec.js';
