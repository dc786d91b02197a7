import type { MirthConnector, MirthEndpoint } from './types.js';

/** The protocol family of a connector, as the interface catalog names protocols. */
export type Protocol = 'mllp' | 'tcp' | 'file' | 'sftp' | 'ftp' | 'http' | 'database' | 'channel' | 'javascript' | 'other';

export function protocolOf(endpoint: MirthEndpoint): Protocol {
  switch (endpoint.kind) {
    case 'tcp-listener':
    case 'tcp-sender':
      return endpoint.mllp ? 'mllp' : 'tcp';
    case 'file-reader':
    case 'file-writer':
      return endpoint.scheme === 'SFTP' ? 'sftp' : endpoint.scheme === 'FTP' ? 'ftp' : 'file';
    case 'http-listener':
    case 'http-sender':
      return 'http';
    case 'database-reader':
    case 'database-writer':
      return 'database';
    case 'channel-reader':
    case 'channel-writer':
      return 'channel';
    case 'javascript':
      return 'javascript';
    default:
      return 'other';
  }
}

/** JDBC URLs carry passwords sometimes (`;password=…`, `user:pw@`): never print them. */
function maskJdbc(url: string): string {
  return url.replace(/(password=)[^;&]*/gi, '$1***').replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/**
 * One comparable address per endpoint (`mllp://lis.hospital.example:6662`), so that two channels
 * using the same one are found; listeners on all interfaces compare by port alone.
 */
export function endpointAddress(endpoint: MirthEndpoint): string {
  switch (endpoint.kind) {
    case 'tcp-listener':
      return `${endpoint.mllp ? 'mllp' : 'tcp'}://*:${endpoint.port}`;
    case 'tcp-sender':
      return `${endpoint.mllp ? 'mllp' : 'tcp'}://${endpoint.host.toLowerCase()}:${endpoint.port}`;
    case 'file-reader':
      return `${endpoint.scheme.toLowerCase()}://${endpoint.path}/${endpoint.fileFilter}`;
    case 'file-writer':
      return `${endpoint.scheme.toLowerCase()}://${endpoint.path}`;
    case 'http-listener':
      return `http://*:${endpoint.port}${endpoint.contextPath}`;
    case 'http-sender':
      return endpoint.url.replace(/\?.*$/, '').toLowerCase();
    case 'database-reader':
    case 'database-writer':
      return maskJdbc(endpoint.url);
    case 'channel-reader':
      return 'channel:(this channel)';
    case 'channel-writer':
      return `channel:${endpoint.channelId}`;
    case 'javascript':
      return `javascript (${endpoint.script.length} characters)`;
    default:
      return `${endpoint.transport || endpoint.propertiesClass}`;
  }
}

/** Does this connector receive from outside (a listener, reader or poller)? */
export function isIntake(connector: MirthConnector): boolean {
  return connector.role === 'source' && connector.endpoint.kind !== 'channel-reader';
}
