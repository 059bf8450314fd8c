import { randomBytes } from 'node:crypto';

/** Where one demo keeps its files. */
export interface DemoPlaces {
  readonly state: string;
  readonly catalogue: string;
  readonly dataRoot: string;
}

/**
 * The environment both demos (`npm run demo`, `npm run demo -- --workflow`) start the services
 * with, on top of the caller's: one function, so a setting the services come to need (as the
 * static token when oidc became the default) reaches both. Settings the caller gives win where
 * the demo has no reason to override them (the Mesos master, the runtime's port).
 */
export function demoServiceEnv(base: NodeJS.ProcessEnv, at: DemoPlaces): NodeJS.ProcessEnv {
  return {
    ...base,
    MSCHED_STATE_DIR: at.state,
    MSCHED_APP_CATALOGUE: at.catalogue,
    MSCHED_DATA_ROOT: at.dataRoot,
    MSCHED_MESOS_MASTER: base.MSCHED_MESOS_MASTER ?? 'zk://127.0.0.1:22181/mesos',
    // The local cluster's agents share this machine and have names that do not resolve.
    MSCHED_MPI_NETWORK_INTERFACES: 'lo',
    MSCHED_MPI_OPENMPI_BTL: 'tcp,self',
    MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
    MSCHED_LOG_FORMAT: 'json',
    MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '5',
    // Production uses Keycloak tokens (oidc); the demo has no Keycloak, so the orchestrator is a
    // trusted peer with a one-off shared secret (passed in the environment, never on a command line).
    MSCHED_API_AUTH_MODE: 'static',
    MSCHED_API_AUTH_SECRET: randomBytes(24).toString('hex'),
    // The dispatcher serves the task runtime to the agents; any free port, so demos never collide.
    MSCHED_RUNTIME_PORT: base.MSCHED_RUNTIME_PORT ?? '0',
  };
}
