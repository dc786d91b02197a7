import { OpenAPIHono } from '@hono/zod-openapi';
import type { Engine } from '../engine/index.js';
import type { AuditLog } from '../governance/audit/index.js';
import type { ReleaseManager } from '../governance/releases/index.js';
import type { InterfaceCatalog } from '../governance/catalog/index.js';
import type { ContractRegistry } from '../governance/contracts/index.js';
import type { ShadowRecorder } from '../modernization/index.js';
import type { ProcessManager } from '../processes/index.js';
import type { SystemApiGateway } from '../system-apis/index.js';
import { LoomError } from '../kernel/index.js';
import { problem } from './problem.js';
import type { ThroughputWindow } from './throughput.js';

/** What the API's resource modules need from the running Loom. */
export interface ApiServices {
  engine: Engine;
  throughput: ThroughputWindow;
  /** Describe each channel's inbound and destinations (from config) for the console. */
  describeChannel(name: string): ChannelDescription | undefined;
  /** Durable processes (implant cases, replenishment, discharge checks), when the estate runs them. */
  processes?: Pick<ProcessManager, 'listInstances' | 'getInstance' | 'countByStatus'>;
  /** Re-read the config and apply changed channels; absent when Loom runs without a config file. */
  reload?(who: { actor: string }, release?: { reason: 'rollback'; rolledBackTo: number }): Promise<{ added: string[]; changed: string[]; removed: string[] }>;
  /** The hash-chained audit log (`/api/v1/audit`); configuration reloads and crosswalk changes are appended to it. */
  audit?: AuditLog;
  /** Applied config versions (`/api/v1/releases`): list, diff, rollback. */
  releases?: ReleaseManager;
  /** The interface catalog and its dependency map (`/api/v1/catalog`). */
  catalog?: InterfaceCatalog;
  /** Message contracts with versions, owners and approvals (`/api/v1/contracts`). */
  contracts?: ContractRegistry;
  /** Shadow runs beside legacy interfaces (`/api/v1/shadow`). */
  shadow?: ShadowRecorder;
  /** The system APIs of the current config (`/api/v1/system`); a reload swaps the gateway. */
  systemApis?: () => SystemApiGateway;
}

export interface ChannelDescription {
  sourceSystem: string;
  inbound?: { kind: string; address: string };
  destinations: Array<{ name: string; kind: string }>;
}

/** An OpenAPIHono whose request-validation failures answer problem+json like every other error. */
export function newRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        return problem(
          c,
          new LoomError('api.request.invalid', issue?.message ?? 'invalid request', {
            location: issue?.path.join('.') || undefined,
            hint: 'see /api/v1/openapi.json for the parameters',
          }),
        );
      }
      return undefined;
    },
  });
}

/** Who is acting, for the audit trail; governance replaces this with the authenticated user. */
export function actorOf(headers: Headers): { actor: string } {
  return { actor: headers.get('x-loom-actor') ?? 'api' };
}
