import { checkRow, GENESIS_HASH, writtenAt } from './chain.js';
import type { AuditRecord, AuditStore, ChainProblem, VerifyResult } from './types.js';

const PAGE = 1000;

/**
 * Walk the whole log in seq order and check every row's hash and link. Stops at the first broken
 * row and says what happened to it: `edited` (content changed, with or without its hash
 * recomputed), `deleted` (a seq missing, or rows renumbered after one went), `reordered` (a row
 * linking to a row that is not its predecessor).
 *
 * Deleting the newest rows leaves a shorter, valid chain: compare `head` with one recorded
 * elsewhere (a ticket, a SIEM) to catch that.
 *
 * @example const result = await verifyChain(store); if (!result.ok) console.log(result.message);
 */
export async function verifyChain(store: Pick<AuditStore, 'scan' | 'findByHash'>): Promise<VerifyResult> {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await store.scan(expected - 1, PAGE);
    for (const row of page) {
      const broken = await diagnose(store, row, expected, prevHash);
      if (broken) return { ok: false, rows: expected - 1, ...broken };
      prevHash = row.hash;
      expected += 1;
    }
    if (page.length < PAGE) break;
  }
  const rows = expected - 1;
  return rows === 0 ? { ok: true, rows } : { ok: true, rows, head: { seq: rows, hash: prevHash } };
}

type Broken = { seq: number; problem: ChainProblem; message: string };

async function diagnose(store: Pick<AuditStore, 'findByHash'>, row: AuditRecord, expected: number, prevHash: string): Promise<Broken | undefined> {
  const { inPlace, intact, linked } = checkRow(row, expected, prevHash);
  if (!inPlace) {
    const missing = row.seq - expected === 1 ? `row ${expected} is` : `rows ${expected}–${row.seq - 1} are`;
    return { seq: expected, problem: 'deleted', message: `${missing} missing: the log jumps from row ${expected - 1} to row ${row.seq} (deleted)` };
  }
  if (intact && linked) return undefined;
  if (linked) {
    return { seq: expected, problem: 'edited', message: `row ${expected} was edited: its content no longer matches its hash` };
  }
  // The link to the previous row is broken: find the row this one was written after.
  const predecessor = await store.findByHash(row.prevHash);
  if (predecessor && predecessor.seq !== expected - 1) {
    const seq = intact ? expected - 1 : expected;
    return { seq, problem: 'reordered', message: `row ${seq} is out of order: row ${expected} was written right after the row now at ${predecessor.seq} (rows reordered)` };
  }
  if (intact) {
    if (expected === 1) return { seq: 1, problem: 'edited', message: 'row 1 was edited: it does not start the chain' };
    return { seq: expected - 1, problem: 'edited', message: `row ${expected - 1} was edited and its hash recomputed: row ${expected} still links to the original` };
  }
  const original = writtenAt(row, expected);
  if (original !== undefined) {
    const n = original - expected;
    return { seq: expected, problem: 'deleted', message: `${n} row${n === 1 ? '' : 's'} before row ${expected} ${n === 1 ? 'was' : 'were'} deleted and the rest renumbered: row ${expected} was written as row ${original}` };
  }
  return { seq: expected, problem: 'edited', message: `row ${expected} was edited: neither its content nor its link matches the chain` };
}
