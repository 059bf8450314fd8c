import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CommandGroup, runCli } from '@msched/cli';

describe('msched: a group\'s default command', () => {
  const seen: string[][] = [];
  const groups: CommandGroup[] = [{
    name: 'local-cluster', summary: 'the cluster', defaultCommand: 'run',
    commands: [{ name: 'run', summary: 'run it', usage: '[--agents N]', run: async (ctx) => { seen.push([...ctx.argv]); } }],
  }];
  const io = () => ({ out: new PassThrough(), err: new PassThrough(), env: {} });

  it('runs when the group is followed by options or nothing, with those options', async () => {
    assert.equal(await runCli(groups, ['local-cluster', '--agents', '4'], io()), 0);
    assert.equal(await runCli(groups, ['local-cluster'], io()), 0);
    assert.equal(await runCli(groups, ['local-cluster', 'run', '--agents', '2'], io()), 0);
    assert.deepEqual(seen, [['--agents', '4'], [], ['--agents', '2']]);
  });

  it('still shows help for --help and refuses an unknown command word', async () => {
    assert.equal(await runCli(groups, ['local-cluster', '--help'], io()), 0);
    assert.equal(await runCli(groups, ['local-cluster', 'bogus'], io()), 2);
    assert.equal(seen.length, 3);
  });
});
