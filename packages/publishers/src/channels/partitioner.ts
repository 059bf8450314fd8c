import { ICustomPartitioner, Partitioners } from 'kafkajs';
import { EXPERIMENT_HEADER } from '../encode/outbound';

/**
 * Kafka keeps order only within a partition. Airavata's keys (routing keys, job ids) differ between
 * the entities of one experiment, so hashing the key would scatter an experiment's chain over
 * several partitions. This partitioner hashes the experiment id header instead (kafkajs' default
 * murmur2 scheme), so the key stays what Airavata expects and the chain stays in order.
 */
export const experimentPartitioner: ICustomPartitioner = () => {
  const byKey = Partitioners.DefaultPartitioner();
  return ({ topic, partitionMetadata, message }) => {
    const header = message.headers?.[EXPERIMENT_HEADER];
    const experimentId = Array.isArray(header) ? header[0] : header;
    return byKey({ topic, partitionMetadata, message: experimentId === undefined ? message : { ...message, key: experimentId } });
  };
};
