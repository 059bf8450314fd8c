import { saveGangSpec } from '@msched/db';
import type { GangSpec } from '@msched/model';
import type { Catalogue } from '../catalogue';
import type { Stage } from '../pipeline/stage';
import { loadLaunch } from './load-launch';
import { resolveGang, ResolveOptions } from './resolve-gang';

/** resolve: the launch's models + the application catalogue → the gang spec stored on the job. */
export function resolveStage(catalogue: () => Catalogue, opts: ResolveOptions): Stage<GangSpec> {
  return {
    name: 'resolve',
    processState: 'PRE_PROCESSING',
    run: async (ctx) => resolveGang(await loadLaunch(ctx.ds, ctx.work), catalogue(), opts),
    commit: async (tx, ctx, spec) => { await saveGangSpec(tx, ctx.work.jobId, spec); },
  };
}
