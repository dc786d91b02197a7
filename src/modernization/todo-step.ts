import type { StepFactory } from '../engine/index.js';
import { LoomError } from '../kernel/errors.js';

/**
 * `migration-todo`: a step that came over from a legacy engine without a Loom equivalent (a Mirth
 * JavaScript transformer, say). It fails every message with `migration.todo`, naming where it came
 * from, so a half-migrated channel never passes messages as if the logic were there. The original
 * script rides along in `with.script` for whoever ports it.
 *
 * @example
 * steps: [{ use: migration-todo, with: { from: 'Mirth channel "ADT", source, javascript step "Normalize"', script: '...' } }]
 */
export const migrationTodoStep: StepFactory = (options) => {
  const from = typeof options.from === 'string' ? options.from : 'a legacy engine';
  const why = typeof options.why === 'string' ? options.why : 'it has no Loom equivalent yet';
  return () => {
    throw new LoomError('migration.todo', `this step was migrated from ${from} and is not ported yet: ${why}`, {
      hint: 'port the original script (with.script in loom.config.yaml) to a mapping or a TypeScript step, then remove this step',
    });
  };
};
