import { LoomError } from '../../kernel/index.js';
import type { ProcessDefinition } from './types.js';

/**
 * Define a process (EIP ProcessManager). `apply` must be pure: the kernel persists what it returns.
 *
 * @example
 * const p = defineProcess({ name: 'x', correlate: (e) => e.correlation.encounter, initial: () => ({ n: 0 }),
 *   apply: (s) => ({ state: { n: s.n + 1 }, effects: [], status: 'open' }) });
 */
export function defineProcess<S>(definition: ProcessDefinition<S>): ProcessDefinition<S> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new LoomError('process.definition.name', `process name "${definition.name}" is not kebab-case`, { hint: 'use e.g. implant-case' });
  }
  return Object.freeze({ ...definition });
}
