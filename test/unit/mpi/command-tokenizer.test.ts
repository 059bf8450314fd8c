import assert from 'node:assert/strict';
import { CommandSyntaxError, tokenizeCommand } from '@msched/mpi';

describe('mpi: daemon command tokenizer', () => {
  it('splits the command OpenMPI hands to its ssh agent (leading blank, quoted values, ; inside quotes)', () => {
    // As captured from mpirun.openmpi 4.1 with --noprefix: the arguments joined the way ssh joins them.
    const command = ' orted -mca ess "env" -mca ess_base_jobid "1076428800" -mca ess_base_vpid 1 -mca orte_node_regex "vm,agentA,agentB@0(3)" '
      + '-mca orte_hnp_uri "1076428800.0;tcp://127.0.0.1:35027" --mca plm_rsh_agent "/sb/.msched/msched-remote-shell" -mca pmix "^s1,s2,cray,isolated"';
    assert.deepEqual(tokenizeCommand(command), [
      'orted', '-mca', 'ess', 'env', '-mca', 'ess_base_jobid', '1076428800', '-mca', 'ess_base_vpid', '1', '-mca', 'orte_node_regex', 'vm,agentA,agentB@0(3)',
      '-mca', 'orte_hnp_uri', '1076428800.0;tcp://127.0.0.1:35027', '--mca', 'plm_rsh_agent', '/sb/.msched/msched-remote-shell', '-mca', 'pmix', '^s1,s2,cray,isolated',
    ]);
  });

  it('splits the command Hydra hands to its ssh launcher', () => {
    const command = '"/usr/bin/hydra_pmi_proxy" --control-port 127.0.0.1:39479 --rmk user --launcher ssh --demux poll --pgid 0 --retries 10 --usize -2 --proxy-id 1';
    assert.deepEqual(tokenizeCommand(command).slice(0, 3), ['/usr/bin/hydra_pmi_proxy', '--control-port', '127.0.0.1:39479']);
    assert.equal(tokenizeCommand(command).length, 17);
  });

  it('removes quotes and backslashes the way a POSIX shell does', () => {
    assert.deepEqual(tokenizeCommand(`a 'b c' "d \\"e\\" \\\\ f" g\\ h 'i'"j"k ""`), ['a', 'b c', 'd "e" \\ f', 'g h', 'ijk', '']);
    assert.deepEqual(tokenizeCommand(`'$(not expanded)' '; ok'`), ['$(not expanded)', '; ok']);
  });

  it('refuses everything that would need a shell', () => {
    for (const bad of ['a ; b', 'a && b', 'a | b', 'a > f', 'a $(b)', 'a `b`', 'a $HOME', 'a "$HOME"', 'PATH=/x orted', 'a *', '~/x', '(a)']) {
      assert.throws(() => tokenizeCommand(bad), CommandSyntaxError, bad);
    }
  });

  it('refuses unterminated quotes and empty commands', () => {
    assert.throws(() => tokenizeCommand(`a 'b`), /unterminated single quote/);
    assert.throws(() => tokenizeCommand('a "b'), /unterminated double quote/);
    assert.throws(() => tokenizeCommand('a \\'), /trailing backslash/);
    assert.throws(() => tokenizeCommand('   '), /empty command/);
  });
});
