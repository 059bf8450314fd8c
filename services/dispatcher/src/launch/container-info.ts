import type { AppContainer } from '@msched/model';

/** Mesos' ContainerInfo (mesos.proto, v1 JSON field names) for the containers we ask for. */
export type ContainerInfo =
  | { readonly type: 'DOCKER'; readonly docker: { readonly image: string; readonly network: 'HOST'; readonly force_pull_image?: boolean } }
  | { readonly type: 'MESOS'; readonly mesos: { readonly image: { readonly type: 'DOCKER'; readonly docker: { readonly name: string } } } };

/**
 * The TaskInfo.container of an application that runs in an image. Docker containerizer: host
 * networking, because MPI ranks and daemons connect to each other across agents on ports the
 * offers gave. Mesos containerizer: no network_infos, which means the host's network. The runtime
 * is fetched into the sandbox in both cases (mounted into the container as the working directory).
 */
export function containerInfoOf(c: AppContainer): ContainerInfo {
  if (c.type === 'docker') {
    return { type: 'DOCKER', docker: { image: c.image, network: 'HOST', ...(c.forcePullImage !== undefined ? { force_pull_image: c.forcePullImage } : {}) } };
  }
  return { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: c.image } } } };
}
