"""Ping-pong latency and allreduce bandwidth with mpi4py, the mpi4py program of bench/mpi.

Prints two figures of merit on rank 0:
  pingpong_latency_us=<half round trip of an 8-byte message between rank 0 and the last rank>
  allreduce_MBps=<bytes of a 1 MiB float64 vector reduced per second>
"""
import sys
import time
from mpi4py import MPI
import array

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
peer = size - 1

def pingpong(n):
    buf = bytearray(8)
    comm.Barrier()
    start = MPI.Wtime()
    for _ in range(n):
        if rank == 0:
            comm.Send([buf, MPI.BYTE], dest=peer, tag=1)
            comm.Recv([buf, MPI.BYTE], source=peer, tag=1)
        elif rank == peer:
            comm.Recv([buf, MPI.BYTE], source=0, tag=1)
            comm.Send([buf, MPI.BYTE], dest=0, tag=1)
    return (MPI.Wtime() - start) / n / 2

def allreduce(n, count=131072):
    send = array.array('d', [float(rank)] * count)
    recv = array.array('d', [0.0] * count)
    comm.Barrier()
    start = MPI.Wtime()
    for _ in range(n):
        comm.Allreduce([send, MPI.DOUBLE], [recv, MPI.DOUBLE], op=MPI.SUM)
    elapsed = MPI.Wtime() - start
    assert recv[0] == sum(range(size)), recv[0]
    return count * 8 * n / elapsed

pingpong(max(1, iterations // 10))  # warm-up: connections, buffers
latency = pingpong(iterations)
bandwidth = allreduce(max(1, iterations // 20))
if rank == 0:
    print(f"pingpong_latency_us={latency * 1e6:.2f}")
    print(f"allreduce_MBps={bandwidth / 1e6:.1f}")
    print(f"ranks={size} library={MPI.Get_library_version().splitlines()[0]}")
