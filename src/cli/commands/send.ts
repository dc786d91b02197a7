import { detectFormat } from '../../codecs/detect.js';
import { parseHl7v2Batch } from '../../codecs/hl7v2/index.js';
import { HttpOutbound, MllpClient } from '../../connectors/index.js';
import { ContentTypes, LoomError, newId, type DeliveryResult, type OutboundConnector } from '../../kernel/index.js';
import { intOption, stringOption, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { readInput } from '../input.js';

const usage = 'loom send <file|-> --to mllp://HOST:PORT | http://HOST:PORT/PATH [--timeout MS]';

/** The target as an outbound connector: MLLP waits for the ACK, HTTP for the status. */
function connectorFor(target: string, timeoutMs: number): OutboundConnector {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new LoomError('cli.option.invalid', `--to "${target}" is not a URL`, { location: '--to', hint: `usage: ${usage}` });
  }
  if (url.protocol === 'mllp:') {
    return new MllpClient({
      host: url.hostname,
      port: Number(url.port || 2575),
      maxFrameBytes: 16 * 1024 * 1024,
      ackTimeoutMs: timeoutMs,
      connectTimeoutMs: timeoutMs,
      onAE: 'dead-letter',
    });
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    return new HttpOutbound({ url: url.href, method: 'POST', headers: {}, timeoutMs });
  }
  throw new LoomError('cli.option.invalid', `--to must be mllp:// or http(s)://, got ${url.protocol}`, { location: '--to', hint: `usage: ${usage}` });
}

/** HL7 batches go message by message (MLLP carries one message per frame); anything else whole. */
function splitPayloads(bytes: Uint8Array, name: string): { payloads: Uint8Array[]; contentType: string } {
  const format = detectFormat(bytes, name);
  if (format === 'hl7v2') {
    return { payloads: parseHl7v2Batch(bytes).messages.map((m) => Buffer.from(m.toString(), 'utf8')), contentType: ContentTypes.hl7v2 };
  }
  const contentType = format === 'x12' ? ContentTypes.x12 : format === 'fhir' ? ContentTypes.fhir : format === 'csv' ? ContentTypes.csv : ContentTypes.json;
  return { payloads: [bytes], contentType };
}

function describeResult(index: number, result: DeliveryResult): string {
  if (result.status === 'delivered') return `#${index + 1} delivered${result.response ? `: ${result.response.split(/\r|\n/)[1] ?? result.response}` : ''}`;
  return `#${index + 1} ${result.status === 'retry' ? 'not delivered (transient)' : 'refused'}: ${result.error.describe()}`;
}

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a message or file to an MLLP or HTTP endpoint and print the answer',
  usage,
  options: { to: { type: 'string' }, timeout: { type: 'string' } },
  async run(args, io) {
    const target = stringOption(args, 'to');
    if (!target) throw new LoomError('cli.argument.missing', '--to is missing', { hint: `usage: ${usage}` });
    const { bytes, name } = await readInput(args.positionals[0]);
    const { payloads, contentType } = splitPayloads(bytes, name);
    const connector = connectorFor(target, intOption(args, 'timeout') ?? 10_000);
    let refused = 0;
    let unreachable = 0;
    try {
      for (const [index, payload] of payloads.entries()) {
        const result = await connector.deliver({
          messageId: newId(),
          destination: target,
          idempotencyKey: newId(),
          payload,
          contentType,
          headers: {},
          attempt: 1,
        });
        if (result.status === 'failed') refused++;
        if (result.status === 'retry') unreachable++;
        io.out(`${describeResult(index, result)}\n`);
      }
    } finally {
      await connector.close();
    }
    // A refusal (AR, 4xx) is a verdict on the input; a timeout or refused connection is the environment.
    if (unreachable > 0) return ExitCode.environment;
    return refused === 0 ? ExitCode.ok : ExitCode.invalid;
  },
};
