import { listenHttp, sendJson } from '../http.js';
import { SimLog, type SimLogEntry } from '../sim-log.js';
import type { SimCase, TimelineStep } from '../scenario/types.js';
import { applyStage, handleFhir, ResourceVersions, type CaseRecord } from './fhir.js';
import { MllpSender, parseMllpUrl, type SendResult } from './mllp-sender.js';

export interface EhrSimulatorOptions {
  /**
   * Where HL7 goes: `mllp://127.0.0.1:2575`. May be left out and given later with `aim`, so the
   * FHIR API can be up before the receiver exists (the estate's Loom polls it from its first start).
   */
  target?: string;
  /** FHIR API port (0 = free port). */
  port?: number;
  host?: string;
  ackTimeoutMs?: number;
  maxAttempts?: number;
  logFile?: string;
}

export interface EhrStats {
  sent: number;
  /** Count per MSA-1 code (AA, AE, AR, CA, ... or `timeout`). */
  acks: Record<string, number>;
  resends: number;
  log: SimLogEntry[];
}

export interface EhrSimulator {
  /** FHIR base is `${url}/fhir/R4`. */
  url: string;
  port: number;
  /** Point the HL7 sender at its receiver (when `target` was not given at start, or to move it). */
  aim(target: string): void;
  /** Register cases so FHIR can show them as their messages go out. */
  addCases(cases: readonly SimCase[]): void;
  /** Send one HL7 timeline step over MLLP, wait for its ACK (resending on timeout), record its stage. */
  sendStep(step: Extract<TimelineStep, { kind: 'hl7' }>): Promise<SendResult>;
  /** Send a raw HL7 message (no FHIR bookkeeping). */
  sendRaw(message: string): Promise<SendResult>;
  stats(): EhrStats;
  stop(): Promise<void>;
}

/**
 * The EHR peer: HL7 v2 over MLLP out (ADT, SIU, DFT, procedures with implant UDIs), FHIR R4 in.
 *
 * @example
 * const ehr = await startEhrSimulator({ target: 'mllp://127.0.0.1:2575' });
 * ehr.addCases(day.cases); for (const s of day.timeline) if (s.kind === 'hl7') await ehr.sendStep(s);
 */
export async function startEhrSimulator(options: EhrSimulatorOptions): Promise<EhrSimulator> {
  const log = new SimLog('ehr', { file: options.logFile });
  const records = new Map<string, CaseRecord>();
  const versions = new ResourceVersions();
  const acks: Record<string, number> = {};
  let sent = 0;
  let resends = 0;
  let sender: MllpSender | undefined;
  const aim = (target: string): void => {
    sender?.close();
    sender = new MllpSender(parseMllpUrl(target), {
      ackTimeoutMs: options.ackTimeoutMs, maxAttempts: options.maxAttempts,
      onEvent: (event, fields) => { if (event === 'ack.timeout' || event === 'connection.dropped') resends++; log.write(event, fields); },
    });
  };
  if (options.target !== undefined) aim(options.target);
  const listener = await listenHttp((req, res, url) => {
    if (handleFhir(records.values(), req, res, url, `http://${options.host ?? '127.0.0.1'}:${listener.port}`, versions)) return;
    if (url.pathname === '/__sim/state') { sendJson(res, 200, { cases: [...records.values()], stats: { sent, acks, resends } }); return; }
    sendJson(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: url.pathname }] });
  }, { port: options.port, host: options.host });

  async function deliver(message: string, controlId: string, fields: Record<string, unknown>): Promise<SendResult> {
    if (!sender) throw new Error('the EHR simulator has no HL7 receiver yet: call aim(mllp://host:port) first');
    sent++;
    const result = await sender.send(message, controlId);
    acks[result.ackCode] = (acks[result.ackCode] ?? 0) + 1;
    log.write('sent', { controlId, ackCode: result.ackCode, attempts: result.attempts, ...fields });
    return result;
  }

  return {
    url: listener.url,
    port: listener.port,
    aim,
    addCases(cases) {
      for (const c of cases) if (!records.has(c.caseId)) records.set(c.caseId, { case: c, scheduled: false, admitted: false, procedureDone: false, discharged: false });
    },
    async sendStep(step) {
      const result = await deliver(step.message, step.controlId, { messageType: step.messageType, caseId: step.caseId, ...(step.injected ? { injected: step.injected } : {}) });
      // the EHR's own chart changes whether or not the receiver accepted the message
      const rec = records.get(step.caseId);
      if (rec && !step.injected) applyStage(rec, step.stage, step.at);
      return result;
    },
    sendRaw: (message) => deliver(message, /^MSH\|[^\r]*/.exec(message)?.[0].split('|')[9] ?? '', {}),
    stats: () => ({ sent, acks: { ...acks }, resends, log: [...log.entries] }),
    async stop() { sender?.close(); await listener.close(); },
  };
}
