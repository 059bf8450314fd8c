import assert from 'node:assert/strict';
import { allTopicNames, decodeEnvelope, encodeEnvelope, EnvelopeError, makeEnvelope, topicName } from '@msched/bus';

describe('bus envelope and topics', () => {
  it('round-trips an envelope with a fresh id each time', () => {
    const a = makeEnvelope('launch.accepted', { experimentId: 'e1' });
    const b = makeEnvelope('launch.accepted', { experimentId: 'e1' });
    assert.notEqual(a.id, b.id);
    assert.deepEqual(decodeEnvelope(encodeEnvelope(a)), a);
  });

  it('refuses what is not an envelope, saying why', () => {
    assert.throws(() => decodeEnvelope(null), new EnvelopeError('empty message'));
    assert.throws(() => decodeEnvelope(Buffer.from('{nope')), new EnvelopeError('message is not JSON'));
    assert.throws(() => decodeEnvelope(Buffer.from('{"id":"x","type":"t"}')), /not an envelope/);
  });

  it('prefixes our topics but never Airavata\'s', () => {
    assert.equal(topicName('msched.', 'launch'), 'msched.launch');
    assert.equal(topicName('msched.', 'airavataJobMonitor'), 'helix-airavata-mq');
    const names = allTopicNames('p.');
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('monitoring-data'));
  });
});
