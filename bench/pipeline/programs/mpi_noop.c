/* bench:pipeline's MPI program: joins the world and leaves at once, so the figures are the pipeline's. */
#include <mpi.h>
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Finalize();
  return 0;
}
