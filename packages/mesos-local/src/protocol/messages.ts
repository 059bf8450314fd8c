import { Shape, isObject, join } from './json-shape';

/**
 * Structural checks of the protobuf messages inside calls: required fields present, fields of the
 * right JSON type. Semantic checks (enough resources, duplicate ids...) happen later, in the master,
 * where Mesos does them too, and become TASK_ERROR updates rather than HTTP errors.
 */
const VALUE_TYPES = ['SCALAR', 'RANGES', 'SET', 'TEXT'] as const;

export function checkResource(s: Shape, r: unknown, path: string): void {
  if (!isObject(r)) {
    s.problems.invalid.push(`Expecting a JSON object for field '${path}'`);
    return;
  }
  s.string(r, 'name', path, true);
  s.enumName(r, 'type', path, VALUE_TYPES, true);
  const scalar = s.object(r, 'scalar', path);
  if (scalar) s.number(scalar, 'value', join(path, 'scalar'), true);
  const ranges = s.object(r, 'ranges', path);
  if (ranges) {
    s.array(ranges, 'range', join(path, 'ranges')).forEach((rg, i) => {
      const p = `${join(path, 'ranges.range')}[${i}]`;
      if (!isObject(rg)) return void s.problems.invalid.push(`Expecting a JSON object for field '${p}'`);
      s.number(rg, 'begin', p, true);
      s.number(rg, 'end', p, true);
    });
  }
  s.string(r, 'role', path);
}

export function checkResources(s: Shape, parent: Record<string, unknown>, key: string, path: string): void {
  s.array(parent, key, path).forEach((r, i) => checkResource(s, r, `${join(path, key)}[${i}]`));
}

export function checkCommandInfo(s: Shape, c: Record<string, unknown>, path: string): void {
  s.boolean(c, 'shell', path);
  s.string(c, 'value', path);
  s.stringArray(c, 'arguments', path);
  s.string(c, 'user', path);
  const env = s.object(c, 'environment', path);
  if (env) {
    s.array(env, 'variables', join(path, 'environment')).forEach((v, i) => {
      const p = `${join(path, 'environment.variables')}[${i}]`;
      if (!isObject(v)) return void s.problems.invalid.push(`Expecting a JSON object for field '${p}'`);
      s.string(v, 'name', p, true);
      s.string(v, 'value', p);
    });
  }
  s.array(c, 'uris', path).forEach((u, i) => {
    const p = `${join(path, 'uris')}[${i}]`;
    if (!isObject(u)) return void s.problems.invalid.push(`Expecting a JSON object for field '${p}'`);
    s.string(u, 'value', p, true);
    s.boolean(u, 'executable', p);
    s.boolean(u, 'extract', p);
    s.boolean(u, 'cache', p);
    s.string(u, 'output_file', p);
  });
}

function checkDuration(s: Shape, parent: Record<string, unknown>, key: string, path: string): void {
  const d = s.object(parent, key, path);
  if (d) s.number(d, 'nanoseconds', join(path, key), true);
}

export function checkExecutorInfo(s: Shape, e: Record<string, unknown>, path: string): void {
  s.id(e, 'executor_id', path, true);
  s.id(e, 'framework_id', path);
  s.enumName(e, 'type', path, ['UNKNOWN', 'DEFAULT', 'CUSTOM'] as const);
  const cmd = s.object(e, 'command', path);
  if (cmd) checkCommandInfo(s, cmd, join(path, 'command'));
  checkResources(s, e, 'resources', path);
  checkDuration(s, e, 'shutdown_grace_period', path);
}

export function checkTaskInfo(s: Shape, t: unknown, path: string): void {
  if (!isObject(t)) {
    s.problems.invalid.push(`Expecting a JSON object for field '${path}'`);
    return;
  }
  s.string(t, 'name', path, true);
  s.id(t, 'task_id', path, true);
  s.id(t, 'agent_id', path, true);
  checkResources(s, t, 'resources', path);
  const cmd = s.object(t, 'command', path);
  if (cmd) checkCommandInfo(s, cmd, join(path, 'command'));
  const ex = s.object(t, 'executor', path);
  if (ex) checkExecutorInfo(s, ex, join(path, 'executor'));
  const kp = s.object(t, 'kill_policy', path);
  if (kp) checkDuration(s, kp, 'grace_period', join(path, 'kill_policy'));
}

export function checkFrameworkInfo(s: Shape, f: Record<string, unknown>, path: string): void {
  s.string(f, 'user', path, true);
  s.string(f, 'name', path, true);
  s.id(f, 'id', path);
  s.number(f, 'failover_timeout', path);
  s.boolean(f, 'checkpoint', path);
  s.string(f, 'role', path);
  s.stringArray(f, 'roles', path);
  s.string(f, 'hostname', path);
  s.string(f, 'principal', path);
  s.array(f, 'capabilities', path).forEach((c, i) => {
    if (!isObject(c)) s.problems.invalid.push(`Expecting a JSON object for field '${join(path, 'capabilities')}[${i}]'`);
  });
}

export function checkFilters(s: Shape, parent: Record<string, unknown>, path: string): void {
  const f = s.object(parent, 'filters', path);
  if (f) s.number(f, 'refuse_seconds', join(path, 'filters'));
}
