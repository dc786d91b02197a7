import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import {
  ScenarioClock, generateDay, runScenarioDay, startEhrSimulator, startErpSimulator, startInventorySimulator, startProcurementSimulator, startVendorSimulator,
} from '../../simulators/index.js';
import { LoomError } from '../../kernel/index.js';
import { intOption, stringOption, type CliIo, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const KINDS = ['ehr', 'erp', 'inventory', 'procurement', 'vendor', 'day'] as const;
type Kind = (typeof KINDS)[number];

function waitForSignal(io: CliIo): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.err('stopping the simulator...\n');
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function speedOption(raw: string | undefined): number {
  if (raw === undefined) return 600;
  if (raw === 'max' || raw === 'Infinity') return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (!(n > 0)) throw new LoomError('cli.option.invalid', `--speed expects a positive number or max, got "${raw}"`, { location: '--speed' });
  return n;
}

/**
 * `loom simulate <kind>`: run one simulated peer of the estate alone. erp/procurement/vendor serve
 * until Ctrl-C; ehr and inventory play the seeded day's HL7 / consumption to `--target` and exit;
 * day plays the whole day (all peers) against `--target` (Loom's MLLP) and prints the expected totals.
 */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Run a simulator of the estate alone (EHR, ERP, inventory, procurement, vendor, or a whole day)',
  usage: 'loom simulate <ehr|erp|inventory|procurement|vendor|day> [--target URL] [--seed N] [--speed X|max] [--port N] [--vendor VENDOR-A] [--dir DIR]',
  options: { target: { type: 'string' }, seed: { type: 'string' }, speed: { type: 'string' }, port: { type: 'string' }, vendor: { type: 'string' }, dir: { type: 'string' } },
  async run(args, io) {
    const kind = args.positionals[0] as Kind | undefined;
    if (!kind || !KINDS.includes(kind)) {
      throw new LoomError('cli.argument.invalid', `simulate needs one of ${KINDS.join(', ')}${kind ? `, got "${kind}"` : ''}`, { hint: 'e.g. loom simulate erp --port 9102' });
    }
    const seed = intOption(args, 'seed') ?? 42;
    const speed = speedOption(stringOption(args, 'speed'));
    const port = intOption(args, 'port');
    const target = stringOption(args, 'target');
    const dir = resolve(stringOption(args, 'dir') ?? mkdtempSync(join(os.tmpdir(), 'loom-sim-')));
    const needTarget = (what: string): string => {
      if (!target) throw new LoomError('cli.argument.missing', `simulate ${kind} needs --target (${what})`, { location: '--target', hint: kind === 'inventory' ? 'e.g. --target http://127.0.0.1:8080/api/v1/channels/inventory-webhook/messages or amqp://127.0.0.1:5672' : 'e.g. --target mllp://127.0.0.1:2575' });
      return target;
    };
    if (kind === 'erp' || kind === 'procurement') {
      const sim = kind === 'erp' ? await startErpSimulator({ ...(port !== undefined ? { port } : {}), logFile: join(dir, `${kind}.jsonl`) })
        : await startProcurementSimulator({ ...(port !== undefined ? { port } : {}), logFile: join(dir, `${kind}.jsonl`) });
      io.err(`${kind} simulator on ${sim.url} (log ${join(dir, `${kind}.jsonl`)}); Ctrl-C stops it. Environment for loom.config.yaml:\n`);
      io.out(`${kind === 'erp' ? 'ERP_URL' : 'PROCUREMENT_URL'}=${sim.url}\n${kind === 'erp' ? 'ERP_TOKEN' : 'PROCUREMENT_TOKEN'}=${sim.authorization}\n`);
      await waitForSignal(io);
      await sim.stop();
      return ExitCode.ok;
    }
    if (kind === 'vendor') {
      const vendorId = (stringOption(args, 'vendor') ?? 'VENDOR-A') as 'VENDOR-A' | 'VENDOR-B';
      if (vendorId !== 'VENDOR-A' && vendorId !== 'VENDOR-B') throw new LoomError('cli.option.invalid', `--vendor must be VENDOR-A or VENDOR-B, got "${vendorId}"`, { location: '--vendor' });
      const v = await startVendorSimulator({ vendorId, inboundDir: join(dir, 'in'), outboundDir: join(dir, 'out'), seed, logFile: join(dir, 'vendor.jsonl') });
      io.err(`vendor ${vendorId}: drop 850s into ${join(dir, 'in')}; 997/855/856/810 appear in ${join(dir, 'out')}\n`);
      await waitForSignal(io);
      await v.stop();
      return ExitCode.ok;
    }
    if (kind === 'day') {
      const run = await runScenarioDay({ seed, speed, workDir: dir, targets: { mllp: needTarget('Loom MLLP, e.g. mllp://127.0.0.1:2575') }, replenishment: 'simulated' });
      io.out(`${JSON.stringify({ seed, date: run.day.date, cases: run.day.cases.length, steps: run.day.timeline.length, erp: run.erp.url, expected: run.expected }, null, 2)}\n`);
      await run.stop();
      return ExitCode.ok;
    }
    const day = generateDay({ seed });
    const clock = new ScenarioClock({ start: `${day.date}T06:00:00.000Z`, speed });
    let sent = 0;
    try {
      if (kind === 'ehr') {
        const ehr = await startEhrSimulator({ target: needTarget('Loom MLLP'), ...(port !== undefined ? { port } : {}), logFile: join(dir, 'ehr.jsonl') });
        ehr.addCases(day.cases);
        io.err(`EHR FHIR API on ${ehr.url}/fhir/R4; sending ${day.timeline.filter((s) => s.kind === 'hl7').length} HL7 messages to ${target}\n`);
        for (const s of day.timeline) if (s.kind === 'hl7') { await clock.waitUntil(s.at); await ehr.sendStep(s); sent++; }
        io.out(`${JSON.stringify({ sent, acks: ehr.stats().acks, resends: ehr.stats().resends })}\n`);
        await ehr.stop();
      } else {
        const t = needTarget('webhook URL or amqp:// broker');
        const inv = await startInventorySimulator({ ...(port !== undefined ? { port } : {}), logFile: join(dir, 'inventory.jsonl'),
          ...(t.startsWith('amqp') ? { amqp: { url: t, exchange: 'loom.estate.inventory' } } : { webhooks: [t] }) });
        for (const s of day.timeline) if (s.kind === 'consumption') { await clock.waitUntil(s.at); await inv.publish(s.event, s.injected); sent++; }
        io.out(`${JSON.stringify({ sent, ...inv.stats(), log: undefined })}\n`);
        await inv.stop();
      }
    } finally {
      clock.dispose();
    }
    return ExitCode.ok;
  },
};
