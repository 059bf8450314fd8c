import type { Stage } from '../pipeline/stage';
import { checkInput } from './check-input';
import { loadGangSpec, loadLaunch } from './load-launch';

const URI = 3;
const URI_COLLECTION = 4;

/**
 * stage-inputs: every URI input must exist before the gang takes resources. The agents fetch them
 * into each task's sandbox themselves (Mesos CommandInfo URIs, already in the gang spec), so no
 * shared file system is assumed.
 */
export function stageInputsStage(): Stage<void> {
  return {
    name: 'stage-inputs',
    processState: 'INPUT_DATA_STAGING',
    run: async (ctx) => {
      const [launch, spec] = await Promise.all([loadLaunch(ctx.ds, ctx.work), loadGangSpec(ctx.ds, ctx.work.jobId)]);
      const fetched = new Set(spec.app.uris.map((u) => u.value));
      for (const input of launch.inputs) {
        if (!input.value || (input.type !== URI && input.type !== URI_COLLECTION)) continue;
        for (const uri of input.value.split(',').map((u) => u.trim()).filter(Boolean)) {
          if (!fetched.has(uri)) throw new Error(`input ${input.name}: ${uri} is missing from the gang spec (resolve and stage-inputs disagree)`);
          await checkInput(input.name, uri);
        }
      }
    },
  };
}
