import { codecFor, detectFormat, isFormatName, type FormatCodec, type FormatName } from '../../codecs/index.js';
import { LoomError, toLoomError } from '../../kernel/index.js';
import { ExitCode } from '../exit-codes.js';
import { intOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { readInput } from '../input.js';

const formatOption = { format: { type: 'string', default: 'auto' } } as const;

interface Loaded {
  codec: FormatCodec<unknown>;
  parsed: unknown;
}

/** Read, detect and parse the input; a parse failure prints the errors as JSON on stderr. */
async function load(args: ParsedArgs): Promise<Loaded> {
  const { bytes, name } = await readInput(args.positionals[0]);
  const requested = stringOption(args, 'format') ?? 'auto';
  let format: FormatName | undefined;
  if (requested === 'auto') {
    format = detectFormat(bytes, name);
    if (!format) {
      throw new LoomError('cli.format.unknown', `cannot tell the format of ${name}`, {
        location: name,
        hint: 'pass --format hl7v2|x12|udi|fhir|csv',
      });
    }
  } else if (isFormatName(requested)) {
    format = requested;
  } else {
    throw new LoomError('cli.option.invalid', `--format must be auto, hl7v2, x12, udi, fhir or csv, got "${requested}"`, {
      location: '--format',
    });
  }
  const codec = codecFor(format);
  return { codec, parsed: codec.parse(bytes) };
}

function printErrors(io: CliIo, errors: unknown[]): void {
  io.err(`${JSON.stringify(errors.map((e) => (e instanceof LoomError ? e.toJSON() : e)), null, 2)}\n`);
}

/** Run a codec command body; LoomErrors from parsing become a JSON error list and exit 2. */
async function withParsed(args: ParsedArgs, io: CliIo, body: (loaded: Loaded) => ExitCode): Promise<ExitCode> {
  let loaded: Loaded;
  try {
    loaded = await load(args);
  } catch (error) {
    const loomError = toLoomError(error);
    if (loomError.code.startsWith('cli.')) throw loomError;
    printErrors(io, [loomError]);
    return ExitCode.invalid;
  }
  return body(loaded);
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'Parse and validate a message or file; print a JSON summary',
  usage: 'loom parse <file|-> [--format hl7v2|x12|udi|fhir|csv|auto]',
  options: formatOption,
  run: (args, io) =>
    withParsed(args, io, ({ codec, parsed }) => {
      const report = codec.validate(parsed);
      if (report.errors.length > 0) {
        printErrors(io, report.errors);
        return ExitCode.invalid;
      }
      const summary = codec.summarize(parsed);
      summary.warnings = [...summary.warnings, ...report.warnings];
      io.out(`${JSON.stringify(summary, null, 2)}\n`);
      return ExitCode.ok;
    }),
};

export const getCommand: Command = {
  name: 'get',
  summary: 'Print decoded values at paths (PID-5.1, BEG03, gtin...), one per line',
  usage: 'loom get <file|-> <path>... [--message N] [--transaction N] [--format F]',
  options: { ...formatOption, message: { type: 'string' }, transaction: { type: 'string' } },
  run: (args, io) => {
    const paths = args.positionals.slice(1);
    if (paths.length === 0) {
      throw new LoomError('cli.argument.missing', 'no path given', { hint: 'e.g. loom get adt.hl7 PID-5.1 PV1-19' });
    }
    const options = { message: intOption(args, 'message'), transaction: intOption(args, 'transaction') };
    return withParsed(args, io, ({ codec, parsed }) => {
      for (const path of paths) io.out(`${codec.get(parsed, path, options) ?? ''}\n`);
      return ExitCode.ok;
    });
  },
};

export const ackCommand: Command = {
  name: 'ack',
  summary: 'Print the acknowledgement (ACK, 997/999, TA1) for the input',
  usage: 'loom ack <file|-> [--control-id ID] [--timestamp ISO] [--format F]',
  options: { ...formatOption, 'control-id': { type: 'string' }, timestamp: { type: 'string' } },
  run: (args, io) =>
    withParsed(args, io, ({ codec, parsed }) => {
      if (!codec.ack) {
        throw new LoomError('cli.format.no-ack', `${codec.format} has no acknowledgement message`, {
          hint: 'loom ack takes HL7 v2 or X12 input',
        });
      }
      const text = codec.ack(parsed, { controlId: stringOption(args, 'control-id'), timestamp: stringOption(args, 'timestamp') });
      io.out(text.endsWith('\n') ? text.replace(/\r/g, '\n') : `${text.replace(/\r/g, '\n')}\n`);
      return ExitCode.ok;
    }),
};
