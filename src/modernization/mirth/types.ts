/**
 * A Mirth Connect / Open Integration Engine channel export, reduced to what an integration
 * portfolio assessment and a migration need. Field names follow Mirth's own model.
 */

/** Where a connector reads or writes, normalized from its `properties` element. */
export type MirthEndpoint =
  | { kind: 'tcp-listener'; host: string; port: number; mllp: boolean }
  | { kind: 'tcp-sender'; host: string; port: number; mllp: boolean }
  | { kind: 'file-reader'; scheme: string; host: string; path: string; fileFilter: string }
  | { kind: 'file-writer'; scheme: string; host: string; path: string; outputPattern: string }
  | { kind: 'http-listener'; host: string; port: number; contextPath: string }
  | { kind: 'http-sender'; url: string; method: string }
  | { kind: 'database-reader'; driver: string; url: string; select: string; useScript: boolean }
  | { kind: 'database-writer'; driver: string; url: string; query: string; useScript: boolean }
  | { kind: 'channel-reader' }
  | { kind: 'channel-writer'; channelId: string }
  | { kind: 'javascript'; script: string }
  | { kind: 'unsupported'; transport: string; propertiesClass: string };

export type MirthStepKind = 'javascript' | 'mapper' | 'message-builder' | 'rule-builder' | 'javascript-rule' | 'xslt' | 'external-script' | 'iterator' | 'other';

/** One filter rule or transformer step. */
export interface MirthStep {
  kind: MirthStepKind;
  className: string;
  name: string;
  sequence: number;
  enabled: boolean;
  /** Filter rules: how this rule combines with the previous one. */
  operator?: 'AND' | 'OR';
  /** JavaScript steps and rules: the script; mapper: the mapping expression. */
  script?: string;
  /** Rule builder: `msg['MSH']['MSH.9']['MSH.9.1'].toString()` EQUALS ["ADT"]. */
  rule?: { field: string; condition: string; values: string[] };
  /** Mapper / message builder: target variable or segment. */
  target?: string;
  /** Characters of script this step carries (0 for declarative steps). */
  scriptSize: number;
}

export interface MirthConnector {
  role: 'source' | 'destination';
  name: string;
  metaDataId: number;
  /** Mirth's display name of the connector type: `TCP Listener`, `File Writer`, ... */
  transport: string;
  propertiesClass: string;
  enabled: boolean;
  endpoint: MirthEndpoint;
  filter: MirthStep[];
  transformer: MirthStep[];
  inboundDataType?: string;
  outboundDataType?: string;
  /** The transformer's inbound message template, when the export carries one (a sample message). */
  inboundTemplate?: string;
}

export interface MirthChannel {
  id: string;
  name: string;
  description: string;
  /** The Mirth version that wrote the export (`version` attribute). */
  version: string;
  enabled: boolean;
  /** STARTED, STOPPED or PAUSED at deploy. */
  initialState: string;
  source: MirthConnector;
  destinations: MirthConnector[];
  /** Characters of channel-level scripts (deploy, undeploy, preprocessor, postprocessor). */
  scriptSizes: Record<'deploy' | 'undeploy' | 'preprocessing' | 'postprocessing', number>;
  /** File the channel came from. */
  file: string;
}

/** A part of an export Loom could not read or does not support, named by channel and path. */
export interface MirthFinding {
  severity: 'unsupported' | 'warning';
  channel: string;
  /** XPath-like location inside the export: `channel/destinationConnectors/connector[2]/properties`. */
  path: string;
  message: string;
  file: string;
}

export interface MirthExport {
  channels: MirthChannel[];
  findings: MirthFinding[];
}
