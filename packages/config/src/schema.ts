import { bool, hostPorts, int, mapping, num, oneOf, optStr, port, str, url } from './settings';

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
    replicationFactor: int('MSCHED_KAFKA_REPLICATION_FACTOR', 'Replication factor of created topics.', 1, 1, 16),
  },
  zookeeper: {
    connect: hostPorts('MSCHED_ZK_CONNECT', 'ZooKeeper ensemble used for dispatcher election and MPI rendezvous.', '127.0.0.1:22181'),
    root: str('MSCHED_ZK_ROOT', 'Root znode of the meta-scheduler\'s own nodes.', '/msched'),
    sessionTimeoutMs: int('MSCHED_ZK_SESSION_TIMEOUT_MS', 'ZooKeeper session timeout in milliseconds.', 10000, 1000, 120000),
  },
  mesos: {
    master: url('MSCHED_MESOS_MASTER', 'Mesos master: zk://host:port/path (leader found through ZooKeeper) or http://host:port.', 'zk://127.0.0.1:22181/mesos', ['zk', 'http', 'https']),
    role: str('MSCHED_MESOS_ROLE', 'Default Mesos role of the framework.', 'mpi'),
    principal: optStr('MSCHED_MESOS_PRINCIPAL', 'Framework principal (empty for none).', ''),
    user: str('MSCHED_MESOS_USER', 'Unix user tasks run as on the agents.', 'root'),
    failoverTimeoutSeconds: num('MSCHED_MESOS_FAILOVER_TIMEOUT_SECONDS', 'How long Mesos keeps our tasks while no dispatcher is connected (one week by default).', 604800, 0),
  },
  api: {
    host: str('MSCHED_API_HOST', 'Address the Thrift API binds to.', '127.0.0.1'),
    port: port('MSCHED_API_PORT', 'Port of the Thrift API.', 9930),
    transport: oneOf('MSCHED_API_TRANSPORT', 'Thrift transport: buffered as Airavata\'s own servers, or framed.', ['buffered', 'framed'] as const, 'buffered'),
    maxMessageBytes: int('MSCHED_API_MAX_MESSAGE_BYTES', 'Largest Thrift message accepted; bigger ones close the connection.', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    queueRoles: mapping('MSCHED_API_QUEUE_ROLES', 'Airavata queue name → Mesos role. Launches naming another queue are refused.', 'normal=mpi,debug=mpi'),
  },
} as const;

export type Schema = typeof schema;
