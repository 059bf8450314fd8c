import assert from 'node:assert/strict';
import { carveTaskResources, OfferSnapshot, ResourceCarveError } from '@msched/gang';
import type { Offer } from '@msched/mesos';
import { offer } from './support/offers';

describe('gang snapshot: OfferSnapshot and carveTaskResources', () => {
  it('groups offers per role and agent, summing resources and merging port ranges', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ id: 'O-2', agent: 'b', cpus: 4, mem: 1024, ports: [[31000, 31004]], attributes: { rack: 'r1' } }),
      offer({ id: 'O-1', agent: 'a', cpus: 1, mem: 512, ports: [[32000, 32009]] }),
      offer({ id: 'O-3', agent: 'b', cpus: 2.5, mem: 1024, ports: [[31005, 31009]] }),
      offer({ id: 'O-4', agent: 'a', cpus: 8, mem: 8192, role: 'batch' }),
    ]);
    assert.deepEqual(snap.roles(), ['batch', 'mpi']);
    assert.equal(snap.offerCount, 4);
    const [a, b] = snap.agents('mpi');
    assert.deepEqual([a.agentId, a.cpus, a.mem, a.offerIds], ['a', 1, 512, ['O-1']]);
    assert.deepEqual([b.agentId, b.cpus, b.mem, b.offerIds, b.ports, b.portCount], ['b', 6.5, 2048, ['O-2', 'O-3'], [{ begin: 31000, end: 31009 }], 10]);
    assert.deepEqual(b.attributes, { rack: 'r1' });
    assert.deepEqual(snap.agents('batch').map((x) => x.offerIds), [['O-4']]);
    assert.deepEqual(snap.agents('none'), []);
  });

  it('leaves out revocable resources and non-scratch disks', () => {
    const snap = OfferSnapshot.fromOffers([offer({
      agent: 'a', cpus: 2, mem: 1024, disk: 100,
      extra: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 16 }, revocable: {} },
        { name: 'disk', type: 'SCALAR', scalar: { value: 5000 }, disk: { persistence: { id: 'v1' } } },
      ],
    })]);
    const [a] = snap.agents('mpi');
    assert.deepEqual([a.cpus, a.disk], [2, 100]);
  });

  it('cuts task resources out of the offers, keeping each piece\'s role and allocation', () => {
    const reserved: Offer = offer({
      id: 'O-9', agent: 'a', cpus: 2, mem: 4096, ports: [[31000, 31001]],
      extra: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, allocation_info: { role: 'mpi' }, reservations: [{ type: 'STATIC', role: 'mpi' }] }],
    });
    const res = carveTaskResources([reserved], { cpus: 5, mem: 3000, disk: 0, ports: [31001] });
    assert.deepEqual(res, [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, role: '*', allocation_info: { role: 'mpi' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 3000 }, role: '*', allocation_info: { role: 'mpi' } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31001, end: 31001 }] }, role: '*', allocation_info: { role: 'mpi' } },
      { name: 'cpus', type: 'SCALAR', scalar: { value: 3 }, allocation_info: { role: 'mpi' }, reservations: [{ type: 'STATIC', role: 'mpi' }] },
    ]);
  });

  it('refuses to promise more than the offers hold', () => {
    assert.throws(
      () => carveTaskResources([offer({ agent: 'a', cpus: 1, mem: 100, ports: [[31000, 31000]] })], { cpus: 2, mem: 100, disk: 0, ports: [31005] }),
      (e: unknown) => e instanceof ResourceCarveError && /lack 1 cpus, ports 31005/.test(e.message),
    );
  });
});
