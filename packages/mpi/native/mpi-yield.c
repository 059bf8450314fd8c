/*
 * msched-mpi-yield.so: preloaded into MPICH ranks (rank-exec.c --yield-when-idle) on machines that
 * hold more ranks than cores. MPICH's ch4 device (Debian's build: ch4:ucx) waits for messages by
 * calling ucp_worker_progress in a loop and has no setting to give the core away meanwhile
 * (libmpich calls neither sched_yield nor any sleep; MPIR_CVAR_POLLS_BEFORE_YIELD is ch3's): the
 * rank being waited for then gets a fraction of a core. OpenMPI's mpi_yield_when_idle does what
 * this does: when a progress call finds nothing to do a few times in a row, yield.
 * A process that never calls ucp_worker_progress is not affected.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>

/* Idle progress calls between two yields: a busy rank that just missed a message keeps the core. */
#define IDLE_POLLS_BEFORE_YIELD 16

typedef unsigned (*progress_fn)(void *worker);

static progress_fn real_progress;
static unsigned idle_polls;

unsigned ucp_worker_progress(void *worker) {
  if (!real_progress) real_progress = (progress_fn)dlsym(RTLD_NEXT, "ucp_worker_progress");
  if (!real_progress) return 0;
  unsigned events = real_progress(worker);
  if (events) idle_polls = 0;
  else if (++idle_polls >= IDLE_POLLS_BEFORE_YIELD) {
    idle_polls = 0;
    sched_yield();
  }
  return events;
}
