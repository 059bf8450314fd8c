import type { FrameworkInfo } from '../protocol/mesos-types';

export interface FrameworkTraits { roles: string[]; capabilities: Set<string>; partitionAware: boolean; taskKillingState: boolean }

/**
 * Roles and capabilities of a subscribing framework, with the checks a master makes: `roles` needs
 * the MULTI_ROLE capability and `role` must not be used with it; role names are path-safe.
 */
export function frameworkTraits(info: FrameworkInfo): { ok: true; traits: FrameworkTraits } | { ok: false; error: string } {
  const capabilities = new Set((info.capabilities ?? []).map((c) => c.type).filter((t): t is string => typeof t === 'string'));
  const multiRole = capabilities.has('MULTI_ROLE');
  let roles: string[];
  if (multiRole) {
    if (info.role !== undefined) return { ok: false, error: "'FrameworkInfo.role' must not be set when the MULTI_ROLE capability is set; use 'roles'" };
    roles = [...new Set(info.roles ?? [])];
  } else {
    if (info.roles && info.roles.length > 0) return { ok: false, error: "'FrameworkInfo.roles' is set but the framework lacks the MULTI_ROLE capability" };
    roles = [info.role ?? '*'];
  }
  for (const role of roles) {
    const problem = roleProblem(role);
    if (problem) return { ok: false, error: `Role '${role}' is invalid: ${problem}` };
  }
  return {
    ok: true,
    traits: { roles, capabilities, partitionAware: capabilities.has('PARTITION_AWARE'), taskKillingState: capabilities.has('TASK_KILLING_STATE') },
  };
}

function roleProblem(role: string): string | null {
  if (role === '*') return null;
  if (role === '' || role === '.' || role === '..') return 'it must not be empty, "." or ".."';
  if (role.startsWith('-')) return "it must not start with '-'";
  if (/[\s/\\\x00-\x1f\x7f]/.test(role)) return 'it must not contain whitespace, slashes or control characters';
  return null;
}
