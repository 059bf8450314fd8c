import type { Id, MasterInfoJson, Offer, SchedulerEvent, TaskStatus } from './mesos-types';

/** Builders for the scheduler events, so every payload sits under the lower-case name of its type. */
export const events = {
  subscribed(frameworkId: string, heartbeatIntervalSeconds: number, masterInfo: MasterInfoJson): SchedulerEvent {
    return { type: 'SUBSCRIBED', subscribed: { framework_id: { value: frameworkId }, heartbeat_interval_seconds: heartbeatIntervalSeconds, master_info: masterInfo } };
  },
  offers(offers: Offer[]): SchedulerEvent {
    return { type: 'OFFERS', offers: { offers } };
  },
  rescind(offerId: string): SchedulerEvent {
    return { type: 'RESCIND', rescind: { offer_id: { value: offerId } } };
  },
  update(status: TaskStatus): SchedulerEvent {
    return { type: 'UPDATE', update: { status } };
  },
  /** Agent lost (only agent_id) or executor terminated (with executor_id and its raw waitpid status). */
  failure(agentId: string, executor?: { executorId: string; status: number }): SchedulerEvent {
    const failure: { agent_id?: Id; executor_id?: Id; status?: number } = { agent_id: { value: agentId } };
    if (executor) {
      failure.executor_id = { value: executor.executorId };
      failure.status = executor.status;
    }
    return { type: 'FAILURE', failure };
  },
  error(message: string): SchedulerEvent {
    return { type: 'ERROR', error: { message } };
  },
  heartbeat(): SchedulerEvent {
    return { type: 'HEARTBEAT' };
  },
};
