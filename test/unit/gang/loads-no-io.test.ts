import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/**
 * The pure core must not load anything that opens a socket. Checked in a fresh node process (this
 * one has loaded the whole project by now): every module asked for while @msched/gang loads (the
 * built-in ones never appear in require.cache), and every file require.cache holds afterwards.
 */
const PROBE = `
const Module = require('module');
const asked = new Set();
const load = Module._load;
Module._load = function (request, ...rest) { asked.add(request); return load.call(this, request, ...rest); };
require('@msched/gang');
process.stdout.write(JSON.stringify({ asked: [...asked], cached: Object.keys(require.cache) }));
`;

const SOCKET_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'kafkajs', 'node-zookeeper-client', 'pg', 'typeorm', 'amqplib', 'thrift'];

describe('gang: the pure core loads no I/O', () => {
  it('importing @msched/gang loads no module that opens a socket', () => {
    const { asked, cached } = JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { encoding: 'utf8' })) as { asked: string[]; cached: string[] };
    assert.ok(cached.some((f) => /[\\/]gang[\\/]dist[\\/]index\.js$/.test(f)), 'the probe must have loaded @msched/gang');
    const builtins = asked.map((r) => r.replace(/^node:/, '')).filter((r) => SOCKET_MODULES.includes(r));
    assert.deepEqual(builtins, [], `@msched/gang asked for ${builtins.join(', ')}`);
    const files = cached.filter((f) => SOCKET_MODULES.some((m) => f.includes(`/node_modules/${m}/`)) || /[\\/]packages[\\/](zk|db|bus)[\\/]|[\\/]mesos[\\/]dist[\\/](http|scheduler|master)[\\/]/.test(f));
    assert.deepEqual(files, [], 'socket-opening modules in require.cache');
  });
});
