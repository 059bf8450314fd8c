import type { CommandGroup } from '../registry';
import { apiCommands } from './api';
import { dbCommands } from './db';
import { jobsCommands } from './jobs';
import { workflowCommands } from './workflow';
import { dlqCommands } from './dlq';
import { eventsCommands } from './events';
import { consoleCommands } from './console';
import { dispatcherCommands, localClusterCommands, provisionerCommands } from './services';
import { simCommands } from './sim';

/** Every command group of msched; add a group by adding its file and one line here. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [jobsCommands, workflowCommands, dlqCommands, eventsCommands, dbCommands, apiCommands, provisionerCommands, dispatcherCommands, localClusterCommands, consoleCommands, simCommands];
