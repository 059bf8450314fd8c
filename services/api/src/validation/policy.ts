/** What this installation accepts; built from the `api` settings. */
export interface LaunchPolicy {
  /** Compute resource ids (resourceHostId) we run. */
  readonly computeResources: ReadonlySet<string>;
  /** Airavata queue name → Mesos role. */
  readonly queueRoles: Readonly<Record<string, string>>;
  readonly maxCpuCount: number;
  readonly maxMemoryMb: number;
  readonly maxWallTimeMinutes: number;
  readonly defaultMemoryMbPerRank: number;
}

export function policyFromConfig(api: {
  computeResources: readonly string[]; queueRoles: Readonly<Record<string, string>>; maxCpuCount: number;
  maxMemoryMb: number; maxWallTimeMinutes: number; defaultMemoryMbPerRank: number;
}): LaunchPolicy {
  return {
    computeResources: new Set(api.computeResources),
    queueRoles: { ...api.queueRoles },
    maxCpuCount: api.maxCpuCount,
    maxMemoryMb: api.maxMemoryMb,
    maxWallTimeMinutes: api.maxWallTimeMinutes,
    defaultMemoryMbPerRank: api.defaultMemoryMbPerRank,
  };
}
