import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { TOKEN } from '../helpers/pipeline';
import { requireStack } from '../helpers/stack';
import { processEnds, startWholePipeline, WholePipeline } from '../helpers/whole-pipeline';

const HPCC = '/usr/bin/hpcc';
const EXAMPLE_INPUT = '/usr/share/doc/hpcc/examples/_hpccinf.txt';

/** Debian's example input with a small HPL (order n on a 2 x 2 grid): seconds, not minutes. */
function smallHpccInput(n: number): string {
  return readFileSync(EXAMPLE_INPUT, 'utf8').replace(/^1000(\s+Ns)$/m, `${n}$1`);
}

/**
 * A real MPI code nobody here wrote, through the whole system: Debian's HPC Challenge (OpenMPI),
 * 4 ranks over 2 agents of the local cluster, launched over Thrift, its own report collected.
 */
describe('end to end: hpcc (HPC Challenge) through the system (real stack)', function () {
  this.timeout(600000);
  let h: WholePipeline;

  before(async function () {
    assert.ok(existsSync(HPCC) && existsSync(EXAMPLE_INPUT), `${HPCC} is missing: run deploy/local/install-deps.sh (Debian package hpcc)`);
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('hpcc', {
      cluster: { agents: 2, cpus: 2, mem: 4096 },
      applications: (dir) => {
        const input = join(dir, 'hpcc-input');
        mkdirSync(input);
        writeFileSync(join(input, 'hpccinf.txt'), smallHpccInput(200));
        return { hpcc: { executable: HPCC, mpi: 'openmpi', uris: [{ value: join(input, 'hpccinf.txt') }], memMbPerRank: 256 } };
      },
    });
  });

  after(async () => {
    await h?.stop();
  });

  it('4 ranks over 2 agents: COMPLETED, and the collected hpccoutf.txt reports Success=1 for 4 processes', async () => {
    const e = new ExperimentModel({
      experimentId: `E2E_hpcc_${Date.now().toString(36)}`, projectId: 'p', gatewayId: 'e2e-gw', experimentType: ExperimentType.SINGLE_APPLICATION,
      userName: 'e2e', experimentName: 'e2e hpcc', executionId: 'hpcc',
      userConfigurationData: new UserConfigurationDataModel({
        airavataAutoSchedule: false, overrideManualScheduledParams: false,
        computationalResourceScheduling: new ComputationalResourceSchedulingModel({
          resourceHostId: 'mesos-local', totalCPUCount: 4, nodeCount: 2, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 9,
        }),
      }),
      experimentInputs: [],
      experimentOutputs: [new OutputDataObjectType({ name: 'report', type: DataType.URI, value: 'hpccoutf.txt' })],
    });
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    assert.equal(await processEnds(h, ids.processId, 540_000), 'COMPLETED');
    const dir = join(h.dataRoot, 'e2e-gw', e.experimentId!);
    const report = readFileSync(join(dir, 'hpccoutf.txt'), 'utf8');
    assert.match(report, /^Success=1$/m, report.slice(-3000));
    assert.match(report, /^CommWorldProcs=4$/m);
    assert.match(report, /^HPL_N=200$/m);
    // The 2 agents share this machine's cores: the launcher told OpenMPI so (see oversubscription.ts).
    const launcherLog = readFileSync(join(dir, 'stderr'), 'utf8');
    if (4 > (await import('node:os')).availableParallelism()) assert.match(launcherLog, /MPI is told it is oversubscribed/);
  });
});
