import { codecFor, detectFormat, isFormatName, type FormatName } from '../../codecs/index.js';
import { Hl7Message } from '../../codecs/hl7v2/index.js';
import { LoomError, toLoomError } from '../../kernel/index.js';
import { readFile } from 'node:fs/promises';
import { hl7ToFhirBundle, loadCrosswalkCsv, type Crosswalk } from '../../mappings/index.js';
import { stringOption, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { readInput } from '../input.js';

/**
 * `loom convert <file|-> --to json|fhir`: json is the codec's documented JSON form of the parse tree;
 * fhir maps HL7 v2 ADT/DFT (and other messages with PID/PV1) to a FHIR R4 transaction Bundle.
 * Unparseable or unmappable input prints the LoomError (code, field location, hint) and exits 2.
 */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert a message to JSON (any format) or to a FHIR R4 Bundle (HL7 v2)',
  usage: 'loom convert <file|-> --to json|fhir [--format hl7v2|x12|udi|fhir|csv|auto] [--identifier-systems crosswalk.csv]',
  options: { to: { type: 'string' }, format: { type: 'string', default: 'auto' }, 'identifier-systems': { type: 'string' } },
  async run(args, io) {
    const to = stringOption(args, 'to');
    if (to !== 'json' && to !== 'fhir') {
      throw new LoomError('cli.option.invalid', `--to must be json or fhir, got ${to === undefined ? 'nothing' : `"${to}"`}`, { location: '--to', hint: 'e.g. loom convert adt.hl7 --to fhir' });
    }
    const identifierSystems = await readIdentifierSystems(stringOption(args, 'identifier-systems'));
    const { bytes, name } = await readInput(args.positionals[0]);
    const requested = stringOption(args, 'format') ?? 'auto';
    let format: FormatName | undefined;
    if (requested === 'auto') format = detectFormat(bytes, name);
    else if (isFormatName(requested)) format = requested;
    else throw new LoomError('cli.option.invalid', `--format must be auto, hl7v2, x12, udi, fhir or csv, got "${requested}"`, { location: '--format' });
    if (!format) throw new LoomError('cli.format.unknown', `cannot tell the format of ${name}`, { location: name, hint: 'pass --format hl7v2|x12|udi|fhir|csv' });
    try {
      const codec = codecFor(format);
      const parsed = codec.parse(bytes);
      if (to === 'json') {
        io.out(`${JSON.stringify(codec.toJson(parsed), null, 2)}\n`);
        return ExitCode.ok;
      }
      if (!(parsed instanceof Hl7Message)) {
        throw new LoomError('convert.unsupported', `--to fhir converts HL7 v2 messages; ${name} is ${format}`, { location: name, hint: 'use --to json for other formats' });
      }
      io.out(`${JSON.stringify(hl7ToFhirBundle(parsed, identifierSystems ? { identifierSystems } : {}), null, 2)}\n`);
      return ExitCode.ok;
    } catch (err) {
      const e = toLoomError(err);
      if (e.code.startsWith('cli.')) throw e;
      io.err(`${JSON.stringify([e.toJSON()], null, 2)}\n`);
      return ExitCode.invalid;
    }
  },
};

/** `--identifier-systems`: a crosswalk CSV of `code,assigning-authority,<CX-4>,fhir-identifier-system,<URI>` rows. */
async function readIdentifierSystems(file: string | undefined): Promise<Crosswalk | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new LoomError('cli.file.unreadable', `cannot read ${file}: ${String(cause)}`, { location: '--identifier-systems', cause });
  }
  const { crosswalk, errors } = loadCrosswalkCsv(text, { version: 'cli', effectiveDate: '1970-01-01' });
  const first = errors[0];
  if (first) throw new LoomError('cli.option.invalid', `${file} line ${first.line}: ${first.message}`, { location: '--identifier-systems', hint: 'rows: code,assigning-authority,<CX-4 namespace or OID>,fhir-identifier-system,<URI>' });
  return crosswalk;
}
