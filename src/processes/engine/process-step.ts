import { CanonicalEvent } from '../../canonical/index.js';
import { Headers, type StepFactory, type StepRegistry } from '../../engine/index.js';
import { LoomError } from '../../kernel/index.js';
import type { Effect, ProcessManager } from '../kernel/index.js';

/** Content type of a split child that carries one process effect. */
export const EFFECT_CONTENT_TYPE = 'application/vnd.loom.process-effect+json';

const decoder = new TextDecoder();

/**
 * `process` step: the payload is a canonical event (JSON); the ProcessManager applies it and every
 * effect becomes a split child (payload: the effect as JSON). No effect → the message is filtered
 * with the instances' status as the reason. `with: { name }` limits the first hop to that process.
 */
export function processStep(manager: ProcessManager): StepFactory {
  return (options) => {
    const names = options.name === undefined ? undefined : (Array.isArray(options.name) ? options.name : [options.name]).map(String);
    for (const n of names ?? []) {
      if (!manager.names().includes(n)) {
        throw new LoomError('process.unknown', `process step names "${n}" which is not defined`, { location: 'process.with.name', hint: `defined: ${manager.names().join(', ')}` });
      }
    }
    return async (ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(ctx.text());
      } catch (cause) {
        throw new LoomError('process.event.invalid', 'process step needs a canonical event as JSON, and the payload is not JSON', { cause, hint: 'translate to a canonical event before the process step' });
      }
      const parsed = CanonicalEvent.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new LoomError('process.event.invalid', `payload is not a canonical event: ${issue?.path.join('.') || '$'} ${issue?.message ?? ''}`.trim(), {
          location: issue?.path.join('.') || '$', hint: 'translate to a canonical event (src/canonical) before the process step',
        });
      }
      const event = parsed.data;
      if (event.correlation.encounter) ctx.setCorrelationId(event.correlation.encounter);
      // the effect base is the root message id (a replay keeps its original's), so a replay re-emits like crash recovery does
      const source = ctx.envelope.headers[Headers.effectBase] ?? ctx.envelope.id;
      const result = await manager.handle(event, { source, ...(names ? { only: names } : {}) });
      if (result.effects.length === 0) {
        const why = result.applied.map((a) => `${a.instanceId}: ${a.duplicate ? 'duplicate event' : a.status}`).join('; ') || 'no process correlates this event';
        return { drop: `process: no effect (${why})` };
      }
      return { split: result.effects.map((e) => ({ payload: JSON.stringify(e), contentType: EFFECT_CONTENT_TYPE })) };
    };
  };
}

/**
 * `process-effect` step (after `process`, runs in each child): sets the effect's idempotency key
 * (`<destination>:<effect key>`), routes to the channel destination mapped from the logical one
 * (`with: { destinations: { erp: 'erp-journal' } }`; unmapped names pass through), and replaces
 * the payload with the effect's own payload as JSON.
 */
export const processEffectStep: StepFactory = (options) => {
  const map = (options.destinations ?? {}) as Record<string, unknown>;
  return (ctx) => {
    if (ctx.contentType !== EFFECT_CONTENT_TYPE) {
      throw new LoomError('process.effect.invalid', `process-effect expects ${EFFECT_CONTENT_TYPE}, got ${ctx.contentType}`, { hint: 'put process-effect right after the process step' });
    }
    const effect = JSON.parse(decoder.decode(ctx.payload)) as Effect;
    ctx.setEffectKey(effect.key);
    ctx.setKey('effectKey', effect.key);
    const target = map[effect.destination];
    const destinations = target === undefined ? [effect.destination] : (Array.isArray(target) ? target : [target]).map(String);
    return { payload: JSON.stringify(effect.payload), contentType: 'application/json', destinations };
  };
};

/**
 * Register `process` and `process-effect` on a step registry.
 *
 * @example
 * registerProcessSteps(registry, pm);
 * // steps: [{ use: 'process', with: { name: 'implant-case' } }, { use: 'process-effect', with: { destinations: { erp: 'erp' } } }]
 */
export function registerProcessSteps(registry: StepRegistry, manager: ProcessManager): void {
  registry.register('process', processStep(manager));
  registry.register('process-effect', processEffectStep);
}
