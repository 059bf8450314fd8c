import assert from 'node:assert/strict';
import { Db, enqueueOutbox, isRetriableDbError, queryRows, sqlState, violatedConstraint } from '@msched/db';

/** A Db answering `result` to every query (and recording the SQL): for the helpers' own logic only. */
const answering = (result: unknown, sqls: string[] = []): Db => ({ query: (async (sql: string) => { sqls.push(sql); return result; }) as Db['query'] });

describe('db helpers', () => {
  it('queryRows gives the rows whatever shape TypeORM answers in', async () => {
    assert.deepEqual(await queryRows(answering([{ a: 1 }, { a: 2 }]), 'SELECT'), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(await queryRows(answering([[{ a: 1 }], 1]), 'UPDATE ... RETURNING'), [{ a: 1 }]);
    assert.deepEqual(await queryRows(answering([]), 'SELECT'), []);
  });

  it('tells retriable database failures from the others', () => {
    assert.equal(isRetriableDbError({ code: '40001' }), true, 'serialization failure');
    assert.equal(isRetriableDbError({ driverError: { code: '40P01' } }), true, 'deadlock, wrapped by TypeORM');
    assert.equal(isRetriableDbError({ code: 'ECONNREFUSED' }), true);
    assert.equal(isRetriableDbError(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isRetriableDbError({ code: '23505' }), false, 'unique violation');
    assert.equal(isRetriableDbError(new Error('syntax error')), false);
    assert.equal(sqlState({ driverError: { code: '23505' } }), '23505');
    assert.equal(violatedConstraint({ driverError: { constraint: 'processes_pkey' } }), 'processes_pkey');
  });

  it('enqueueOutbox refuses a topic that does not exist before writing anything', async () => {
    const written: string[] = [];
    await assert.rejects(enqueueOutbox(answering([], written), { topic: 'nope' as never, key: 'k', type: 't', payload: {} }), /unknown topic key nope/);
    assert.deepEqual(written, []);
  });
});
