import type { PolicyDecision } from '@msched/gang';

/** The offer policy's decision to launch one gang: one AgentLaunch per agent. */
export type LaunchDecision = Extract<PolicyDecision, { type: 'launch' }>;
