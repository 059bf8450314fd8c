#!/usr/bin/env node
/**
 * Probes for deploy/local/stack.sh. Each command exits 0 on success, non-zero with one line on
 * stderr otherwise, so the shell script can poll and report.
 */
import { loadConfig, ConfigError } from '@msched/config';
import { allTopicNames } from '@msched/bus';
import { ruok } from '@msched/zk';
import { ensureDatabases, pgAnswers } from './postgres';
import { createTopics, kafkaAnswers } from './kafka';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'pg-wait':
      return (await pgAnswers(args[0])) ? 0 : 1;
    case 'pg-ensure': {
      const created = await ensureDatabases(args[0], args[1].split(','));
      for (const db of args[1].split(',')) console.log(`  database ${db}${created.includes(db) ? ' created' : ' present'}`);
      return 0;
    }
    case 'zk-ruok':
      return (await ruok(args[0])) ? 0 : 1;
    case 'kafka-wait':
      return (await kafkaAnswers(args[0])) ? 0 : 1;
    case 'kafka-topics': {
      const cfg = loadConfig();
      const names = allTopicNames(cfg.kafka.topicPrefix);
      const created = await createTopics(cfg.kafka.brokers, names, cfg.kafka.partitions, cfg.kafka.replicationFactor);
      console.log(`  topics: ${names.length} present (${created.length} created now)`);
      return 0;
    }
    default:
      console.error('usage: cli.js pg-wait URL | pg-ensure URL db1,db2 | zk-ruok host:port | kafka-wait host:port | kafka-topics');
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error(e instanceof ConfigError ? e.message : `stack probe failed: ${(e as Error).message}`);
  process.exit(1);
});
