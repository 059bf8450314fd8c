import type { Attribute, Range, Resource } from '../protocol/mesos-types';
import { parseAttributes } from '../resources/attributes';

/** What one agent offers. */
export interface AgentSpec {
  hostname: string;
  cpus: number;
  mem: number;
  disk: number;
  ports: Range;
  attributes: Attribute[];
  /** Other resources, e.g. `gpus`. */
  extra?: Resource[];
}

export interface AgentDefaults {
  cpus: number;
  mem: number;
  disk: number;
  /** Attributes in flag syntax; `%i` is replaced by the agent's 1-based number. */
  attributes: string;
}

/** Per-agent specs from the defaults and the port blocks found for them. */
export function agentSpecs(count: number, defaults: AgentDefaults, portBlocks: Range[], overrides: ReadonlyArray<Partial<AgentSpec> | undefined> = []): AgentSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const o = overrides[i] ?? {};
    return {
      hostname: o.hostname ?? `agent${i + 1}`,
      cpus: o.cpus ?? defaults.cpus,
      mem: o.mem ?? defaults.mem,
      disk: o.disk ?? defaults.disk,
      ports: o.ports ?? portBlocks[i],
      attributes: o.attributes ?? parseAttributes(defaults.attributes.replace(/%i/g, String(i + 1))),
      ...(o.extra ? { extra: o.extra } : {}),
    };
  });
}

export function specResources(spec: AgentSpec): Resource[] {
  return [
    { name: 'cpus', type: 'SCALAR', scalar: { value: spec.cpus } },
    { name: 'mem', type: 'SCALAR', scalar: { value: spec.mem } },
    { name: 'disk', type: 'SCALAR', scalar: { value: spec.disk } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ ...spec.ports }] } },
    ...(spec.extra ?? []),
  ];
}
