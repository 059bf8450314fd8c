import assert from 'node:assert/strict';
import { AuthzToken, exampleWorkflowExperiment } from '@msched/airavata-thrift';
import { startTestApi, TestApi } from '../api/harness';
import { requireStack } from '../../helpers/stack';
import { msched } from '../../helpers/msched';
import { endProcess } from './support';

describe('msched workflow (integration, real binary)', function () {
  this.timeout(30000);
  let t: TestApi;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('cli_workflow');
  });
  after(async () => { await t?.close(); });

  it('draws the DAG with each node\'s state, lists workflows, and says when there is no such workflow', async () => {
    const c = await t.connect();
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    await c.client.launchExperiment(new AuthzToken({ accessToken: 'dev' }), exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.pre`, 'COMPLETED', '/data/x/pre');
    const env = { MSCHED_DATABASE_URL: t.cfg.database.url };

    const shown = await msched(['workflow', 'show', id], env);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, new RegExp(`experiment ${id} \\(EXECUTING\\)`));
    assert.match(shown.out, /workflow WF_\S+ {2}EXECUTING {2}\(failure policy FAIL_FAST\)/);
    assert.match(shown.out, /\[x\] start {2}FLOW_STARTER COMPLETED/);
    assert.match(shown.out, /level 0\n {4}\[x\] pre {2}COMPLETED/);
    assert.match(shown.out, /level 1\n {4}\[>\] solve {2}LAUNCHED {2}<- pre {2}\(job JOB_\S+ SUBMITTED\)/);
    assert.match(shown.out, /level 2\n {4}\[ \] post {2}CREATED {2}<- solve/);
    assert.match(shown.out, /\[ \] end {2}FLOW_TERMINATOR CREATED/);

    const listed = await msched(['workflow', 'list'], env);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, new RegExp(`${id}\\s+WF_\\S+\\s+EXECUTING\\s+1/3\\s+FAIL_FAST`));

    const json = JSON.parse((await msched(['workflow', 'show', id, '--json'], env)).out);
    assert.deepEqual(json.nodes.map((n: { nodeId: string; state: string }) => `${n.nodeId}=${n.state}`).sort(), ['end=CREATED', 'post=CREATED', 'pre=COMPLETED', 'solve=LAUNCHED', 'start=COMPLETED']);

    const missing = await msched(['workflow', 'show', 'nope'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no workflow nope/);
  });

  it('msched jobs list and jobs show name the workflow application each job runs, with its ApplicationState', async () => {
    const c = await t.connect();
    const exp = exampleWorkflowExperiment();
    const id = exp.experimentId as string;
    const { jobId: preJob } = await c.client.launchExperiment(new AuthzToken({ accessToken: 'dev' }), exp);
    await endProcess(t.ds, 'test-gateway', id, `${id}.pre`, 'COMPLETED', '/data/x/pre');
    const [{ id: solveJob }] = await t.ds.query('SELECT id FROM jobs WHERE process_id = $1', [`${id}.solve`]);
    const env = { MSCHED_DATABASE_URL: t.cfg.database.url };

    const listed = await msched(['jobs', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.err);
    const mine = (JSON.parse(listed.out) as Array<{ jobId: string; workflowApplication: string | null; applicationState: string | null }>)
      .filter((j) => j.jobId === preJob || j.jobId === solveJob).map((j) => [j.jobId, j.workflowApplication, j.applicationState]);
    assert.deepEqual(mine.sort(), [[preJob, 'pre', 'COMPLETED'], [solveJob, 'solve', 'LAUNCHED']].sort());

    const table = await msched(['jobs', 'list'], env);
    assert.match(table.out.split('\n')[0], /EXPERIMENT\s+WORKFLOW STEP\s+GATEWAY/);
    assert.match(table.out, new RegExp(`${solveJob}\\s+SUBMITTED\\s+1\\s+${id}\\s+solve LAUNCHED\\s`));

    const shown = await msched(['jobs', 'show', solveJob], env);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, new RegExp(`workflow step: +solve \\(LAUNCHED\\); msched workflow show ${id} draws the DAG`));
  });
});
