/* The demo's MPI application: every rank integrates its share of 4/(1+x^2) over [0,1], the shares
 * meet in an MPI_Reduce (so the result is only right if the ranks really talk across agents), and
 * each rank reports where it ran. Rank 0 also writes the result to result.txt in its sandbox, which
 * the provisioner collects as a declared output. Arguments are printed as received, to show that
 * experiment inputs reach the program literally (no shell in between). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  long steps = argc > 1 ? atol(argv[1]) : 1000000;
  if (steps <= 0) steps = 1000000;
  double h = 1.0 / (double)steps, local = 0.0, pi = 0.0;
  for (long i = rank; i < steps; i += size) {
    double x = h * ((double)i + 0.5);
    local += 4.0 / (1.0 + x * x);
  }
  local *= h;
  MPI_Reduce(&local, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);

  const char *agent = getenv("MSCHED_AGENT_HOSTNAME");
  printf("rank %d of %d on agent %s: integrated %ld steps\n", rank, size, agent ? agent : "?", steps);
  fflush(stdout);
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) {
    printf("pi ~= %.12f (error %.2e), label argument: \"%s\"\n", pi, pi - 3.141592653589793, argc > 2 ? argv[2] : "");
    FILE *f = fopen("result.txt", "w");
    if (f) {
      fprintf(f, "pi=%.12f ranks=%d steps=%ld\n", pi, size, steps);
      fclose(f);
    }
  }
  MPI_Finalize();
  return 0;
}
