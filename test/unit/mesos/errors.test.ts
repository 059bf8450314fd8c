import assert from 'node:assert/strict';
import { MesosCallError, MesosConnectionError, MesosNotSubscribedError } from '@msched/mesos';

describe('mesos: typed errors', () => {
  it('maps the statuses of mesos-v1.md to retriable or not, keeping the master\'s message', () => {
    for (const status of [400, 403, 404, 405, 406, 415, 501]) {
      const e = new MesosCallError('ACCEPT', status, 'Framework is not subscribed', 'http://m1:5050');
      assert.equal(e.retriable, false, `status ${status}`);
      assert.equal(e.message, `ACCEPT to http://m1:5050 answered ${status}: Framework is not subscribed`);
    }
    for (const status of [503, 500, 307]) assert.equal(new MesosCallError('DECLINE', status, '', 'http://m1:5050').retriable, true, `status ${status}`);
  });

  it('network trouble and a missing subscription are worth retrying', () => {
    assert.equal(new MesosConnectionError('ECONNREFUSED').retriable, true);
    assert.equal(new MesosNotSubscribedError('KILL').retriable, true);
    assert.equal(new MesosNotSubscribedError('KILL').name, 'MesosNotSubscribedError');
  });
});
