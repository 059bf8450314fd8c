import assert from 'node:assert/strict';
import { HeldOffers, OfferSnapshot } from '@msched/gang';
import type { Offer } from '@msched/mesos';
import { offer } from './support/offers';

/** What a snapshot says, in plain data: per role, each agent's record; and every offer by id. */
function view(snap: OfferSnapshot, ids: readonly string[]): unknown {
  return { roles: snap.roles().map((r) => [r, snap.agents(r)]), offers: snap.offers(ids).map((o) => o.id.value), count: snap.offerCount };
}

describe('gang policy: held offers and their snapshot kept up to date', () => {
  it('gives the same snapshot as building one from every held offer, through a long run of arrivals and removals', () => {
    let x = 7;
    const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
    const held = new HeldOffers();
    const live: Offer[] = [];
    let next = 0;
    for (let step = 0; step < 400; step++) {
      if (live.length === 0 || rand(3) > 0) {
        const batch: Offer[] = [];
        for (let k = rand(4); k >= 0; k--) {
          batch.push(offer({
            id: `O-${next++}`, agent: `agent-${rand(12)}`, cpus: 1 + rand(8), mem: 1024 * (1 + rand(4)),
            role: rand(5) === 0 ? 'batch' : 'mpi', ports: rand(2) ? [[31000 + rand(50), 31060 + rand(50)]] : [],
            ...(rand(4) === 0 ? { attributes: { rack: `r${rand(3)}` } } : {}),
          }));
        }
        held.add(batch, step);
        live.push(...batch);
      } else {
        const gone = live.splice(rand(live.length), 1 + rand(3));
        held.remove(gone.map((o) => o.id.value));
      }
      const ids = live.map((o) => o.id.value);
      assert.deepEqual(view(held.snapshot(), ids), view(OfferSnapshot.fromOffers(held.offers()), ids), `step ${step}`);
    }
  });

  it('keeps a snapshot unchanged when offers come and go after it was taken', () => {
    const held = new HeldOffers();
    held.add([offer({ id: 'O-1', agent: 'a', cpus: 4, mem: 4096 }), offer({ id: 'O-2', agent: 'b', cpus: 2, mem: 2048 })], 0);
    const before = held.snapshot();
    assert.equal(held.snapshot(), before, 'one snapshot per version');
    held.remove(['O-1']);
    held.add([offer({ id: 'O-3', agent: 'b', cpus: 1, mem: 1024 })], 1);
    assert.deepEqual(before.agents('mpi').map((a) => [a.agentId, a.cpus, a.offerIds]), [['a', 4, ['O-1']], ['b', 2, ['O-2']]]);
    assert.deepEqual(before.offers(['O-1', 'O-2', 'O-3']).map((o) => o.id.value), ['O-1', 'O-2']);
    assert.deepEqual(held.snapshot().agents('mpi').map((a) => [a.agentId, a.cpus, a.offerIds]), [['b', 3, ['O-2', 'O-3']]]);
  });

  it('reuses the records of agents whose offers did not change', () => {
    const held = new HeldOffers();
    held.add([offer({ id: 'O-1', agent: 'a', cpus: 4, mem: 4096 }), offer({ id: 'O-2', agent: 'b', cpus: 2, mem: 2048 })], 0);
    const [a1] = held.snapshot().agents('mpi');
    held.add([offer({ id: 'O-3', agent: 'c', cpus: 1, mem: 1024 })], 1);
    const [a2, , c] = held.snapshot().agents('mpi');
    assert.equal(a2, a1);
    assert.equal(c.agentId, 'c');
  });
});
