/*
 * The same measurements as pingpong_allreduce.py, in C: bench/mpi runs it under MPICH, for which
 * Debian packages neither mpi4py nor hpcc (both are built against OpenMPI only).
 *   pingpong_latency_us=<half round trip of an 8-byte message between rank 0 and the last rank>
 *   allreduce_MBps=<bytes of a 1 MiB double vector reduced per second>
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int rank, size;

static double pingpong(int n) {
  char buf[8] = {0};
  int peer = size - 1;
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  for (int i = 0; i < n; i++) {
    if (rank == 0) {
      MPI_Send(buf, 8, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
      MPI_Recv(buf, 8, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == peer) {
      MPI_Recv(buf, 8, MPI_BYTE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(buf, 8, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
    }
  }
  return (MPI_Wtime() - start) / n / 2;
}

static double allreduce(int n) {
  const int count = 131072;
  double *send = malloc(count * sizeof *send), *recv = malloc(count * sizeof *recv);
  for (int i = 0; i < count; i++) send[i] = rank;
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  for (int i = 0; i < n; i++) MPI_Allreduce(send, recv, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  double elapsed = MPI_Wtime() - start;
  if (recv[0] != (double)size * (size - 1) / 2) { fprintf(stderr, "wrong sum %f\n", recv[0]); MPI_Abort(MPI_COMM_WORLD, 2); }
  free(send);
  free(recv);
  return (double)count * sizeof(double) * n / elapsed;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int iterations = argc > 1 ? atoi(argv[1]) : 1000;
  if (iterations < 20) iterations = 20;
  pingpong(iterations / 10);
  double latency = pingpong(iterations);
  double bandwidth = allreduce(iterations / 20);
  if (rank == 0) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len;
    MPI_Get_library_version(version, &len);
    for (int i = 0; i < len; i++) if (version[i] == '\n' || version[i] == ',') { version[i] = 0; break; }
    printf("pingpong_latency_us=%.2f\nallreduce_MBps=%.1f\nranks=%d library=%s\n", latency * 1e6, bandwidth / 1e6, size, version);
  }
  MPI_Finalize();
  return 0;
}
