import type { TaskInfo } from '../protocol/mesos-types';

/**
 * The local cluster runs every task as a plain process group: it has no Docker and no image
 * provisioner. A task asking for an image gets this reason instead of silently running outside it.
 * Returns undefined for tasks it can run (no container, or a MESOS container without an image).
 */
export function containerRefusal(info: TaskInfo): string | undefined {
  const c = info.container as { type?: string; docker?: { image?: string }; mesos?: { image?: unknown } } | undefined;
  if (!c) return undefined;
  if (c.type === 'DOCKER') {
    return `the local cluster has no Docker containerizer: task ${info.task_id.value} asks for image ${JSON.stringify(c.docker?.image ?? '')}; run image-based applications on a Mesos cluster whose agents run --containerizers=docker,mesos, or drop "container" from the application's catalogue entry`;
  }
  if (c.mesos?.image !== undefined) {
    return `the local cluster has no image provisioner: task ${info.task_id.value} asks the Mesos containerizer for an image; run it on agents with --image_providers=docker --isolation=filesystem/linux,docker/runtime, or drop "container" from the application's catalogue entry`;
  }
  if (c.type !== undefined && c.type !== 'MESOS') return `the local cluster does not support ContainerInfo type ${c.type} (task ${info.task_id.value})`;
  return undefined;
}
