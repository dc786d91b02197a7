import type { AuditSink } from '../../kernel/audit.js';
import { LoomError } from '../../kernel/errors.js';
import { systemClock, type Clock } from '../../kernel/ports.js';
import { classifyChange } from './classify.js';
import { shapeOf } from './shape.js';
import { contractCheck, type ContractCheck } from './validate.js';
import type { Contract, ContractKind, ContractStore, ContractVersion } from './types.js';

export interface RegisterInput {
  name: string;
  kind: ContractKind;
  /** Who must approve breaking versions; fixed by version 1. */
  owner: string;
  description?: string;
  schema: Record<string, unknown>;
  note?: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * The contract registry: each channel's message contract with versions and an owner. A new version
 * is classified against the previous one; a compatible one is active at once, a breaking one waits
 * for its owner's approval. Channels pin `{ name, version }` and validate messages against it.
 *
 * @example
 * const v2 = await contracts.register({ name: 'po-json', kind: 'json-schema', owner: 'ana', schema }, { actor: 'bo' });
 * v2.status // 'pending-approval' when breaking
 * await contracts.approve('po-json', 2, { actor: 'ana' });
 */
export class ContractRegistry {
  private readonly checks = new Map<string, ContractCheck>();
  private readonly clock: Clock;

  constructor(private readonly store: ContractStore, private readonly audit: AuditSink, clock: Clock = systemClock) {
    this.clock = clock;
  }

  async register(input: RegisterInput, who: { actor: string }): Promise<ContractVersion> {
    if (!NAME.test(input.name)) throw new LoomError('contract.name.invalid', `"${input.name}" is not a contract name`, { location: 'name', hint: 'lower-case letters, digits, ".", "_" and "-", e.g. po-850 or adt-a01' });
    const shape = shapeOf(input.kind, input.schema);
    const existing = await this.store.getContract(input.name);
    if (existing && existing.kind !== input.kind) {
      throw new LoomError('contract.kind.mismatch', `contract "${input.name}" is ${existing.kind}, not ${input.kind}`, { location: 'kind', hint: 'register a new contract name for another kind of message' });
    }
    const version = await this.store.addVersion({ name: input.name, kind: input.kind, owner: existing?.owner ?? input.owner, ...(input.description ? { description: input.description } : {}) }, (previous) => {
      const classification = previous ? classifyChange(shapeOf(previous.kind, previous.schema), shape) : undefined;
      return {
        name: input.name, kind: input.kind, schema: input.schema,
        status: classification?.compatibility === 'breaking' ? 'pending-approval' : 'active',
        ...(classification ? { classification } : {}),
        createdBy: who.actor, createdAt: new Date(this.clock.now()).toISOString(), ...(input.note ? { note: input.note } : {}),
      };
    });
    await this.audit.append({
      ...who, action: 'contract.register', target: `contract/${input.name}@${version.version}`,
      detail: { kind: input.kind, status: version.status, compatibility: version.classification?.compatibility ?? 'first', breakingChanges: version.classification?.changes.filter((c) => c.breaking).map((c) => `${c.path}: ${c.kind}`) ?? [] },
    });
    return version;
  }

  /** The owner approves a breaking version; it becomes active (pinnable). */
  async approve(name: string, version: number, who: { actor: string }): Promise<ContractVersion> {
    const contract = await this.requireContract(name);
    const v = await this.requireVersion(name, version);
    if (v.status === 'active') throw new LoomError('contract.version.active', `${name}@${version} is already active`, { location: `${name}@${version}`, hint: 'only breaking versions wait for approval' });
    if (who.actor !== contract.owner) {
      await this.audit.append({ ...who, action: 'contract.approve-refused', target: `contract/${name}@${version}`, detail: { owner: contract.owner } });
      throw new LoomError('contract.approval.not-owner', `only ${contract.owner}, the owner of "${name}", may approve its breaking version ${version}`, { location: `${name}@${version}`, hint: `ask ${contract.owner} to approve it` });
    }
    const approved = await this.store.approve(name, version, who.actor, new Date(this.clock.now()).toISOString());
    await this.audit.append({ ...who, action: 'contract.approve', target: `contract/${name}@${version}`, detail: { breakingChanges: v.classification?.changes.filter((c) => c.breaking).length ?? 0 } });
    return approved ?? v;
  }

  list(): Promise<Contract[]> {
    return this.store.listContracts();
  }

  async versions(name: string): Promise<{ contract: Contract; versions: ContractVersion[] }> {
    return { contract: await this.requireContract(name), versions: await this.store.listVersions(name) };
  }

  getVersion(name: string, version: number): Promise<ContractVersion> {
    return this.requireVersion(name, version);
  }

  /**
   * The checker of a pinned version, for a channel's `contract` step. Throws when the pin does
   * not exist or waits for approval, so a channel never validates against an unapproved contract.
   */
  async checkerFor(name: string, version: number): Promise<ContractCheck> {
    const key = `${name}@${version}`;
    const cached = this.checks.get(key);
    if (cached) return cached;
    const v = await this.requireVersion(name, version);
    if (v.status !== 'active') {
      throw new LoomError('contract.version.unapproved', `${key} is a breaking version that its owner has not approved`, { location: key, hint: `approve it (loom contracts approve ${name} ${version}) or pin an active version` });
    }
    const check = contractCheck(v);
    this.checks.set(key, check);
    return check;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async requireContract(name: string): Promise<Contract> {
    const c = await this.store.getContract(name);
    if (!c) throw new LoomError('contract.unknown', `no contract named "${name}"`, { location: name, hint: 'list them with GET /api/v1/contracts' });
    return c;
  }

  private async requireVersion(name: string, version: number): Promise<ContractVersion> {
    await this.requireContract(name);
    const v = await this.store.getVersion(name, version);
    if (!v) throw new LoomError('contract.version.unknown', `contract "${name}" has no version ${version}`, { location: `${name}@${version}`, hint: `GET /api/v1/contracts/${name} lists its versions` });
    return v;
  }
}
