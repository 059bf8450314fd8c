/* The chaos workload's MPI program: every rank takes part in an MPI_Allreduce twice a second for
 * the given number of seconds (so gangs stay up long enough to be struck by faults, using little
 * CPU), then rank 0 writes result.txt. Each rank prints one line naming its agent. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int rank, size, one = 1, sum = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int seconds = argc > 1 ? atoi(argv[1]) : 5;
  for (int i = 0; i < seconds * 2; i++) {
    MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (sum != size) { fprintf(stderr, "rank %d: allreduce gave %d, expected %d\n", rank, sum, size); MPI_Abort(MPI_COMM_WORLD, 3); }
    usleep(500000);
  }
  const char *agent = getenv("MSCHED_AGENT_HOSTNAME");
  printf("rank %d of %d on %s: %d s done\n", rank, size, agent ? agent : "-", seconds);
  fflush(stdout);
  if (rank == 0) {
    FILE *f = fopen("result.txt", "w");
    if (!f) { perror("result.txt"); MPI_Abort(MPI_COMM_WORLD, 4); }
    fprintf(f, "ranks=%d seconds=%d\n", size, seconds);
    fclose(f);
  }
  MPI_Finalize();
  return 0;
}
