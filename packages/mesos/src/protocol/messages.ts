/**
 * The Mesos v1 messages we read or write, as their proto3 JSON (snake_case field names, enums by
 * name, bytes as Base64 strings). Only the fields this scheduler uses are typed; a master may send
 * more and they pass through untouched.
 */

/** FrameworkID, AgentID, OfferID, TaskID, ExecutorID: all `{ "value": "..." }` on the wire. */
export interface Id {
  readonly value: string;
}

export type ValueType = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';

export interface Range {
  readonly begin: number;
  readonly end: number;
}

export interface ReservationInfo {
  readonly type?: 'UNKNOWN' | 'STATIC' | 'DYNAMIC';
  readonly role?: string;
  readonly principal?: string;
  readonly labels?: Labels;
}

export interface Resource {
  readonly name: string;
  readonly type: ValueType;
  readonly scalar?: { readonly value: number };
  readonly ranges?: { readonly range: readonly Range[] };
  readonly set?: { readonly item: readonly string[] };
  /** Deprecated pre-1.2 reservation role; `reservations` replaces it. */
  readonly role?: string;
  /** Which of a MULTI_ROLE framework's roles the resource is allocated to. */
  readonly allocation_info?: { readonly role?: string };
  readonly reservations?: readonly ReservationInfo[];
  /** Present on revocable (oversubscribed) resources; MPI ranks never run on them. */
  readonly revocable?: Record<string, never>;
  /** Present on persistent volumes and mount/path disks; plain scratch disk has none. */
  readonly disk?: Record<string, unknown>;
  readonly provider_id?: Id;
  readonly shared?: Record<string, never>;
}

export interface Attribute {
  readonly name: string;
  readonly type: ValueType;
  readonly scalar?: { readonly value: number };
  readonly ranges?: { readonly range: readonly Range[] };
  readonly set?: { readonly item: readonly string[] };
  readonly text?: { readonly value: string };
}

export interface Label {
  readonly key: string;
  readonly value?: string;
}

export interface Labels {
  readonly labels: readonly Label[];
}

export interface Offer {
  readonly id: Id;
  readonly framework_id: Id;
  readonly agent_id: Id;
  readonly hostname: string;
  readonly allocation_info?: { readonly role?: string };
  readonly resources: readonly Resource[];
  readonly attributes?: readonly Attribute[];
  readonly executor_ids?: readonly Id[];
  readonly url?: Record<string, unknown>;
  readonly domain?: Record<string, unknown>;
  readonly unavailability?: Record<string, unknown>;
}

export interface CommandUri {
  readonly value: string;
  readonly executable?: boolean;
  readonly extract?: boolean;
  readonly cache?: boolean;
  readonly output_file?: string;
}

export interface EnvironmentVariable {
  readonly name: string;
  readonly type?: 'UNKNOWN' | 'VALUE' | 'SECRET';
  readonly value?: string;
}

export interface CommandInfo {
  /** Fetched into the sandbox before the command starts (errata: under `command`, not the task). */
  readonly uris?: readonly CommandUri[];
  readonly environment?: { readonly variables: readonly EnvironmentVariable[] };
  /** Defaults to true on the master: then `value` runs under /bin/sh -c. */
  readonly shell?: boolean;
  readonly value?: string;
  /** argv including argv[0], used when shell is false. */
  readonly arguments?: readonly string[];
  readonly user?: string;
}

export interface DurationInfo {
  readonly nanoseconds: number;
}

export interface KillPolicy {
  readonly grace_period?: DurationInfo;
}

export interface ExecutorInfo {
  readonly type?: 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
  readonly executor_id: Id;
  readonly framework_id?: Id;
  readonly command?: CommandInfo;
  readonly container?: Record<string, unknown>;
  readonly resources?: readonly Resource[];
  readonly name?: string;
}

export interface TaskInfo {
  readonly name: string;
  readonly task_id: Id;
  readonly agent_id: Id;
  readonly resources: readonly Resource[];
  readonly executor?: ExecutorInfo;
  readonly command?: CommandInfo;
  readonly container?: Record<string, unknown>;
  readonly kill_policy?: KillPolicy;
  readonly labels?: Labels;
  /** Base64. */
  readonly data?: string;
  readonly max_completion_time?: DurationInfo;
}

export type FrameworkCapabilityType =
  | 'MULTI_ROLE'
  | 'PARTITION_AWARE'
  | 'TASK_KILLING_STATE'
  | 'GPU_RESOURCES'
  | 'SHARED_RESOURCES'
  | 'REVOCABLE_RESOURCES'
  | 'REGION_AWARE'
  | 'RESERVATION_REFINEMENT';

export interface FrameworkInfo {
  readonly user: string;
  readonly name: string;
  readonly id?: Id;
  /** Seconds Mesos keeps our tasks while no scheduler is connected; Mesos' default 0 kills them at once. */
  readonly failover_timeout?: number;
  readonly checkpoint?: boolean;
  readonly roles?: readonly string[];
  readonly hostname?: string;
  readonly principal?: string;
  readonly webui_url?: string;
  readonly capabilities?: ReadonlyArray<{ readonly type: FrameworkCapabilityType }>;
  readonly labels?: Labels;
}

export interface Address {
  readonly hostname?: string;
  readonly ip?: string;
  readonly port: number;
}

export interface MasterInfo {
  readonly id: string;
  /** IPv4 as a packed integer in network order; prefer `address.ip`. */
  readonly ip?: number;
  readonly port: number;
  readonly pid?: string;
  readonly hostname?: string;
  readonly version?: string;
  readonly address?: Address;
}

export interface Filters {
  /** How long the allocator keeps the declined resources away from us; Mesos' default is 5. */
  readonly refuse_seconds?: number;
}
