import type { Page } from '../../kernel/store.js';

/** What a contract describes: a JSON payload (canonical or REST), an HL7 v2 message, an X12 transaction set. */
export type ContractKind = 'json-schema' | 'hl7v2' | 'x12';

/**
 * The normalized shape the classifier compares, whatever the contract's kind: a tree of fields
 * (JSON properties, HL7 segments and fields, X12 segments and elements).
 */
export interface FieldSpec {
  /** Allowed types (`string`, `integer`, HL7 datatypes `CX`, X12 `AN`); empty = anything. */
  types: string[];
  required: boolean;
  /** Repetitions: array items, segment occurrences, field repeats. */
  min: number;
  /** Undefined = unbounded. */
  max?: number;
  enum?: string[];
  maxLength?: number;
  children: Record<string, FieldSpec>;
  /** An array's element shape. */
  items?: FieldSpec;
}

export type ChangeKind =
  | 'field.removed' | 'field.added' | 'field.required-added' | 'field.now-required' | 'field.now-optional'
  | 'type.narrowed' | 'type.widened' | 'type.changed'
  | 'enum.narrowed' | 'enum.widened' | 'length.narrowed' | 'length.widened'
  | 'cardinality.changed';

export interface ContractChange {
  path: string;
  kind: ChangeKind;
  breaking: boolean;
  message: string;
}

export interface Classification {
  compatibility: 'compatible' | 'breaking';
  changes: ContractChange[];
}

/** `active`: channels may pin it; `pending-approval`: breaking, waits for the owner. */
export type VersionStatus = 'active' | 'pending-approval';

export interface ContractVersion {
  name: string;
  version: number;
  kind: ContractKind;
  /** The contract document as registered (JSON Schema, Loom HL7 profile, Loom X12 set). */
  schema: Record<string, unknown>;
  status: VersionStatus;
  /** Against the previous version; absent for version 1. */
  classification?: Classification;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  note?: string;
}

export interface Contract {
  name: string;
  kind: ContractKind;
  owner: string;
  description?: string;
  createdAt: string;
  latest: number;
}

/** The contract registry's store port (SQLite and PostgreSQL). */
export interface ContractStore {
  getContract(name: string): Promise<Contract | undefined>;
  listContracts(): Promise<Contract[]>;
  /** Create the contract if new; insert the next version number (serialized per contract). */
  addVersion(contract: Omit<Contract, 'createdAt' | 'latest'>, build: (previous: ContractVersion | undefined) => Omit<ContractVersion, 'version'>): Promise<ContractVersion>;
  getVersion(name: string, version: number): Promise<ContractVersion | undefined>;
  listVersions(name: string): Promise<ContractVersion[]>;
  approve(name: string, version: number, actor: string, at: string): Promise<ContractVersion | undefined>;
  close(): Promise<void>;
}

export type { Page };
