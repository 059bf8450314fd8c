/** An experiments row as a launch writes it, single-application or WORKFLOW. */
export interface NewExperiment {
  id: string;
  gatewayId: string;
  userName: string;
  projectId: string;
  name: string;
  payloadHash: string;
  /** The ExperimentModel as plain JSON. */
  model: unknown;
}
