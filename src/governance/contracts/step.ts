import type { StepFactory } from '../../engine/types.js';
import { LoomError } from '../../kernel/errors.js';
import type { ContractRegistry } from './registry.js';

/**
 * The `contract` step a channel gets when it pins `contract: { name, version }`: the message is
 * checked against that version and fails with LoomError `contract.violation` (first violation's
 * location, all of them in the message) when it does not conform. An unknown or unapproved pin
 * fails each message with `contract.unknown` / `contract.version.unapproved` until it is fixed,
 * so nothing passes unchecked.
 *
 * @example registry.register('contract', contractStep(contracts));
 */
export function contractStep(contracts: ContractRegistry): StepFactory {
  return (options) => {
    const name = typeof options.name === 'string' ? options.name : '';
    const version = typeof options.version === 'number' ? options.version : Number(options.version);
    return async (ctx) => {
      const check = await contracts.checkerFor(name, version);
      const violations = check(ctx.payload);
      const [first] = violations;
      if (!first) return;
      const more = violations.length > 1 ? `; ${violations.length - 1} more: ${violations.slice(1, 6).map((v) => `${v.location ?? ''} ${v.message}`.trim()).join('; ')}` : '';
      throw new LoomError('contract.violation', `${first.message}${more}`, {
        ...(first.location ? { location: first.location } : {}),
        hint: first.hint ?? `the channel pins contract ${name}@${version}: fix the sender or register and pin a version that allows this`,
      });
    };
  };
}
