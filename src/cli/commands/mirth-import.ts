import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { LoomError, toLoomError } from '../../kernel/index.js';
import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { openAuditLog } from '../../governance/audit/index.js';
import { InterfaceCatalog, openCatalogStore, type CatalogEntry } from '../../governance/catalog/index.js';
import { ApiClient } from '../api-client.js';
import { assessMirthEstate, catalogEntriesOf, migrateMirthChannel, migrateMirthEstate, parseMirthExport, renderAssessmentMarkdown, type MirthExport } from '../../modernization/index.js';
import { stringOption, type CliIo, type ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';

/** Every `.xml` file of a folder (recursively), or the one file named. */
function exportFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new LoomError('cli.input.missing', `no file or folder ${target}`, { location: target, hint: 'name a Mirth export (.xml) or a folder of them' });
  }
  if (!stat.isDirectory()) return [target];
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.xml'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Read every export, keeping going past a file that cannot be read (it becomes a finding). */
export function readMirthEstate(target: string): MirthExport {
  const estate: MirthExport = { channels: [], findings: [] };
  for (const file of exportFiles(target)) {
    const shown = path.relative(process.cwd(), file) || file;
    try {
      const part = parseMirthExport(readFileSync(file, 'utf8'), shown);
      estate.channels.push(...part.channels);
      estate.findings.push(...part.findings);
    } catch (err) {
      const error = toLoomError(err);
      estate.findings.push({ severity: 'unsupported', channel: '(whole file)', path: error.location ?? shown, message: `${error.code}: ${error.message}`, file: shown });
    }
  }
  return estate;
}

/** Store through a running engine's API (audited there), or straight into a config's store (audited here). */
async function storeInCatalog(args: ParsedArgs, io: CliIo, source: string, entries: CatalogEntry[]): Promise<number | undefined> {
  const url = stringOption(args, 'url');
  if (url) {
    const answer = await new ApiClient(url, io.env.LOOM_TOKEN).request<{ entries: number }>('POST', '/api/v1/catalog/import', { source, entries: entries.map(({ source: _ignored, ...e }) => e) });
    return answer.entries;
  }
  const configFile = stringOption(args, 'config') ?? io.env.LOOM_CONFIG;
  if (!configFile) return undefined;
  const dataDir = stringOption(args, 'data');
  const { config } = loadConfig({ file: configFile, env: io.env, overrides: dataDir ? { dataDir } : {}, connectorKinds });
  const audit = await openAuditLog(config.store);
  const catalog = new InterfaceCatalog(await openCatalogStore(config.store), () => config, audit);
  try {
    return await catalog.import(source, entries, { actor: `cli:${io.env.USER ?? 'unknown'}` });
  } finally {
    await catalog.close();
    await audit.close();
  }
}

/**
 * `loom catalog import --mirth <export.xml|folder>`: the portfolio assessment of a Mirth estate.
 * Exit 0 when every part was read, 2 when something was not (each part listed with its channel and path).
 */
export async function catalogImportMirth(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const target = stringOption(args, 'mirth');
  if (!target) throw new LoomError('cli.usage', 'catalog import needs --mirth <export.xml|folder>', { hint: 'loom catalog import --mirth exports/' });
  const estate = readMirthEstate(target);
  const assessment = assessMirthEstate(estate);
  const format = stringOption(args, 'format') ?? 'markdown';
  if (!['markdown', 'md', 'json'].includes(format)) throw new LoomError('cli.option.invalid', `--format expects markdown or json, got "${format}"`, { location: '--format' });
  const text = format === 'json' ? `${JSON.stringify(assessment, null, 2)}\n` : renderAssessmentMarkdown(assessment, `Mirth estate assessment: ${target}`);
  const out = stringOption(args, 'out');
  if (out) {
    writeFileSync(out, text);
    io.out(`wrote ${out}: ${assessment.interfaces.length} channels, ${assessment.findings.length} parts not read\n`);
  } else {
    io.out(text);
  }
  const source = `mirth:${path.basename(path.resolve(target))}`;
  const stored = await storeInCatalog(args, io, source, catalogEntriesOf(assessment, source));
  io.err(stored === undefined
    ? 'loom catalog import: assessed only; give --url (a running engine) or --config to store the entries in the interface catalog\n'
    : `loom catalog import: ${stored} catalog entries stored as source ${source} (a re-import replaces them)\n`);
  if (assessment.findings.some((f) => f.severity === 'unsupported')) {
    io.err(`loom catalog import: ${assessment.findings.filter((f) => f.severity === 'unsupported').length} part(s) of the export are not supported (listed under "Not read by Loom")\n`);
    return ExitCode.invalid;
  }
  return ExitCode.ok;
}

/**
 * `loom migrate-channel <export.xml|folder> --out DIR [--channel NAME]`: generate Loom channels and
 * `loom test` scaffolds for the simple channels of a Mirth estate. Exit 2 when a requested channel
 * could not be migrated.
 */
export async function migrateChannels(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const target = args.positionals[0];
  const outDir = stringOption(args, 'out');
  if (!target || !outDir) throw new LoomError('cli.usage', 'migrate-channel needs an export and --out DIR', { hint: 'loom migrate-channel exports/adt.xml --out migrated/' });
  const estate = readMirthEstate(target);
  const wanted = stringOption(args, 'channel');
  const chosen = wanted ? estate.channels.filter((c) => c.name === wanted) : estate.channels;
  if (chosen.length === 0) {
    throw new LoomError('cli.input.missing', wanted ? `no channel named "${wanted}" in ${target}` : `no channel in ${target}`, {
      hint: `channels: ${estate.channels.map((c) => c.name).join(', ') || 'none'}`,
    });
  }
  const migrated = wanted ? chosen.map((c) => migrateMirthChannel(c, estate.channels)) : migrateMirthEstate(chosen, estate.channels);
  const generated = migrated.filter((m) => m.channel);
  mkdirSync(path.join(outDir, 'tests', 'fixtures'), { recursive: true });
  const header = `# Generated by loom migrate-channel from ${target}. Review every note below before going live.\n`;
  const notes = migrated.flatMap((m) => m.notes.map((n) => `#   ${m.mirthName}: ${n}`)).join('\n');
  writeFileSync(path.join(outDir, 'loom.config.yaml'), `${header}${notes ? `${notes}\n` : ''}${stringify({ version: 1, channels: generated.map((m) => m.channel) }, { lineWidth: 0 })}`);
  for (const m of generated) {
    writeFileSync(path.join(outDir, 'tests', m.test!.file), stringify(m.test!.yaml));
    writeFileSync(path.join(outDir, 'tests', m.test!.fixtureFile), m.test!.fixture);
  }
  for (const m of migrated) {
    io.out(`${m.status.padEnd(11)} ${m.mirthName}${m.channel ? ` → ${m.channel.name}` : ''}\n${m.notes.map((n) => `            - ${n}\n`).join('')}`);
  }
  io.out(`\n${generated.length} of ${migrated.length} channel(s) written to ${path.join(outDir, 'loom.config.yaml')}; run: loom test --config ${path.join(outDir, 'loom.config.yaml')}\n`);
  return migrated.some((m) => m.status === 'unsupported') ? ExitCode.invalid : ExitCode.ok;
}
