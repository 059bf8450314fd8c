import assert from 'node:assert/strict';
import { ipFromPacked, MasterUrlError, MesosProtocolError, parseMasterInfo, parseMasterUrl, pickLeaderNode } from '@msched/mesos';
import { MASTER_INFO_JSON } from './fixtures/wire';

describe('mesos: finding the master', () => {
  describe('parseMasterUrl', () => {
    it('reads a ZooKeeper ensemble and path', () => {
      assert.deepEqual(parseMasterUrl('zk://zk1:2181,zk2:2182/mesos'), { kind: 'zk', servers: ['zk1:2181', 'zk2:2182'], path: '/mesos' });
      assert.deepEqual(parseMasterUrl('zk://127.0.0.1:22181/msched/mesos/'), { kind: 'zk', servers: ['127.0.0.1:22181'], path: '/msched/mesos' });
    });

    it('reduces a static URL to its origin and accepts Mesos\' bare host:port', () => {
      assert.deepEqual(parseMasterUrl('http://m1:5050/'), { kind: 'static', url: 'http://m1:5050' });
      assert.deepEqual(parseMasterUrl('https://m1:5050/master'), { kind: 'static', url: 'https://m1:5050' });
      assert.deepEqual(parseMasterUrl('m1:5050'), { kind: 'static', url: 'http://m1:5050' });
    });

    it('refuses what it cannot use, saying why', () => {
      const bad = (u: string) => assert.throws(() => parseMasterUrl(u), (e: unknown) => e instanceof MasterUrlError && !e.retriable);
      bad('zk://zk1:2181');
      bad('zk://zk1:2181/');
      bad('zk://zk1/mesos');
      bad('ftp://m1:5050');
      assert.throws(() => parseMasterUrl('zk://u:secret@zk1:2181/mesos'), (e: unknown) => e instanceof MasterUrlError && /digest credentials are not supported/.test(e.message) && !/secret/.test(e.message));
    });
  });

  describe('pickLeaderNode', () => {
    it('picks the lowest json.info_ sequence and ignores everything else', () => {
      assert.equal(pickLeaderNode(['json.info_0000000012', 'info_0000000001', 'json.info_0000000009', 'log_replicas', 'json.info_0000000010']), 'json.info_0000000009');
      assert.equal(pickLeaderNode(['info_0000000001']), undefined);
      assert.equal(pickLeaderNode([]), undefined);
    });
  });

  describe('parseMasterInfo', () => {
    it('addresses the master by address.ip and port', () => {
      const m = parseMasterInfo(Buffer.from(MASTER_INFO_JSON));
      assert.equal(m.url, 'http://192.168.33.10:5050');
      assert.equal(m.info?.version, '1.11.0');
      assert.equal(parseMasterInfo(MASTER_INFO_JSON, { preferHostname: true }).url, 'http://m1:5050');
    });

    it('falls back to the packed ip of older masters', () => {
      assert.equal(ipFromPacked(169978048), '192.168.33.10');
      assert.equal(parseMasterInfo('{"id":"x","ip":16777343,"port":5050}').url, 'http://127.0.0.1:5050');
    });

    it('refuses MasterInfo without a usable address', () => {
      assert.throws(() => parseMasterInfo('{"id":"x","hostname":"m1"}'), (e: unknown) => e instanceof MesosProtocolError && /no usable port/.test(e.message));
      assert.throws(() => parseMasterInfo('{"id":"x","port":5050}'), /neither an address nor a hostname/);
      assert.throws(() => parseMasterInfo('<html>'), /MasterInfo is not JSON/);
    });
  });
});
