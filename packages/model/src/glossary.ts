/**
 * Glossary: the words every module uses, in the sense given here.
 *
 * - **Experiment**: Airavata's unit of work (ExperimentModel), identified by experimentId, owned by a
 *   gateway. Launched once over Thrift.
 * - **Process**: Airavata's ProcessModel: one execution of an experiment's application on one
 *   compute resource. We create exactly one process per launched experiment.
 * - **Job**: one attempt to run a process on Mesos: Airavata's JobModel. A job IS a gang. A process
 *   that is retried after an infrastructure failure gets a new job (attempt n+1).
 * - **Gang**: the set of Mesos tasks that make up one job; all start or none do, and one task's
 *   failure fails all of them.
 * - **Attempt**: the 1-based number of a job within its process.
 * - **Rank**: one MPI process (one slot). A gang of N ranks needs N x cpusPerRank cpus.
 * - **Task**: one Mesos task. Each agent of a placement gets one task owning all the ranks placed
 *   there; a serial job is one task with one rank.
 * - **Offer**: a Mesos resource offer from one agent; an ACCEPT may only use offers of one agent.
 * - **Agent**: a Mesos agent (slave): one host whose resources are offered.
 * - **Stage**: one step of the provisioning worker (resolve, capacity, stage inputs, hand off,
 *   collect outputs, clean up), retried on its own.
 * - **Outbox**: rows written in the same transaction as a state change and relayed to Kafka after
 *   commit, so that a committed change is never lost and never published before it is durable.
 */
export const GLOSSARY_VERSION = 1;
