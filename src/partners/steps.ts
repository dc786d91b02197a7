import { parseX12, readX12Header } from '../codecs/x12/index.js';
import { Headers, type StepContext, type StepFactory, type StepRegistry } from '../engine/index.js';
import { LoomError } from '../kernel/index.js';
import { restampInterchange } from './restamp.js';
import type { PartnerService } from './service.js';

/** The key that identifies one logical message across crash re-runs and replays (the effect base). */
function messageKey(ctx: StepContext): string {
  return ctx.envelope.headers[Headers.effectBase] ?? ctx.envelope.id;
}

function partnerOption(options: Record<string, unknown>, where: string): string | undefined {
  if (options.partner === undefined) return undefined;
  if (typeof options.partner !== 'string' || options.partner === '') {
    throw new LoomError('engine.step.options', `${where}.with.partner must be a partner id`, { location: `${where}.with.partner` });
  }
  return options.partner;
}

/**
 * `x12-partner-inbound`: check ISA13/GS06 against the partner's sequence. A gap or duplicate
 * fails the message with the LoomError (stored, searchable, replayable; never dropped). A 997/999
 * marks the groups it acknowledges (`recordAck`).
 * Options: `partner` (default: by ISA06), `onGap: fail|pass` (default fail).
 */
function inboundStep(service: PartnerService): StepFactory {
  return (options) => {
    const fixed = partnerOption(options, 'x12-partner-inbound');
    const onGap = options.onGap === 'pass' ? 'pass' : 'fail';
    return async (ctx) => {
      const header = readX12Header(ctx.payload);
      const partner = fixed ?? service.findByIsaId(header.senderId)?.partnerId;
      if (!partner) {
        throw new LoomError('x12.partner.unknown', `ISA06 ${header.senderId} is not a trading partner`, { location: 'ISA06', hint: 'add a profile for the sender or route it to another channel' });
      }
      ctx.setKey('partner', partner);
      ctx.setKey('x12ControlNumber', header.controlNumber);
      const check = await service.recordInbound(partner, header.controlNumber, header.groups.map((g) => g.controlNumber), { messageKey: messageKey(ctx) });
      ctx.data.x12Control = check;
      const blocking = check.issues.filter((e) => e.code === 'x12.control.duplicate' || onGap === 'fail');
      if (blocking.length > 0) {
        const first = blocking[0];
        const rest = blocking.slice(1).map((e) => e.message);
        throw new LoomError(first.code, [first.message, ...rest].join('; '), { ...(first.location ? { location: first.location } : {}), ...(first.hint ? { hint: first.hint } : {}) });
      }
      for (const issue of check.issues) ctx.logger.warn({ code: issue.code, partner }, issue.message);
      // A 997/999 answers groups we sent: mark them (AK1-02 → our GS06, AK9-01 → status).
      if (header.transactionTypes.some((t) => t === '997' || t === '999')) {
        const outcomes = await service.recordAck(ctx.payload);
        ctx.data.x12Acks = outcomes;
        for (const o of outcomes) {
          ctx.setKey('ackedGroup', o.gs06);
          if (o.issue) ctx.logger.warn({ code: o.issue.code, partner }, o.issue.message);
        }
      }
    };
  };
}

/**
 * `x12-partner-outbound`: stamp fresh ISA13/IEA02, GS06/GE02 and ST02/SE02, the profile's ISA/GS
 * ids and delimiters into the outgoing interchange (one group) and expect the partner's
 * acknowledgement. The same message (re-run, resend) keeps its numbers. Options: `partner` (default: by ISA08).
 */
function outboundStep(service: PartnerService): StepFactory {
  return (options) => {
    const fixed = partnerOption(options, 'x12-partner-outbound');
    return async (ctx) => {
      const ic = parseX12(ctx.payload);
      const partner = fixed ?? service.findByIsaId(ic.receiverId)?.partnerId;
      if (!partner) {
        throw new LoomError('x12.partner.unknown', `ISA08 ${ic.receiverId} is not a trading partner`, { location: 'ISA08', hint: 'add a profile for the receiver or name it in with.partner' });
      }
      if (ic.next) throw new LoomError('x12.partner.interchanges', 'the outgoing payload holds more than one interchange', { location: 'IEA', hint: 'send one interchange per message (split first)' });
      if (ic.groups.length !== 1) {
        throw new LoomError('x12.partner.groups', `the outgoing interchange has ${ic.groups.length} functional groups; one is supported`, { location: 'GS', hint: 'build one interchange per group' });
      }
      const group = ic.groups[0];
      const profile = service.profile(partner);
      const isa12 = profile.version === '005010' ? '00501' : '00401';
      if (ic.isaVersion !== isa12) {
        throw new LoomError('x12.partner.version', `partner ${partner} trades ${profile.version} but the interchange is ISA12 ${ic.isaVersion}`, { location: 'ISA12', hint: 'build the interchange in the version of the partner profile' });
      }
      // A dry run with placeholder numbers first: a delimiter clash must not burn control numbers.
      restampInterchange(ic, profile, { partner, isa13: '000000000', gs06: '0', st02: group.sets.map(() => '0000'), reused: false });
      const n = await service.nextOutbound(partner, { sets: group.sets.length, messageKey: messageKey(ctx) });
      const text = restampInterchange(ic, profile, n);
      const expected = await service.expectAck(partner, n.isa13, n.gs06);
      ctx.setKey('partner', partner);
      ctx.setKey('x12ControlNumber', n.isa13);
      ctx.data.x12Outbound = { ...n, expected };
      return { payload: text };
    };
  };
}

/**
 * Register `x12-partner-inbound` and `x12-partner-outbound` on an engine's step registry.
 *
 * @example registerPartnerSteps(registry, new PartnerService({ dataDir, partners }));
 */
export function registerPartnerSteps(registry: StepRegistry, service: PartnerService): void {
  registry.register('x12-partner-inbound', inboundStep(service));
  registry.register('x12-partner-outbound', outboundStep(service));
}
