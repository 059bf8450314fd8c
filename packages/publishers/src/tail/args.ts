/** `msched events tail` arguments. Pure. */
export interface TailArgs {
  readonly experimentId?: string;
  readonly json: boolean;
  readonly fromBeginning: boolean;
  readonly help: boolean;
}

export const TAIL_USAGE = [
  'usage: msched events tail [--experiment ID] [--json] [--from-beginning]',
  '',
  'Follows the status event stream (<prefix>events, docs/events.md) live, one line per event:',
  'time, experiment, entity, id, state (with the previous state) and the reason when there is one.',
  '',
  '  --experiment ID     only this experiment\'s events',
  '  --json              print each envelope as one JSON line instead',
  '  --from-beginning    start at the oldest event kept by Kafka instead of now',
].join('\n');

export class TailArgsError extends Error {}

export function parseTailArgs(argv: readonly string[]): TailArgs {
  let experimentId: string | undefined;
  let json = false;
  let fromBeginning = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--from-beginning') fromBeginning = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--experiment' || a === '-e') {
      const v = argv[++i];
      if (!v || v.startsWith('-')) throw new TailArgsError(`${a} needs an experiment id`);
      experimentId = v;
    } else if (a.startsWith('--experiment=')) {
      experimentId = a.slice('--experiment='.length);
      if (!experimentId) throw new TailArgsError('--experiment needs an experiment id');
    } else throw new TailArgsError(`unknown argument ${JSON.stringify(a)}`);
  }
  return { experimentId, json, fromBeginning, help };
}
