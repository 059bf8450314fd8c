import type { FrameworkInfo, MasterInfoJson, Offer } from '../protocol/mesos-types';
import type { Bag } from '../resources/bag';
import type { AgentBook } from './agent-book';
import type { FrameworkBook } from './framework-book';
import type { OfferBook } from './offer-book';
import { offerJson } from './offer-book';
import type { AgentRecord, CompletedFramework, FrameworkRecord, GroupExecutorRecord, OfferRecord, TaskRecord } from './records';
import type { RegistryEntry } from './registry';
import type { TaskBook } from './task-book';

/** The master's own facts: who it is, whether and since when it leads. */
export interface MasterFacts {
  id: string;
  info: MasterInfoJson;
  leading: boolean;
  leader: MasterInfoJson | null;
  startedAt: number;
  electedAt?: number;
}

/**
 * Everything /master/state and GET_STATE render, as plain data. Taken in one go so the renderers
 * (state-json.ts) see one consistent moment and never reach into the books themselves.
 */
export interface MasterSnapshot extends MasterFacts {
  frameworks: FrameworkRecord[];
  completedFrameworks: CompletedFramework[];
  agents: Array<{ agent: AgentRecord; used: Bag; offered: Bag }>;
  unreachableAgents: Array<{ id: string; hostname: string; since: number }>;
  goneAgents: Array<{ id: string; hostname: string; since: number }>;
  recoveringAgents: RegistryEntry[];
  offers: Array<{ offer: OfferRecord; json: Offer }>;
  tasks: TaskRecord[];
  completedTasks: TaskRecord[];
  executors: GroupExecutorRecord[];
  frameworkIdsInfo(id: string): FrameworkInfo | undefined;
}

/** The master's own facts (leadership, times) and its books, which a snapshot is made from. */
export interface SnapshotSources extends MasterFacts {
  frameworks: FrameworkBook;
  agents: AgentBook;
  offers: OfferBook;
  tasks: TaskBook;
}

export function masterSnapshot(s: SnapshotSources): MasterSnapshot {
  const { frameworks, agents, offers, tasks, ...facts } = s;
  return {
    ...facts,
    frameworks: frameworks.all(),
    completedFrameworks: frameworks.completed(),
    agents: agents.all().map((a) => ({ agent: a, used: tasks.usedOn(a.id), offered: offers.offeredOn(a.id) })),
    unreachableAgents: agents.unreachableList(),
    goneAgents: agents.goneList(),
    recoveringAgents: agents.recoveringList(),
    // Offers are rescinded when their agent is removed; one left without its agent could not be
    // rendered (its JSON carries the agent's hostname and attributes), so it is skipped.
    offers: offers.all().flatMap((o) => {
      const agent = agents.get(o.agentId);
      return agent ? [{ offer: o, json: offerJson(o, agent) }] : [];
    }),
    tasks: tasks.all(),
    completedTasks: tasks.completedTasks(),
    executors: tasks.allExecutors(),
    frameworkIdsInfo: (id: string): FrameworkInfo | undefined => frameworks.infoOf(id),
  };
}

/** Work directories of registered agents: the only places the files API may read. */
export function agentWorkDirs(agents: AgentBook): string[] {
  return agents.all().map((a) => a.workDir);
}
