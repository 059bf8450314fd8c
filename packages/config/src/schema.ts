import { bool, hostPorts, int, limits, list, mapping, num, oneOf, optStr, port, positive, Setting, SettingParseError, str, url, weights } from './settings';

const PUBLISHER_CHANNELS = ['airavata-kafka', 'airavata-amqp', 'job-monitor', 'monitoring-data'] as const;
type PublisherChannel = (typeof PUBLISHER_CHANNELS)[number];

/** A comma-separated subset of the publisher channels; empty selects none. */
function publisherChannels(env: string, doc: string, def: string): Setting<PublisherChannel[]> {
  return {
    ...list(env, doc, def),
    expects: `a comma-separated list of ${PUBLISHER_CHANNELS.join(', ')} (or empty)`,
    parse: (raw) => {
      const items = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (items.some((s) => !(PUBLISHER_CHANNELS as readonly string[]).includes(s))) throw new SettingParseError('unknown channel');
      return [...new Set(items)] as PublisherChannel[];
    },
  };
}

/** host:port list that may be empty ("use the default brokers"). */
function optHostPorts(env: string, doc: string): Setting<string[]> {
  const inner = hostPorts(env, doc, '');
  return { ...inner, expects: `${inner.expects} (or empty)`, parse: (raw) => (raw.trim() === '' ? [] : inner.parse(raw)) };
}

/** Comma-separated list that may be empty. */
function optList(env: string, doc: string, def = ''): Setting<string[]> {
  const inner = list(env, doc, def);
  return { ...inner, expects: `${inner.expects} (or empty)`, parse: (raw) => (raw.trim() === '' ? [] : inner.parse(raw)) };
}

/**
 * Every setting the meta-scheduler reads. docs/configuration.md is generated from this tree
 * (`npm run docs:config`) and a test fails when the two drift apart.
 */
export const schema = {
  environment: oneOf('MSCHED_ENV', 'Deployment environment; "production" switches logs to JSON lines by default.', ['development', 'test', 'production'] as const, 'development'),
  stateDir: str('MSCHED_STATE_DIR', 'Folder for local state: the local stack\'s data, sandboxes of the local cluster, collected outputs.', '.state'),
  log: {
    level: oneOf('MSCHED_LOG_LEVEL', 'Minimum log level.', ['error', 'warn', 'info', 'debug'] as const, 'info'),
    format: oneOf('MSCHED_LOG_FORMAT', '"json" for JSON lines, "pretty" for readable lines, "auto" picks pretty on a terminal outside production.', ['auto', 'json', 'pretty'] as const, 'auto'),
  },
  database: {
    url: url('MSCHED_DATABASE_URL', 'PostgreSQL connection URL of the job database.', 'postgres://postgres@127.0.0.1:5432/msched_dev', ['postgres', 'postgresql'], { secret: true }),
    poolSize: int('MSCHED_DATABASE_POOL_SIZE', 'Maximum connections per process.', 10, 1, 500),
    runMigrations: bool('MSCHED_DATABASE_MIGRATE_ON_START', 'Apply pending migrations when a service starts.', true),
  },
  kafka: {
    brokers: hostPorts('MSCHED_KAFKA_BROKERS', 'Kafka bootstrap brokers.', '127.0.0.1:29092'),
    clientId: str('MSCHED_KAFKA_CLIENT_ID', 'Client id prefix used by producers and consumers.', 'msched'),
    topicPrefix: optStr('MSCHED_KAFKA_TOPIC_PREFIX', 'Prefix for every topic the services create and use (lets tests and several installations share one cluster).', 'msched.'),
    partitions: int('MSCHED_KAFKA_PARTITIONS', 'Partitions of each topic created by the stack or the services.', 4, 1, 1024),
    sessionTimeoutMs: int('MSCHED_KAFKA_SESSION_TIMEOUT_MS', 'Consumer group session timeout: how long a crashed worker holds its partitions before another takes them over.', 30000, 6000, 300000),
    replicationFactor: int('MSCHED_KAFKA_REPLICATION_FACTOR', 'Replication factor of created topics.', 1, 1, 16),
    tls: bool('MSCHED_KAFKA_TLS', 'Talk TLS to the brokers (their SSL or SASL_SSL listeners), verifying their certificates.', false),
    caFile: optStr('MSCHED_KAFKA_CA_FILE', 'PEM CA bundle trusted for the brokers\' certificates besides the system CAs (with MSCHED_KAFKA_TLS).', ''),
    saslMechanism: oneOf('MSCHED_KAFKA_SASL_MECHANISM', 'SASL authentication to the brokers: scram-sha-256 or scram-sha-512 (SASL/SCRAM), plain, or none.', ['none', 'scram-sha-256', 'scram-sha-512', 'plain'] as const, 'none'),
    saslUsername: optStr('MSCHED_KAFKA_SASL_USERNAME', 'SASL user name (with MSCHED_KAFKA_SASL_MECHANISM).', ''),
    saslPasswordFile: optStr('MSCHED_KAFKA_SASL_PASSWORD_FILE', 'File holding the SASL password (surrounding whitespace ignored); wins over MSCHED_KAFKA_SASL_PASSWORD.', ''),
    saslPassword: optStr('MSCHED_KAFKA_SASL_PASSWORD', 'The SASL password itself, for platforms that inject secrets as environment variables.', '', { secret: true }),
  },
  zookeeper: {
    connect: hostPorts('MSCHED_ZK_CONNECT', 'ZooKeeper ensemble used for dispatcher election and MPI rendezvous.', '127.0.0.1:22181'),
    root: str('MSCHED_ZK_ROOT', 'Root znode of the meta-scheduler\'s own nodes.', '/msched'),
    sessionTimeoutMs: int('MSCHED_ZK_SESSION_TIMEOUT_MS', 'ZooKeeper session timeout in milliseconds, asked of the server by every client (dispatcher election, leading-master detection, gang rendezvous). It bounds failover: a dispatcher that dies without closing its session (kill -9, a lost host) keeps leading in ZooKeeper until its session expires, so a standby takes over this long (plus up to one server tickTime) after the death. Shorter fails over faster, but a client that cannot reach ZooKeeper for this long (a long GC or event-loop stall, a network blip) loses its session: a leader steps down and a gang rank\'s rendezvous nodes vanish. The server clamps the value to its [minSessionTimeout, maxSessionTimeout] (by default 2 and 20 times its tickTime); the services log the value granted when it differs.', 8000, 1000, 120000),
  },
  mpi: {
    rendezvousTimeoutSeconds: int('MSCHED_MPI_RENDEZVOUS_TIMEOUT_SECONDS', 'How long the tasks of a gang wait for each other in ZooKeeper before the job fails naming the missing members.', 120, 1, 3600),
    zkRetrySeconds: int('MSCHED_MPI_ZK_RETRY_SECONDS', 'How long a gang task keeps trying ZooKeeper through an outage (its rendezvous, rank records, the result) before it fails the job as retriable (zookeeper_unavailable); its MPI processes keep running meanwhile.', 180, 0, 3600),
    killGraceMs: int('MSCHED_MPI_KILL_GRACE_MS', 'Time between SIGTERM and SIGKILL when a gang task ends its MPI processes.', 3000, 0, 60000),
    openmpiMpirun: str('MSCHED_MPI_OPENMPI_MPIRUN', 'Path of OpenMPI\'s mpirun on the agents (name the flavour\'s binary: plain mpirun may be another MPI).', '/usr/bin/mpirun.openmpi'),
    mpichMpiexec: str('MSCHED_MPI_MPICH_MPIEXEC', 'Path of MPICH\'s Hydra mpiexec on the agents.', '/usr/bin/mpiexec.hydra'),
    networkInterfaces: optStr('MSCHED_MPI_NETWORK_INTERFACES', 'Comma-separated network interfaces MPI\'s TCP traffic may use (OpenMPI btl/oob_tcp_if_include, MPICH -iface takes the first); empty lets MPI choose, right for a real cluster. The local cluster needs "lo".', ''),
    openmpiBtl: optStr('MSCHED_MPI_OPENMPI_BTL', 'OpenMPI byte transfer layers (--mca btl); empty keeps OpenMPI\'s default (shared memory within a node). The local cluster, whose agents share one machine, needs "tcp,self".', ''),
    launcherAddress: optStr('MSCHED_MPI_LAUNCHER_ADDRESS', 'Address MPICH proxies use to reach the launcher (mpiexec -localhost); empty means the launcher agent\'s hostname. The local cluster, whose agent names do not resolve, needs "127.0.0.1".', ''),
    runnerNode: optStr('MSCHED_MPI_RUNNER_NODE', 'Only with MSCHED_MPI_RUNNER_DIR (programs installed on the agents instead of the fetched runtime): path of node on the agents; empty means the dispatcher\'s own node.', ''),
    runnerDir: optStr('MSCHED_MPI_RUNNER_DIR', 'Set only to run the task programs from a copy of packages/mpi/dist installed on every agent instead of the fetched runtime (MSCHED_RUNTIME_URI); empty (the default) means tasks fetch the runtime.', ''),
  },
  mesos: {
    master: url('MSCHED_MESOS_MASTER', 'Mesos master: zk://host:port/path (leader found through ZooKeeper) or http://host:port.', 'zk://127.0.0.1:22181/mesos', ['zk', 'http', 'https']),
    role: str('MSCHED_MESOS_ROLE', 'Default Mesos role of the framework.', 'mpi'),
    principal: optStr('MSCHED_MESOS_PRINCIPAL', 'Framework principal (empty for none); with a secret it is also the HTTP Basic user the masters authenticate.', ''),
    secretFile: optStr('MSCHED_MESOS_SECRET_FILE', 'File holding the framework\'s secret (the masters\' --credentials entry of MSCHED_MESOS_PRINCIPAL; surrounding whitespace ignored). Sent as HTTP Basic on every scheduler call. Empty: MSCHED_MESOS_SECRET, else no authentication.', ''),
    secret: optStr('MSCHED_MESOS_SECRET', 'The framework\'s secret itself, for platforms that inject secrets as environment variables; MSCHED_MESOS_SECRET_FILE wins when both are set.', '', { secret: true }),
    caFile: optStr('MSCHED_MESOS_CA_FILE', 'PEM CA bundle trusted for https:// masters besides the system CAs (a cluster with its own CA).', ''),
    user: str('MSCHED_MESOS_USER', 'Unix user tasks run as on the agents.', 'root'),
    failoverTimeoutSeconds: num('MSCHED_MESOS_FAILOVER_TIMEOUT_SECONDS', 'How long Mesos keeps our tasks while no dispatcher is connected (one week by default).', 604800, 0),
  },
  api: {
    host: str('MSCHED_API_HOST', 'Address the Thrift API binds to.', '127.0.0.1'),
    port: port('MSCHED_API_PORT', 'Port of the Thrift API.', 9930),
    transport: oneOf('MSCHED_API_TRANSPORT', 'Thrift transport: buffered as Airavata\'s own servers, or framed.', ['buffered', 'framed'] as const, 'buffered'),
    maxMessageBytes: int('MSCHED_API_MAX_MESSAGE_BYTES', 'Largest Thrift message accepted; bigger ones close the connection.', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    queueRoles: mapping('MSCHED_API_QUEUE_ROLES', 'Airavata queue name → Mesos role. Launches naming another queue are refused.', 'normal=mpi,debug=mpi'),
    computeResources: list('MSCHED_API_COMPUTE_RESOURCES', 'Compute resource ids (resourceHostId) this installation runs; launches naming another are refused.', 'mesos-local'),
    authMode: oneOf('MSCHED_API_AUTH_MODE', 'How AuthzToken.accessToken is checked: "oidc" (a Keycloak OAuth2 access token of the gateway\'s realm, verified against the realm\'s keys; the MSCHED_API_OIDC_* settings, docs/operator-guide.md), "static" (equals the secret), "hmac" (an HS256 JWT signed with the secret, see docs/api.md), or "none" (development only; refused when MSCHED_ENV=production). static, hmac and none are for development and tests.', ['oidc', 'none', 'static', 'hmac'] as const, 'oidc'),
    authSecret: optStr('MSCHED_API_AUTH_SECRET', 'The static token, or the HMAC key of signed tokens. Required by MSCHED_API_AUTH_MODE=static or hmac.', '', { secret: true }),
    oidc: {
      url: url('MSCHED_API_OIDC_URL', 'Base URL of the Keycloak server Airavata uses (its remote IDP service URL, e.g. https://iam.example.org/auth); a realm\'s issuer is <url>/realms/<realm>. Required by MSCHED_API_AUTH_MODE=oidc.', '', ['http', 'https'], { allowEmpty: true }),
      defaultRealm: optStr('MSCHED_API_OIDC_DEFAULT_REALM', 'Realm of gateways not named in MSCHED_API_OIDC_GATEWAY_REALMS; empty refuses such gateways.', 'default'),
      gatewayRealms: mapping('MSCHED_API_OIDC_GATEWAY_REALMS', 'Airavata gateway id → Keycloak realm (its identityServerTenant), e.g. seagrid=seagrid,ultrascan=ultrascan. A token is accepted for a gateway only when its realm issued it.', ''),
      verify: oneOf('MSCHED_API_OIDC_VERIFY', '"jwks": verify the JWT locally against the realm\'s published keys (fast, no call per token); "userinfo": ask the realm\'s userinfo endpoint as Airavata does (works with opaque tokens; one HTTP call per new token, then cached).', ['jwks', 'userinfo'] as const, 'jwks'),
      audience: optList('MSCHED_API_OIDC_AUDIENCE', 'Accepted "aud" values of access tokens; empty does not check the audience (Keycloak puts "account" there unless an audience mapper is set).'),
      authorizedParties: optList('MSCHED_API_OIDC_AUTHORIZED_PARTIES', 'Accepted "azp" values (the Keycloak clients tokens were issued to, e.g. the gateway\'s portal client); empty accepts any client of the realm.'),
      gatewayClaim: optStr('MSCHED_API_OIDC_GATEWAY_CLAIM', 'Token claim that must equal claimsMap.gatewayID (for realms shared by several gateways, with a Keycloak mapper adding the claim); empty relies on the realm alone.', ''),
      rolesClient: optStr('MSCHED_API_OIDC_ROLES_CLIENT', 'Keycloak client whose roles (resource_access.<client>.roles) count besides the realm roles (realm_access.roles) and groups; empty: realm roles and groups only.', ''),
      adminRoles: optList('MSCHED_API_OIDC_ADMIN_ROLES', 'Roles or groups of gateway admins: launch, read and terminate any experiment of their gateway, operate.', 'admin,gateway-provider'),
      readOnlyAdminRoles: optList('MSCHED_API_OIDC_READ_ONLY_ADMIN_ROLES', 'Roles or groups of read-only admins: read any experiment of their gateway, launch and terminate nothing (unless they also hold a user role).', 'admin-read-only'),
      userRoles: optList('MSCHED_API_OIDC_USER_ROLES', 'Roles or groups that may launch and terminate their own experiments; empty lets every user of the gateway\'s realm do so (Airavata\'s "gateway-user" default) except read-only admins.', ''),
      clockSkewSeconds: int('MSCHED_API_OIDC_CLOCK_SKEW_SECONDS', 'Clock difference tolerated when checking exp, nbf and iat.', 30, 0, 300),
      jwksCooldownSeconds: int('MSCHED_API_OIDC_JWKS_COOLDOWN_SECONDS', 'A token signed with a key the cached key set lacks refetches the realm\'s keys, at most once per this many seconds (also the wait after a failed discovery).', 5, 1, 3600),
      jwksMaxAgeSeconds: int('MSCHED_API_OIDC_JWKS_MAX_AGE_SECONDS', 'Cached realm keys are refetched after this many seconds even when no unknown key was seen.', 600, 10, 86400),
      httpTimeoutMs: int('MSCHED_API_OIDC_HTTP_TIMEOUT_MS', 'Longest wait for Keycloak (discovery, keys, userinfo); a slower answer fails the call as retriable.', 5000, 100, 120000),
      caFile: optStr('MSCHED_API_OIDC_CA_FILE', 'PEM CA bundle trusted for HTTPS to Keycloak (besides the system CAs); empty: system CAs only.', ''),
      cacheSeconds: int('MSCHED_API_OIDC_CACHE_SECONDS', 'How long an accepted token\'s identity is reused without verifying it again (never past its expiry); 0 turns the cache off.', 60, 0, 3600),
      cacheEntries: int('MSCHED_API_OIDC_CACHE_ENTRIES', 'Most tokens the identity cache holds (oldest dropped first).', 10000, 1, 10000000),
    },
    tlsCertPath: optStr('MSCHED_API_TLS_CERT', 'PEM certificate (chain) of the API; with MSCHED_API_TLS_KEY it turns TLS on. Empty: plain TCP.', ''),
    tlsKeyPath: optStr('MSCHED_API_TLS_KEY', 'PEM private key matching MSCHED_API_TLS_CERT.', ''),
    idleTimeoutMs: int('MSCHED_API_IDLE_TIMEOUT_MS', 'A connection silent this long is closed, also one stuck halfway through a message.', 120000, 1000, 86400000),
    maxConnections: int('MSCHED_API_MAX_CONNECTIONS', 'Most client connections served at once; more are refused.', 1024, 1, 100000),
    defaultMemoryMbPerRank: int('MSCHED_API_DEFAULT_MEMORY_MB_PER_RANK', 'Memory per rank (MB) when a launch gives no totalPhysicalMemory.', 1024, 1, 1048576),
    maxMemoryMb: int('MSCHED_API_MAX_MEMORY_MB', 'Largest totalPhysicalMemory (MB) a launch may ask for.', 1048576, 1, 2147483647),
    maxCpuCount: int('MSCHED_API_MAX_CPU_COUNT', 'Largest totalCPUCount a launch may ask for.', 4096, 1, 1000000),
    maxWallTimeMinutes: int('MSCHED_API_MAX_WALLTIME_MINUTES', 'Largest wallTimeLimit (minutes) a launch may ask for.', 10080, 1, 5256000),
    launchBatchSize: int('MSCHED_API_LAUNCH_BATCH_SIZE', 'Group commit: most concurrent launches written to PostgreSQL by one statement and one commit (1: each launch commits alone).', 64, 1, 1000),
    launchWritesInFlight: int('MSCHED_API_LAUNCH_WRITES_IN_FLIGHT', 'Group commit: launch statements in flight at once; launches arriving meanwhile are written together by the next one. Keep below MSCHED_DATABASE_POOL_SIZE.', 2, 1, 100),
    launchLingerMs: int('MSCHED_API_LAUNCH_LINGER_MS', 'Group commit: how long a launch waits for others before its statement goes even when a write slot is free (0: it goes at once).', 0, 0, 100),
    runRelay: bool('MSCHED_API_RUN_RELAY', 'Run an outbox relay inside the API process; turn off when relays run elsewhere (the API then wakes them with NOTIFY).', true),
    healthPort: int('MSCHED_API_HEALTH_PORT', 'Port of the API\'s /healthz, /readyz and /metrics (0: not served).', 9931, 0, 65535),
  },
  outbox: {
    pollIntervalMs: int('MSCHED_OUTBOX_POLL_INTERVAL_MS', 'How often a relay looks for unsent outbox rows when nothing woke it: a safety net, since writers wake the relay of their own process and NOTIFY the others, and the LISTEN connection looks again after every reconnection.', 5000, 10, 600000),
    batchSize: int('MSCHED_OUTBOX_BATCH_SIZE', 'Most outbox rows a relay publishes per Kafka request.', 200, 1, 10000),
    maxBackoffMs: int('MSCHED_OUTBOX_MAX_BACKOFF_MS', 'Longest wait between publish attempts while Kafka is unreachable (rows wait in the outbox meanwhile).', 10000, 100, 600000),
    retentionHours: int('MSCHED_OUTBOX_RETENTION_HOURS', 'Published outbox rows are deleted after this many hours (0 keeps them forever).', 168, 0, 87600),
  },
  publishers: {
    channels: publisherChannels('MSCHED_PUBLISHERS', 'Status channels fed from the events topic (docs/events.md): airavata-kafka (messaging events on Kafka), airavata-amqp (messaging events on RabbitMQ; runs only when MSCHED_PUBLISHERS_AMQP_URL is set), job-monitor (helix-airavata-mq JSON), monitoring-data (CSV). Empty runs none.', 'airavata-kafka,airavata-amqp'),
    kafkaBrokers: optHostPorts('MSCHED_PUBLISHERS_KAFKA_BROKERS', 'Kafka brokers Airavata listens on (messaging, job-monitor and monitoring-data topics); empty means MSCHED_KAFKA_BROKERS.'),
    messagingTopic: optStr('MSCHED_PUBLISHERS_MESSAGING_TOPIC', 'Topic of Airavata messaging events (Thrift Message, key = routing key); empty means <prefix>airavata.status.', ''),
    jobMonitorTopic: str('MSCHED_PUBLISHERS_JOB_MONITOR_TOPIC', 'Topic of Airavata\'s realtime job monitor (JSON).', 'helix-airavata-mq'),
    monitoringTopic: str('MSCHED_PUBLISHERS_MONITORING_TOPIC', 'Topic of Airavata\'s job monitoring data (CSV, key = jobId).', 'monitoring-data'),
    publisherName: str('MSCHED_PUBLISHERS_MONITORING_PUBLISHER', 'publisherName field of the monitoring-data CSV lines.', 'msched'),
    createTopics: bool('MSCHED_PUBLISHERS_CREATE_TOPICS', 'Create missing output topics when a Kafka channel first connects (turn off where Airavata\'s cluster forbids it).', true),
    amqpUrl: url('MSCHED_PUBLISHERS_AMQP_URL', 'RabbitMQ URL (amqp://user:password@host:5672/vhost) for Airavata\'s status exchange; empty disables the airavata-amqp channel.', '', ['amqp', 'amqps'], { secret: true, allowEmpty: true }),
    amqpCaFile: optStr('MSCHED_PUBLISHERS_AMQP_CA_FILE', 'PEM CA bundle trusted for an amqps:// RabbitMQ besides the system CAs (amqps verifies the broker\'s certificate and host name).', ''),
    amqpExchange: str('MSCHED_PUBLISHERS_AMQP_EXCHANGE', 'Durable topic exchange Airavata reads status from.', 'status_exchange'),
  },
  provisioner: {
    appCatalogue: str('MSCHED_APP_CATALOGUE', 'JSON file mapping Airavata application deployment / interface ids to the executable, MPI flavour and environment they run with (docs/operators.md).', 'deploy/local/apps.json'),
    dataRoot: str('MSCHED_DATA_ROOT', 'Folder where each experiment\'s outputs are collected (<root>/<gatewayId>/<experimentId>) when its process names no experimentDataDir.', '.state/data'),
    stageMaxAttempts: int('MSCHED_STAGE_MAX_ATTEMPTS', 'Attempts per provisioning stage before its message goes to the dead-letter topic and the process FAILS. The default\'s retries span about 3 minutes with the default backoff, past a Mesos master failover and its agents\' re-registration (collecting outputs reads the sandboxes through them).', 10, 1, 100),
    stageBackoffInitialMs: int('MSCHED_STAGE_BACKOFF_INITIAL_MS', 'First retry delay of a failed stage; doubles per attempt with jitter.', 1000, 1, 3600000),
    stageBackoffMaxMs: int('MSCHED_STAGE_BACKOFF_MAX_MS', 'Longest retry delay of a failed stage.', 60000, 1, 86400000),
    stageTimeoutMs: int('MSCHED_STAGE_TIMEOUT_MS', 'Longest one stage run may take (a hung input server counts as a failed attempt).', 120000, 100, 86400000),
    chainStages: bool('MSCHED_STAGE_CHAIN', 'Run a job\'s next provisioning stage in the same Kafka consumer turn as the one before it (no outbox message and Kafka hop between them); each stage is still claimed, retried and recorded in stage_runs on its own.', true),
    retryPollMs: int('MSCHED_STAGE_RETRY_POLL_MS', 'Longest sleep of the stage retry scheduler: it wakes when this provisioner schedules a retry and when the earliest one comes due; this bounds how late it finds retries other provisioners scheduled.', 10000, 50, 600000),
    capacityProvider: oneOf('MSCHED_CAPACITY_PROVIDER', 'Who adds agents when a gang does not fit: static (a fixed cluster) or local (the local cluster\'s agent API).', ['static', 'local'] as const, 'static'),
    capacityMaxAgents: int('MSCHED_CAPACITY_MAX_AGENTS', 'Most agents the capacity provider may add at once (quota).', 4, 0, 10000),
    capacityAgentCpus: num('MSCHED_CAPACITY_AGENT_CPUS', 'cpus of each agent the local provider adds.', 4, 0.1),
    capacityAgentMemMb: int('MSCHED_CAPACITY_AGENT_MEM_MB', 'Memory (MB) of each agent the local provider adds.', 4096, 32, 16777216),
    capacityWaitSeconds: int('MSCHED_CAPACITY_WAIT_SECONDS', 'How long the capacity stage waits for added agents to register.', 60, 1, 3600),
    healthPort: int('MSCHED_PROVISIONER_HEALTH_PORT', 'Port of the provisioner\'s /healthz, /readyz and /metrics (0 = any free port).', 9941, 0, 65535),
    runPublishers: bool('MSCHED_PROVISIONER_RUN_PUBLISHERS', 'Run the status publishers (docs/events.md) inside the provisioner process.', true),
  },
  dispatcher: {
    offerHoldSeconds: int('MSCHED_DISPATCHER_OFFER_HOLD_SECONDS', 'Longest time an offer is held for waiting gangs (gathering room for a large gang) before it is declined.', 30, 1, 3600),
    declineRefuseSeconds: int('MSCHED_DISPATCHER_DECLINE_REFUSE_SECONDS', 'Filter (refuse_seconds) on offers declined after being held: gangs still wait, so they should come back soon.', 10, 0, 86400),
    idleRefuseSeconds: int('MSCHED_DISPATCHER_IDLE_REFUSE_SECONDS', 'Filter on offers no waiting gang can use; REVIVE clears it when work arrives.', 300, 0, 86400),
    acceptRefuseSeconds: int('MSCHED_DISPATCHER_ACCEPT_REFUSE_SECONDS', 'Filter on the unused rest of accepted offers (Mesos declines it with this filter).', 1, 0, 86400),
    reservationAgingSeconds: int('MSCHED_DISPATCHER_RESERVATION_AGING_SECONDS', 'Once the head gang of a queue has waited this long without an end-time estimate, no smaller gang may start ahead of it (no starvation).', 600, 0, 604800),
    holdForReservation: bool('MSCHED_DISPATCHER_HOLD_FOR_RESERVATION', 'Keep held offers past the hold limit while the head gang of their role has a reservation with an end-time estimate, as EASY keeps free processors for the head. Worth it only where this framework has the agents to itself: on a shared cluster other frameworks\' tasks starve (docs/scheduling.md). Off (default): held offers are declined at the hold limit.', false),
    reviveOnGangEnd: bool('MSCHED_DISPATCHER_REVIVE_ON_GANG_END', 'Send a REVIVE when a gang ends while others of its role wait: Mesos offers resources freed by ended tasks only at its next batch allocation (up to an allocation interval later) and allocates at once on a REVIVE. One REVIVE per gang end, which also clears the role\'s decline filters. In the trace simulator (with the by-agent-shape spare rule) it brought KTH and HPC2N level with EASY (docs/scheduling.md).', false),
    maxGangAttempts: int('MSCHED_DISPATCHER_MAX_GANG_ATTEMPTS', 'Attempts per job: infrastructure failures (lost agent, dropped launch) start a new gang attempt until this many were made.', 3, 1, 100),
    killRetrySeconds: int('MSCHED_DISPATCHER_KILL_RETRY_SECONDS', 'A task still alive this long after a KILL gets another KILL.', 30, 1, 3600),
    implicitReconcileIntervalSeconds: int('MSCHED_DISPATCHER_IMPLICIT_RECONCILE_SECONDS', 'Period of implicit reconciliation (RECONCILE with no tasks).', 600, 10, 86400),
    explicitReconcileMaxSeconds: int('MSCHED_DISPATCHER_EXPLICIT_RECONCILE_MAX_SECONDS', 'Longest wait between explicit reconciliation rounds for tasks still unanswered after a (re)subscription.', 300, 1, 3600),
    defaultWallTimeMinutes: int('MSCHED_DISPATCHER_DEFAULT_WALLTIME_MINUTES', 'Wall time (minutes) of a gang whose scheduling model gives no wallTimeLimit.', 60, 1, 5256000),
    portsPerAgent: int('MSCHED_DISPATCHER_PORTS_PER_AGENT', 'Ports each task of a gang takes from its agent\'s offer (MPI daemon / rendezvous).', 1, 0, 100),
    heartbeatMissLimit: int('MSCHED_DISPATCHER_HEARTBEAT_MISS_LIMIT', 'Silent heartbeat intervals after which the Mesos subscription is dropped and re-made.', 5, 2, 100),
    reconnectInitialMs: int('MSCHED_DISPATCHER_RECONNECT_INITIAL_MS', 'First delay before re-subscribing to Mesos; doubles (with jitter) up to the maximum.', 500, 10, 600000),
    reconnectMaxMs: int('MSCHED_DISPATCHER_RECONNECT_MAX_MS', 'Longest delay between attempts to re-subscribe to Mesos.', 30000, 100, 3600000),
    callTimeoutMs: int('MSCHED_DISPATCHER_CALL_TIMEOUT_MS', 'Time a Mesos call (ACCEPT, KILL, ...) may take before it counts as failed (retriable).', 10000, 100, 600000),
    frameworkName: str('MSCHED_DISPATCHER_FRAMEWORK_NAME', 'Mesos framework name (FrameworkInfo.name); its FrameworkID is kept in the database under this name, so every replica re-subscribes as the same framework.', 'airavata-metascheduler'),
    explicitReconcileInitialMs: int('MSCHED_DISPATCHER_EXPLICIT_RECONCILE_INITIAL_MS', 'First wait before explicit reconciliation is repeated for tasks the master has not answered yet; doubles up to MSCHED_DISPATCHER_EXPLICIT_RECONCILE_MAX_SECONDS.', 2000, 50, 600000),
    tickMs: int('MSCHED_DISPATCHER_TICK_MS', 'How often the leader re-evaluates held offers (hold limit) and re-sends kills that went unanswered.', 1000, 50, 60000),
    pollIntervalMs: int('MSCHED_DISPATCHER_POLL_INTERVAL_MS', 'How often the leader re-reads waiting and canceled gangs from the database when no notification woke it; also how often "why is my gang waiting" is saved.', 5000, 100, 600000),
    clusterStateIntervalSeconds: int('MSCHED_DISPATCHER_CLUSTER_STATE_SECONDS', 'How often the leader reads /master/state to learn the cluster\'s capacity (a gang that can never fit fails at once).', 30, 1, 3600),
    healthPort: int('MSCHED_DISPATCHER_HEALTH_PORT', 'Port of the dispatcher\'s /healthz, /readyz and /metrics, on MSCHED_API_HOST like every service (0: any free port, as tests use).', 9932, 0, 65535),
  },
  scheduling: {
    order: oneOf('MSCHED_SCHEDULING_ORDER', 'The order of waiting gangs within a Mesos role: "fair-share" (a priority from each tenant\'s decayed past usage against its share, plus the time waited; docs/scheduling.md) or "fifo" (submit order).', ['fair-share', 'fifo'] as const, 'fair-share'),
    gatewayShares: weights('MSCHED_SCHEDULING_GATEWAY_SHARES', 'Relative share of the cluster per Airavata gateway id, e.g. seagrid=2,ultrascan=1; a gateway not listed has share 1. Users within a gateway share it equally.', ''),
    halfLifeHours: positive('MSCHED_SCHEDULING_HALF_LIFE_HOURS', 'Past usage (cores × seconds run) counts half as much after this many hours (Slurm\'s PriorityDecayHalfLife); 168 is 7 days.', 168),
    fairShareWeight: num('MSCHED_SCHEDULING_FAIR_SHARE_WEIGHT', 'Priority points of the fair-share factor (0 to 1): a tenant that has used nothing gets all of them.', 1000),
    ageWeightPerHour: num('MSCHED_SCHEDULING_AGE_WEIGHT_PER_HOUR', 'Priority points a gang gains per hour it waits; unbounded, so every gang eventually leads whatever its tenant used. With the defaults a gang of the heaviest tenant overtakes one of an idle tenant after at most 33 hours of waiting more than it.', 30),
    starvationHours: positive('MSCHED_SCHEDULING_STARVATION_HOURS', 'A gang that has waited this many hours ranks before every gang that has not (oldest first), whatever its tenant used: the bound on how much longer fair share can make anyone wait. The defaults of these weights are the ones measured on traces (docs/scheduling.md).', 8),
    oldestLeadsHours: positive('MSCHED_SCHEDULING_OLDEST_LEADS_HOURS', 'The longest-waiting gang of a role, once it has waited this many hours, goes first whatever its tenant used: it starts when it fits, and no gang may start that would delay it (the guarantee FIFO with EASY backfilling gives its oldest gang), so fair share does not make the longest wait longer than that.', 4),
    maxRunningCores: limits('MSCHED_SCHEDULING_MAX_RUNNING_CORES', 'Quota per gateway id of cores its running gangs may hold together, e.g. seagrid=256; a gang that would pass it waits ("gateway X at its quota of N cores"). A gateway not listed is unlimited.', ''),
    maxWaitingGangs: limits('MSCHED_SCHEDULING_MAX_WAITING_GANGS', 'Quota per gateway id of launches not yet running (queued, being provisioned or waiting for offers), e.g. seagrid=500; a launch past it is refused by the API (AiravataClientException) and writes nothing. A gateway not listed is unlimited.', ''),
    estimateIntervalMs: int('MSCHED_SCHEDULING_ESTIMATE_INTERVAL_MS', 'How often the leading dispatcher saves each waiting gang\'s expected start and wait reason (only those that changed are written).', 5000, 200, 600000),
  },
  console: {
    host: str('MSCHED_CONSOLE_HOST', 'Address the operator web console binds to (put a TLS reverse proxy in front of it beyond localhost).', '127.0.0.1'),
    port: int('MSCHED_CONSOLE_PORT', 'Port of the operator web console and its JSON API (0: any free port).', 9935, 0, 65535),
    viewerToken: optStr('MSCHED_CONSOLE_VIEWER_TOKEN', 'A read-only token for the console (sees everything, cancels and replays nothing). The API\'s own token (MSCHED_API_AUTH_SECRET) is the operator token that may also cancel and replay.', '', { secret: true }),
    apiHost: str('MSCHED_CONSOLE_API_HOST', 'Where the console reaches the Thrift API for terminateExperiment (port MSCHED_API_PORT, transport MSCHED_API_TRANSPORT).', '127.0.0.1'),
    sessionHours: int('MSCHED_CONSOLE_SESSION_HOURS', 'How long a console login lasts (with Keycloak tokens, never past the token\'s own expiry).', 12, 1, 720),
    sessionSecretFile: optStr('MSCHED_CONSOLE_SESSION_SECRET_FILE', 'File holding the key that encrypts console sessions (AES-256-GCM; any long random string, surrounding whitespace ignored; the same on every console replica). With MSCHED_API_AUTH_MODE=oidc a session carries the user\'s access token, so it is required in production. Empty: MSCHED_CONSOLE_SESSION_SECRET.', ''),
    sessionSecret: optStr('MSCHED_CONSOLE_SESSION_SECRET', 'The session key itself, for platforms that inject secrets as environment variables; MSCHED_CONSOLE_SESSION_SECRET_FILE wins when both are set. Empty (and no file): in static mode a key derived from the tokens, in oidc mode a random key per process (sessions end at restart; development only).', '', { secret: true }),
  },
  runtime: {
    uri: optStr('MSCHED_RUNTIME_URI', 'Where agents fetch the task runtime (msched-task-<sha256> from npm run build:runtime) when an operator hosts it: an http(s):// URI whose server sends Content-Length (the Mesos fetcher cache needs it). Empty: the dispatcher serves its own build. Pin a version by naming its file; a new build has a new name.', ''),
    dir: optStr('MSCHED_RUNTIME_DIR', 'Folder holding the runtime build the dispatcher serves (manifest.json and msched-task-<sha256>); empty means this installation\'s dist/runtime.', ''),
    port: int('MSCHED_RUNTIME_PORT', 'Port of the dispatcher\'s runtime endpoint (GET /runtime/msched-task-<sha256>), on MSCHED_API_HOST (0: any free port, as tests use).', 9933, 0, 65535),
    advertiseHost: optStr('MSCHED_RUNTIME_ADVERTISE_HOST', 'Host name or address agents use to reach the runtime endpoint; empty means MSCHED_API_HOST, or this machine\'s host name when that is a wildcard address.', ''),
  },
} as const;

export type Schema = typeof schema;
