import assert from 'node:assert/strict';
import { gangRequestFromScheduling, gangRequestFromSpec, nodeLayout, type DerivationOptions, type SchedulingModel } from '@msched/gang';
import type { GangSpec } from '@msched/model';

const opts: DerivationOptions = {
  queueRoles: { normal: 'mpi', debug: 'mpi-debug' },
  defaultRole: 'mpi',
  defaultMemMbPerRank: 1024,
  defaultWallTimeMinutes: 60,
  maxWallTimeMinutes: 2880,
};

function problems(model: SchedulingModel, o: DerivationOptions = opts): readonly string[] {
  const d = gangRequestFromScheduling(model, o);
  assert.equal(d.ok, false, 'expected the model to be refused');
  return d.ok ? [] : d.problems;
}

function derive(model: SchedulingModel, o: DerivationOptions = opts) {
  const d = gangRequestFromScheduling(model, o);
  assert.ok(d.ok, d.ok ? '' : d.problems.join('; '));
  return d;
}

describe('gang request from ComputationalResourceSchedulingModel', () => {
  it('derives ranks, cpus and memory per rank, nodeCount, wall time and role', () => {
    const d = derive({ totalCPUCount: 16, numberOfThreads: 4, nodeCount: 2, totalPhysicalMemory: 8192, wallTimeLimit: 30, queueName: 'debug' });
    assert.deepEqual(d.request, { ranks: 4, cpusPerRank: 4, memMbPerRank: 2048, nodeCount: 2, role: 'mpi-debug', portsPerAgent: 1 });
    assert.equal(d.wallTimeSeconds, 1800);
  });

  it('one thread per rank when numberOfThreads is not given', () => {
    assert.deepEqual(derive({ totalCPUCount: 8 }).request, { ranks: 8, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', portsPerAgent: 1 });
  });

  it('a model with nothing set is a serial job with the defaults', () => {
    const d = derive({});
    assert.deepEqual(d.request, { ranks: 1, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', portsPerAgent: 1 });
    assert.equal(d.wallTimeSeconds, 3600);
  });

  it('treats 0 (Thrift\'s unset i32) as not given', () => {
    assert.deepEqual(derive({ totalCPUCount: 0, nodeCount: 0, numberOfThreads: 0, totalPhysicalMemory: 0, wallTimeLimit: 0, queueName: '' }).request, derive({}).request);
  });

  it('rounds memory per rank up so the ranks together get at least the total', () => {
    assert.equal(derive({ totalCPUCount: 3, totalPhysicalMemory: 1000 }).request.memMbPerRank, 334);
  });

  it('explains a cpu count that does not split into whole ranks', () => {
    assert.deepEqual(problems({ totalCPUCount: 10, numberOfThreads: 4 }), ['totalCPUCount 10 is not a multiple of numberOfThreads 4 (each rank gets 4 cpus)']);
    assert.deepEqual(problems({ totalCPUCount: 2, numberOfThreads: 4 }), ['totalCPUCount 2 is less than numberOfThreads 4: one rank alone needs 4 cpus']);
  });

  it('explains a nodeCount that cannot be honoured, with one that would work', () => {
    assert.deepEqual(problems({ totalCPUCount: 4, nodeCount: 8 }), ['nodeCount 8 is more than the 4 ranks: every node needs at least one rank']);
    assert.deepEqual(problems({ totalCPUCount: 4, nodeCount: 3 }), [
      'nodeCount 3 cannot be honoured for 4 ranks: at ceil(4/3) = 2 ranks per node the last node would get none (nodeCount 2 would work)',
    ]);
  });

  it('names an unknown queue and the known ones', () => {
    assert.deepEqual(problems({ queueName: 'gpu' }), ['queue "gpu" has no Mesos role (known queues: debug, normal)']);
  });

  it('refuses negative and fractional numbers and an over-long wall time, all at once', () => {
    assert.deepEqual(problems({ totalCPUCount: -4, numberOfThreads: 1.5, wallTimeLimit: 3000, totalPhysicalMemory: -1 }), [
      'numberOfThreads must be a positive whole number, got 1.5',
      'totalCPUCount must be a positive whole number, got -4',
      'totalPhysicalMemory must be a positive whole number, got -1',
      'wallTimeLimit 3000 min exceeds the 2880 min this installation allows',
    ]);
  });

  it('lays ranks out as ceil(ranks/nodeCount) per node, the rest on the last', () => {
    assert.deepEqual(nodeLayout(10, 3), { nodes: 3, perNode: 4, lastNode: 2 });
    assert.deepEqual(nodeLayout(8, 4), { nodes: 4, perNode: 2, lastNode: 2 });
  });

  it('maps a GangSpec the provisioner derived', () => {
    const spec = { ranks: 6, cpusPerRank: 2, memMbPerRank: 512, nodeCount: 3, role: 'mpi' } as GangSpec;
    assert.deepEqual(gangRequestFromSpec(spec), { ranks: 6, cpusPerRank: 2, memMbPerRank: 512, nodeCount: 3, role: 'mpi', portsPerAgent: 1 });
    assert.equal(gangRequestFromSpec({ ...spec, nodeCount: undefined }).nodeCount, undefined);
  });
});
