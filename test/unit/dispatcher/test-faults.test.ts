import assert from 'node:assert/strict';
import { readTestFaults } from '@msched/dispatcher';

describe('dispatcher: test-only fault switches', () => {
  it('MSCHED_TEST_FAULT_ACK_BEFORE_WRITE is off by default and on only with MSCHED_ENV=test', () => {
    assert.deepEqual(readTestFaults({}, 'production'), { ackBeforeWrite: false });
    assert.deepEqual(readTestFaults({ MSCHED_TEST_FAULT_ACK_BEFORE_WRITE: '0' }, 'development'), { ackBeforeWrite: false });
    assert.deepEqual(readTestFaults({ MSCHED_TEST_FAULT_ACK_BEFORE_WRITE: '1' }, 'test'), { ackBeforeWrite: true });
  });

  it('is refused outside tests, naming the switch and the environment', () => {
    assert.throws(() => readTestFaults({ MSCHED_TEST_FAULT_ACK_BEFORE_WRITE: '1' }, 'production'), /MSCHED_TEST_FAULT_ACK_BEFORE_WRITE .* refused unless MSCHED_ENV=test \(MSCHED_ENV is production\)/);
    assert.throws(() => readTestFaults({ MSCHED_TEST_FAULT_ACK_BEFORE_WRITE: '1' }, 'development'), /refused/);
  });
});
