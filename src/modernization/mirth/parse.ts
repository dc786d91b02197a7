import { attr, child, children, childTags, parseXml, text, type Element } from './xml.js';
import type { MirthChannel, MirthConnector, MirthEndpoint, MirthExport, MirthFinding, MirthStep, MirthStepKind } from './types.js';
import { LoomError } from '../../kernel/errors.js';

/** Mirth Connect 3.x and 4.x and Open Integration Engine 4.x write the format read here. */
const KNOWN_MAJOR_VERSIONS = new Set(['3', '4']);

const STEP_KINDS: Array<[RegExp, MirthStepKind]> = [
  [/\.javascriptstep\.JavaScriptStep$/, 'javascript'],
  [/\.mapper\.MapperStep$/, 'mapper'],
  [/\.messagebuilder\.MessageBuilderStep$/, 'message-builder'],
  [/\.rulebuilder\.RuleBuilderRule$/, 'rule-builder'],
  [/\.javascriptrule\.JavaScriptRule$/, 'javascript-rule'],
  [/\.xsltstep\.XsltStep$/, 'xslt'],
  [/\.scriptfilestep\.ExternalScriptStep$|\.scriptfilerule\.ExternalScriptRule$/, 'external-script'],
  [/\.IteratorStep$|\.IteratorRule$/, 'iterator'],
];

/**
 * Read a Mirth Connect / Open Integration Engine export: one channel (`<channel>`), several
 * (`<list>`), a channel group (`<channelGroup>`) or a whole server backup (`<serverConfiguration>`).
 * Reads as much as it can; every part it cannot read is a finding with its channel and path.
 * Throws LoomError only when the file is not XML or holds no channel at all.
 *
 * @example
 * const { channels, findings } = parseMirthExport(readFileSync('adt.xml', 'utf8'), 'adt.xml');
 */
export function parseMirthExport(xml: string, file: string): MirthExport {
  const root = parseXml(xml, file);
  const findings: MirthFinding[] = [];
  const channelElements = findChannels(root);
  if (channelElements.length === 0) {
    throw new LoomError('mirth.export.no-channels', `${file} holds no Mirth channel (root element: <${childTags(root).find((t) => t !== '?xml') ?? 'none'}>)`, {
      location: file, hint: 'export channels from the Mirth Administrator: a channel, a channel group or a server configuration backup',
    });
  }
  const channels = channelElements.map(({ element, path }) => readChannel(element, path, file, findings));
  return { channels, findings };
}

function findChannels(root: Element): Array<{ element: Element; path: string }> {
  const direct = children(root, 'channel').map((element, i, all) => ({ element, path: all.length > 1 ? `channel[${i + 1}]` : 'channel' }));
  const list = children(child(root, 'list'), 'channel').map((element, i) => ({ element, path: `list/channel[${i + 1}]` }));
  const server = children(child(child(root, 'serverConfiguration'), 'channels'), 'channel').map((element, i) => ({ element, path: `serverConfiguration/channels/channel[${i + 1}]` }));
  const group = children(child(child(root, 'channelGroup'), 'channels'), 'channel').map((element, i) => ({ element, path: `channelGroup/channels/channel[${i + 1}]` }));
  // A group's own channel list holds only references (<channel version=…><id>…</id></channel>) in
  // server backups; keep entries that carry a source connector.
  return [...direct, ...list, ...server, ...group].filter(({ element }) => child(element, 'sourceConnector') !== undefined);
}

function readChannel(element: Element, path: string, file: string, findings: MirthFinding[]): MirthChannel {
  const name = text(element, 'name') || text(element, 'id') || path;
  const version = attr(element, 'version');
  const note = (severity: MirthFinding['severity'], where: string, message: string) => findings.push({ severity, channel: name, path: `${path}/${where}`.replace(/\/$/, ''), message, file });
  if (!KNOWN_MAJOR_VERSIONS.has(version.split('.')[0] ?? '')) {
    note('warning', '@version', `export version "${version || 'none'}" is not a Mirth 3.x/4.x format; read as far as it matches`);
  }
  const source = readConnector(child(element, 'sourceConnector')!, 'source', `sourceConnector`, note);
  const destinations = children(child(element, 'destinationConnectors'), 'connector')
    .map((c, i) => readConnector(c, 'destination', `destinationConnectors/connector[${i + 1}]`, note));
  const exportMeta = child(child(element, 'exportData'), 'metadata');
  const properties = child(element, 'properties');
  const enabledText = text(exportMeta, 'enabled') || text(element, 'enabled');
  return {
    id: text(element, 'id'),
    name,
    description: text(element, 'description').trim(),
    version,
    enabled: enabledText === '' ? true : enabledText === 'true',
    initialState: text(properties, 'initialState') || 'STARTED',
    source,
    destinations,
    scriptSizes: {
      deploy: meaningfulScript(text(element, 'deployScript')).length,
      undeploy: meaningfulScript(text(element, 'undeployScript')).length,
      preprocessing: meaningfulScript(text(element, 'preprocessingScript')).length,
      postprocessing: meaningfulScript(text(element, 'postprocessingScript')).length,
    },
    file,
  };
}

/**
 * Mirth fills every new channel's scripts with a template that does nothing
 * (`// This script executes once when the channel is deployed ... return;`): those are not logic.
 */
function meaningfulScript(script: string): string {
  const code = script.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim()).filter((l) => l !== '' && !/^return( message)?;?$/.test(l));
  return code.length === 0 ? '' : script;
}

type Note = (severity: MirthFinding['severity'], where: string, message: string) => void;

function readConnector(element: Element, role: 'source' | 'destination', path: string, note: Note): MirthConnector {
  const transport = text(element, 'transportName');
  const properties = child(element, 'properties');
  const propertiesClass = attr(properties, 'class');
  const endpoint = readEndpoint(transport, propertiesClass, properties);
  if (endpoint.kind === 'unsupported') note('unsupported', `${path}/properties`, `connector type "${transport || propertiesClass || 'unknown'}" is not one Loom reads`);
  if (endpoint.kind === 'javascript') note('unsupported', `${path}/properties`, `a JavaScript ${role === 'source' ? 'Reader' : 'Writer'} (${endpoint.script.length} characters of script) has no Loom equivalent`);
  const transformer = child(element, 'transformer');
  const template = child(transformer, 'inboundTemplate');
  const templateText = text(transformer, 'inboundTemplate');
  return {
    role,
    name: text(element, 'name') || (role === 'source' ? 'sourceConnector' : path),
    metaDataId: Number(text(element, 'metaDataId') || 0),
    transport,
    propertiesClass,
    enabled: text(element, 'enabled') !== 'false',
    endpoint,
    filter: readSteps(child(element, 'filter'), `${path}/filter`, note),
    transformer: readSteps(transformer, `${path}/transformer`, note),
    inboundDataType: text(transformer, 'inboundDataType') || undefined,
    outboundDataType: text(transformer, 'outboundDataType') || undefined,
    inboundTemplate: templateText === '' ? undefined : attr(template, 'encoding') === 'base64' ? Buffer.from(templateText, 'base64').toString('utf8') : templateText,
  };
}

function num(value: string, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : fallback;
}

/** MLLP framing shows as the FrameModeProperties plugin point `MLLP` (or start byte 0B). */
function isMllp(properties: Element | undefined): boolean {
  const mode = child(properties, 'transmissionModeProperties');
  return text(mode, 'pluginPointName') === 'MLLP' || text(mode, 'startOfMessageBytes').toUpperCase() === '0B';
}

function readEndpoint(transport: string, cls: string, p: Element | undefined): MirthEndpoint {
  const listener = child(p, 'listenerConnectorProperties');
  if (/\.tcp\.TcpReceiverProperties$/.test(cls)) return { kind: 'tcp-listener', host: text(listener, 'host') || '0.0.0.0', port: num(text(listener, 'port'), 0), mllp: isMllp(p) };
  if (/\.tcp\.TcpDispatcherProperties$/.test(cls)) return { kind: 'tcp-sender', host: text(p, 'remoteAddress'), port: num(text(p, 'remotePort'), 0), mllp: isMllp(p) };
  if (/\.mllp\.LLPListenerProperties$/.test(cls)) return { kind: 'tcp-listener', host: text(p, 'listenerAddress') || '0.0.0.0', port: num(text(p, 'listenerPort'), 0), mllp: true };
  if (/\.file\.FileReceiverProperties$/.test(cls)) return { kind: 'file-reader', scheme: (text(p, 'scheme') || 'FILE').toUpperCase(), host: text(p, 'host'), path: text(p, 'host'), fileFilter: text(p, 'fileFilter') || '*' };
  if (/\.file\.FileDispatcherProperties$/.test(cls)) return { kind: 'file-writer', scheme: (text(p, 'scheme') || 'FILE').toUpperCase(), host: text(p, 'host'), path: text(p, 'host'), outputPattern: text(p, 'outputPattern') };
  if (/\.http\.HttpReceiverProperties$/.test(cls)) return { kind: 'http-listener', host: text(listener, 'host') || '0.0.0.0', port: num(text(listener, 'port'), 0), contextPath: text(p, 'contextPath') || '/' };
  if (/\.http\.HttpDispatcherProperties$/.test(cls)) return { kind: 'http-sender', url: text(p, 'host'), method: (text(p, 'method') || 'post').toUpperCase() };
  if (/\.jdbc\.DatabaseReceiverProperties$/.test(cls)) return { kind: 'database-reader', driver: text(p, 'driver'), url: text(p, 'url'), select: text(p, 'select'), useScript: text(p, 'useScript') === 'true' };
  if (/\.jdbc\.DatabaseDispatcherProperties$/.test(cls)) return { kind: 'database-writer', driver: text(p, 'driver'), url: text(p, 'url'), query: text(p, 'query'), useScript: text(p, 'useScript') === 'true' };
  if (/\.vm\.VmReceiverProperties$/.test(cls)) return { kind: 'channel-reader' };
  if (/\.vm\.VmDispatcherProperties$/.test(cls)) return { kind: 'channel-writer', channelId: text(p, 'channelId') };
  if (/\.js\.JavaScript(Receiver|Dispatcher)Properties$/.test(cls)) return { kind: 'javascript', script: text(p, 'script') };
  return { kind: 'unsupported', transport, propertiesClass: cls };
}

function stepKind(className: string): MirthStepKind {
  return STEP_KINDS.find(([re]) => re.test(className))?.[1] ?? 'other';
}

function readSteps(container: Element | undefined, path: string, note: Note): MirthStep[] {
  const elements = child(container, 'elements');
  const steps: MirthStep[] = [];
  for (const className of childTags(elements)) {
    children(elements, className).forEach((e, i) => {
      const kind = stepKind(className);
      const script = kind === 'javascript' || kind === 'javascript-rule' || kind === 'external-script' ? text(e, 'script') || text(e, 'scriptPath')
        : kind === 'mapper' || kind === 'message-builder' ? text(e, 'mapping') : kind === 'xslt' ? text(e, 'template') : undefined;
      const values = children(child(e, 'values'), 'string').map((v) => (typeof v['#text'] === 'string' ? v['#text'] : '').replace(/^"(.*)"$/, '$1'));
      const operator = text(e, 'operator');
      const step: MirthStep = {
        kind, className,
        name: text(e, 'name'),
        sequence: num(text(e, 'sequenceNumber'), steps.length),
        enabled: text(e, 'enabled') !== 'false',
        ...(operator === 'AND' || operator === 'OR' ? { operator } : {}),
        ...(script !== undefined ? { script } : {}),
        ...(kind === 'rule-builder' ? { rule: { field: text(e, 'field'), condition: text(e, 'condition'), values } } : {}),
        ...(kind === 'mapper' ? { target: text(e, 'variable') } : kind === 'message-builder' ? { target: text(e, 'messageSegment') } : {}),
        scriptSize: kind === 'rule-builder' ? 0 : (script ?? '').length,
      };
      if (kind === 'other') note('unsupported', `${path}/elements/${className}[${i + 1}]`, `step type ${className.split('.').pop()} is not one Loom reads`);
      steps.push(step);
    });
  }
  return steps.sort((a, b) => a.sequence - b.sequence);
}
