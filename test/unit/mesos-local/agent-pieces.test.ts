import assert from 'node:assert/strict';
import {
  CONTAINER_MARKER, archiveKind, commandLine, executorRunDir, fetchedName, groupTaskDir, taskEnvironment,
} from '@msched/mesos-local/dist/internals';

describe('mesos-local agent pieces', () => {
  it('runs CommandInfo like Mesos: shell by default, argv form without one', () => {
    assert.deepEqual(commandLine({ value: 'echo $HOME' }), { file: '/bin/sh', args: ['-c', 'echo $HOME'], argv0: 'sh' });
    assert.deepEqual(commandLine({ shell: false, value: '/usr/bin/env', arguments: ['env', '-i', 'A=1'] }), { file: '/usr/bin/env', args: ['-i', 'A=1'], argv0: 'env' });
    assert.deepEqual(commandLine({ shell: false, value: '/bin/true' }), { file: '/bin/true', args: [], argv0: '/bin/true' });
    assert.deepEqual(commandLine({ shell: true }), { error: "'CommandInfo.value' must be set" });
  });

  it("builds the task environment: Mesos' variables, ours, then the task's own which win", () => {
    const env = taskEnvironment({
      inherited: { PATH: '/bin', MESOS_TASK_ID: 'stale' }, agentId: 'S1', agentHostname: 'agent1', agentEndpoint: '127.0.0.1:5051',
      frameworkId: 'F', executorId: 'e', taskId: 't', containerId: 'c', sandbox: '/sb', checkpoint: true, shutdownGraceSeconds: 5,
      command: { environment: { variables: [{ name: 'RANK', value: '3' }, { name: 'MESOS_HOSTNAME', value: 'mine' }] } },
    });
    assert.equal(env.PATH, '/bin');
    assert.equal(env.MESOS_TASK_ID, 't');
    assert.equal(env.MESOS_SANDBOX, '/sb');
    assert.equal(env.MESOS_DIRECTORY, '/sb');
    assert.equal(env.MESOS_SLAVE_ID, 'S1');
    assert.equal(env.MESOS_AGENT_ID, 'S1');
    assert.equal(env.MESOS_FRAMEWORK_ID, 'F');
    assert.equal(env.MESOS_EXECUTOR_ID, 'e');
    assert.equal(env.MESOS_CHECKPOINT, '1');
    assert.equal(env.MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD, '5secs');
    assert.equal(env[CONTAINER_MARKER], 'c');
    assert.equal(env.RANK, '3');
    assert.equal(env.MESOS_HOSTNAME, 'mine', "the task's environment wins");
  });

  it('lays sandboxes out as a Mesos agent does, and never lets an id climb out', () => {
    assert.equal(executorRunDir('/w', 'S1', 'F', 'e', 'c'), '/w/slaves/S1/frameworks/F/executors/e/runs/c');
    assert.equal(groupTaskDir('/w/run', 't1'), '/w/run/tasks/t1');
    assert.equal(executorRunDir('/w', 'S1', 'F', '../../x', 'c'), '/w/slaves/S1/frameworks/F/executors/.._.._x/runs/c');
    assert.equal(executorRunDir('/w', 'S1', 'F', '..', 'c'), '/w/slaves/S1/frameworks/F/executors/_/runs/c');
  });

  it('names fetched files and knows which ones to extract', () => {
    assert.equal(fetchedName({ value: 'http://repo/dir/job.tgz?x=1' }), 'job.tgz');
    assert.equal(fetchedName({ value: 'file:///tmp/a%20b.txt' }), 'a b.txt');
    assert.equal(fetchedName({ value: '/opt/x.zip', output_file: 'y.zip' }), 'y.zip');
    assert.deepEqual(['a.tar.gz', 'a.tgz', 'a.tar', 'a.tar.xz', 'a.zip', 'a.gz', 'a.txt'].map(archiveKind), ['tar', 'tar', 'tar', 'tar', 'zip', 'gz', null]);
  });
});
