import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { AuthzToken, connectMetaScheduler, encodeStruct } from '@msched/airavata-thrift';
import { sleep } from './proc';
import { between, pick, Rng, seededRng } from './rng';
import { experimentFor } from './workload';

/**
 * Bad input at volume: random, truncated, oversized and wrong-typed Thrift messages against a
 * live API while well-formed clients keep calling it. Passes when the API stayed up, every
 * well-formed call was answered, and its resident memory stayed bounded.
 */
export interface FuzzOptions {
  port: () => number;
  cases: number;
  seed: number;
  /** pid of the API process whose memory is sampled. */
  rssPid: () => number | undefined;
  concurrency?: number;
}

export interface FuzzResult {
  passed: boolean;
  cases: number;
  wellFormedCalls: number;
  wellFormedFailures: number;
  rssMb: { start: number; max: number; end: number };
  byKind: Record<string, number>;
  summary: string;
}

const CALL = 1;
const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

function message(name: string, seqid: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8 + Buffer.byteLength(name));
  head.writeUInt32BE(0x80010001, 0);
  head.writeUInt32BE(Buffer.byteLength(name), 4);
  head.write(name, 8);
  const seq = Buffer.alloc(4);
  seq.writeInt32BE(seqid, 0);
  return Buffer.concat([head, seq, body]);
}

function field(type: number, id: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(3);
  h.writeUInt8(type, 0);
  h.writeInt16BE(id, 1);
  return Buffer.concat([h, payload]);
}

/** A well-formed launch that the API must refuse (unknown compute resource), so no fuzz case ever creates an experiment. */
function validLaunch(rng: Rng): Buffer {
  const exp = experimentFor('serial', `Fuzz_${Math.floor(rng() * 1e9)}`);
  exp.userConfigurationData!.computationalResourceScheduling!.resourceHostId = 'fuzz-nowhere-at-all';
  const token = encodeStruct(new AuthzToken({ accessToken: 'fuzz' }));
  return message(pick(rng, ['launchExperiment', 'validateExperiment']), between(rng, 1, 1e6), Buffer.concat([field(T.STRUCT, 1, token), field(T.STRUCT, 2, encodeStruct(exp)), Buffer.from([T.STOP])]));
}

function noise(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rng() * 256);
  return b;
}

type CaseKind = 'random' | 'truncated' | 'bitflip' | 'wrong-type' | 'oversized-length' | 'oversized-body' | 'unknown-method' | 'deep-nesting';
const KINDS: readonly CaseKind[] = ['random', 'truncated', 'bitflip', 'bitflip', 'wrong-type', 'wrong-type', 'oversized-length', 'oversized-body', 'unknown-method', 'deep-nesting'];

/** One fuzz case, pure given the generator. */
export function fuzzCase(rng: Rng, kind: CaseKind): Buffer {
  switch (kind) {
    case 'random': return noise(rng, between(rng, 1, 4096));
    case 'truncated': { const v = validLaunch(rng); return v.subarray(0, between(rng, 1, v.length - 1)); }
    case 'bitflip': {
      const v = Buffer.from(validLaunch(rng));
      for (let i = between(rng, 1, 8); i > 0; i--) v[between(rng, 0, v.length - 1)] ^= 1 << between(rng, 0, 7);
      return v;
    }
    case 'wrong-type': {
      // The arguments with the right ids and the wrong types: a string, an i32, a list where structs belong.
      const wrong = pick(rng, [T.STRING, T.I32, T.LIST, T.MAP, T.DOUBLE, T.BOOL]);
      const payload = wrong === T.STRING ? Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('hello')])
        : wrong === T.I32 ? Buffer.from([0, 0, 0, 7]) : wrong === T.LIST ? Buffer.from([T.I32, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2])
          : wrong === T.MAP ? Buffer.from([T.STRING, T.STRING, 0, 0, 0, 0]) : wrong === T.DOUBLE ? Buffer.alloc(8) : Buffer.from([1]);
      return message('launchExperiment', 1, Buffer.concat([field(wrong, between(rng, 1, 2), payload), field(T.STRUCT, 2, Buffer.from([T.STOP])), Buffer.from([T.STOP])]));
    }
    case 'oversized-length': {
      // A string, list or method name declaring far more bytes than anyone should buffer.
      const huge = Buffer.alloc(4);
      huge.writeUInt32BE(between(rng, 0x01000000, 0x7fffffff), 0);
      return pick(rng, [
        Buffer.concat([Buffer.from([0x80, 0x01, 0x00, 0x01]), huge]),
        message('launchExperiment', 1, Buffer.concat([field(T.STRUCT, 2, Buffer.concat([field(T.STRING, 1, huge)]))])),
        message('launchExperiment', 1, Buffer.concat([field(T.STRUCT, 2, Buffer.concat([field(T.LIST, 16, Buffer.concat([Buffer.from([T.STRUCT]), huge]))]))])),
      ]);
    }
    case 'oversized-body': return message('launchExperiment', 1, Buffer.concat([field(T.STRUCT, 2, Buffer.concat([field(T.STRING, 1, Buffer.concat([Buffer.from([0x00, 0x10, 0x00, 0x00])]))])), noise(rng, between(rng, 64 * 1024, 256 * 1024))]));
    case 'unknown-method': return message(`no_such_${between(rng, 0, 1e6)}`, 1, Buffer.from([T.STOP]));
    case 'deep-nesting': {
      const depth = between(rng, 100, 5000);
      const parts: Buffer[] = [];
      for (let i = 0; i < depth; i++) parts.push(Buffer.from([T.STRUCT, 0, 1]));
      return message('launchExperiment', 1, Buffer.concat(parts));
    }
  }
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sends one case on a fresh connection and hangs up: half-close, then close after a short wait for the server. */
function sendCase(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    const done = () => { clearTimeout(t); s.destroy(); resolve(); };
    const t = setTimeout(done, 300);
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => undefined);
    s.once('connect', () => s.end(bytes));
  });
}

export async function runFuzzer(o: FuzzOptions): Promise<FuzzResult> {
  const rng = seededRng(o.seed ^ 0x5eed);
  const byKind: Record<string, number> = {};
  const rss = { start: rssMb(o.rssPid()), max: 0, end: 0 };
  let wellFormedCalls = 0;
  let wellFormedFailures = 0;
  let sent = 0;
  let finished = false;
  const rssTimer = setInterval(() => { rss.max = Math.max(rss.max, rssMb(o.rssPid())); }, 1000);
  // A well-formed client calling all along: its calls must all be answered.
  const pinger = (async () => {
    while (!finished) {
      try {
        const c = await connectMetaScheduler({ host: '127.0.0.1', port: o.port(), connectTimeoutMs: 5000, callTimeoutMs: 10000 });
        try {
          for (let i = 0; i < 20 && !finished; i++) {
            wellFormedCalls++;
            await c.client.getAPIVersion();
            await sleep(100);
          }
        } finally {
          await c.close();
        }
      } catch {
        wellFormedFailures++;
        await sleep(500);
      }
    }
  })();
  const workers = Array.from({ length: o.concurrency ?? 16 }, async () => {
    while (sent < o.cases) {
      sent++;
      const kind = pick(rng, KINDS);
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      await sendCase(o.port(), fuzzCase(rng, kind));
    }
  });
  await Promise.all(workers);
  finished = true;
  await pinger;
  clearInterval(rssTimer);
  rss.end = rssMb(o.rssPid());
  rss.max = Math.max(rss.max, rss.end);
  // Bounded: no steady growth past a generous ceiling (the process starts near 100-150 MB).
  const bounded = rss.max < Math.max(600, rss.start * 4);
  const passed = bounded && wellFormedFailures === 0 && wellFormedCalls > 0;
  const summary = [
    `  cases sent                     ${sent} (${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`,
    `  well-formed calls / failures   ${wellFormedCalls} / ${wellFormedFailures}`,
    `  API RSS MB start / max / end   ${rss.start.toFixed(0)} / ${rss.max.toFixed(0)} / ${rss.end.toFixed(0)}${bounded ? '' : '  (NOT BOUNDED)'}`,
    `  result                         ${passed ? 'passed' : 'FAILED'}`,
  ].join('\n');
  return { passed, cases: sent, wellFormedCalls, wellFormedFailures, rssMb: rss, byKind, summary };
}
