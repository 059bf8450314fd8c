import type { ApplicationState } from './spec';

/**
 * The application state Airavata sees while the application's process goes through our pipeline
 * (ProcessState names → ApplicationState names). CREATED and VALIDATED leave it unchanged.
 */
export function applicationStateForProcess(processState: string): ApplicationState | undefined {
  switch (processState) {
    case 'STARTED': case 'PRE_PROCESSING': case 'CONFIGURING_WORKSPACE': case 'INPUT_DATA_STAGING':
      return 'LAUNCHED';
    case 'QUEUED': case 'REQUEUED':
      return 'SCHEDULED';
    case 'EXECUTING': case 'DEQUEUING': case 'MONITORING': case 'OUTPUT_DATA_STAGING': case 'POST_PROCESSING':
      return 'EXECUTING';
    case 'CANCELLING': return 'CANCELING';
    case 'CANCELED': return 'CANCELED';
    case 'COMPLETED': return 'COMPLETED';
    case 'FAILED': return 'FAILED';
    default: return undefined;
  }
}
