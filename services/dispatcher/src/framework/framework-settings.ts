import type { Config } from '@msched/config';
import type { FrameworkSettings } from '@msched/mesos';

/**
 * Every role a gang may be scheduled under: the framework's default role and each role an Airavata
 * queue maps to (a gang's role comes from its queue). The framework subscribes with all of them.
 */
export function frameworkRoles(cfg: Pick<Config, 'mesos' | 'api'>): string[] {
  return [...new Set([cfg.mesos.role, ...Object.values(cfg.api.queueRoles)])].sort();
}

/** Our FrameworkInfo settings; the client adds MULTI_ROLE, PARTITION_AWARE and TASK_KILLING_STATE. */
export function frameworkSettings(cfg: Pick<Config, 'mesos' | 'api' | 'dispatcher'>, frameworkId: string | undefined): FrameworkSettings {
  return {
    user: cfg.mesos.user,
    name: cfg.dispatcher.frameworkName,
    roles: frameworkRoles(cfg),
    failoverTimeoutSeconds: cfg.mesos.failoverTimeoutSeconds,
    ...(frameworkId ? { frameworkId } : {}),
    ...(cfg.mesos.principal ? { principal: cfg.mesos.principal } : {}),
  };
}
