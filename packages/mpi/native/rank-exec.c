/*
 * msched-rank-exec: the resident part of the rank wrapper, small enough to sit next to every rank
 * (about 1 MB instead of a 40 MB node process; see README.md, "Rank wrapper").
 *
 *   msched-rank-exec [--yield-when-idle <shim.so>] <node> <rank-helper.js> <program> [args...]
 *
 * 1. The rank's working directory and environment. When the gang task left a rank spec
 *    ($MSCHED_GANG_RANK_SPEC, written by io/rank-spec-file.ts: the directory, then the NAME=value entries
 *    every rank of the task gets), they are computed here: this environment without the internal
 *    MSCHED_GANG_* variables (the cleanup tag stays), then the spec's entries, then the rank's own
 *    MSCHED_RANK, MSCHED_RANKS, MSCHED_LOCAL_RANK, as rank-env.ts's applicationEnv does. Without a
 *    spec, `node rank-helper.js prepare` prints the whole of it (a node start per rank: 0.1-0.5 s
 *    and 48 MB each on a loaded machine, which is why the spec exists).
 *    --yield-when-idle puts the shim first in the rank's LD_PRELOAD (mpi-yield.c: MPICH over UCX
 *    gives the core away while it waits, on machines with more ranks than cores).
 * 2. Starts the program there with that environment, passes signals on, waits.
 * 3. When the program fails, runs `node rank-helper.js record-exit <code> <signal> <error>` with the
 *    wrapper's own environment, which records the rank's end in ZooKeeper.
 * 4. Ends the way the program ended (same code, same signal).
 * No shell anywhere: every program is started by execv/execvp with an argv.
 *
 * Started under the name msched-remote-shell, the same binary is the MPI remote shell (remote-shell.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "native.h"

extern char **environ;

#define CANNOT_EXECUTE 127

static volatile pid_t child = 0;
static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGCONT};

static void say(const char *what, const char *detail) {
  fprintf(stderr, "msched-rank-exec: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

/* Runs argv and waits for it, retrying waitpid on signals; returns the wait status or -1. */
static int run_and_wait(char *const argv[], int stdout_fd) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (stdout_fd >= 0) { dup2(stdout_fd, STDOUT_FILENO); close(stdout_fd); }
    execv(argv[0], argv);
    _exit(CANNOT_EXECUTE);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) return -1;
  return status;
}

/* Reads everything from fd into a growing buffer; sets *len. */
static char *read_all(int fd, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (n == cap && !(buf = realloc(buf, cap *= 2))) return NULL;
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

static void record_exit(char *node, char *helper, int code, int sig, const char *error) {
  char code_s[16] = "", sig_s[32] = "";
  if (!sig) snprintf(code_s, sizeof code_s, "%d", code);
  else if (sigabbrev_np(sig)) snprintf(sig_s, sizeof sig_s, "SIG%s", sigabbrev_np(sig));
  char *argv[] = {node, helper, "record-exit", code_s, sig_s, (char *)(error ? error : ""), NULL};
  run_and_wait(argv, -1);
}

/* NAME=value entries, the last one set for a name winning, as in a JavaScript object. */
struct env {
  char **v;
  size_t n, cap;
};

static size_t name_len(const char *entry) {
  const char *eq = strchr(entry, '=');
  return eq ? (size_t)(eq - entry) : strlen(entry);
}

static int env_set(struct env *e, char *entry) {
  size_t len = name_len(entry);
  for (size_t i = 0; i < e->n; i++) {
    if (name_len(e->v[i]) == len && strncmp(e->v[i], entry, len) == 0) { e->v[i] = entry; return 0; }
  }
  if (e->n + 2 > e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 128;
    char **v = realloc(e->v, cap * sizeof *v);
    if (!v) return -1;
    e->v = v;
    e->cap = cap;
  }
  e->v[e->n++] = entry;
  e->v[e->n] = NULL;
  return 0;
}

/* The first of two variables holding a natural number (rank-env.ts: rankIdentityOf). */
static const char *natural(const char *a, const char *b) {
  const char *names[] = {a, b};
  for (int i = 0; i < 2; i++) {
    const char *v = names[i] ? getenv(names[i]) : NULL;
    if (v && *v && strspn(v, "0123456789") == strlen(v)) return v;
  }
  return NULL;
}

static char *entry_of(const char *name, const char *value) {
  char *out = NULL;
  if (asprintf(&out, "%s=%s", name, value) < 0) return NULL;
  return out;
}

static char *number_entry(const char *name, const char *digits) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lu", strtoul(digits, NULL, 10));
  return entry_of(name, buf);
}

/* Step 1 from the rank spec; returns the directory, fills env, NULL (having said why) on failure. */
static char *prepare_from_spec(const char *path, struct env *env) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) { say("cannot read the rank spec", strerror(errno)); return NULL; }
  size_t len;
  char *spec = read_all(fd, &len);
  close(fd);
  if (!spec || len == 0 || spec[len - 1] != '\0') { say("the rank spec is malformed", path); return NULL; }
  const char *rank = natural("OMPI_COMM_WORLD_RANK", "PMI_RANK"), *size = natural("OMPI_COMM_WORLD_SIZE", "PMI_SIZE");
  const char *local = natural("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID");
  if (!rank || !size) { say("no rank in the environment (OMPI_COMM_WORLD_RANK or PMI_RANK): not started by mpirun/mpiexec?", NULL); return NULL; }
  for (char **p = environ; *p; p++) {
    if (strncmp(*p, "MSCHED_GANG_", 12) == 0 && strncmp(*p, "MSCHED_GANG_TAG=", 16) != 0) continue;
    if (env_set(env, *p) < 0) return NULL;
  }
  for (char *p = spec + strlen(spec) + 1; p < spec + len; p += strlen(p) + 1) if (env_set(env, p) < 0) return NULL;
  char *own[] = {number_entry("MSCHED_RANK", rank), number_entry("MSCHED_RANKS", size), number_entry("MSCHED_LOCAL_RANK", local ? local : "0")};
  for (int i = 0; i < 3; i++) if (!own[i] || env_set(env, own[i]) < 0) return NULL;
  return spec;
}

/* Step 1 by `node rank-helper.js prepare`; returns the directory, fills env, NULL on failure. */
static char *prepare_by_helper(char *node, char *helper, struct env *env) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) < 0) { say("pipe", strerror(errno)); return NULL; }
  pid_t prep = fork();
  if (prep < 0) { say("fork", strerror(errno)); return NULL; }
  if (prep == 0) {
    dup2(out[1], STDOUT_FILENO);
    char *pargv[] = {node, helper, "prepare", NULL};
    execv(node, pargv);
    say("cannot run node", strerror(errno));
    _exit(CANNOT_EXECUTE);
  }
  close(out[1]);
  size_t len;
  char *spec = read_all(out[0], &len);
  close(out[0]);
  int status;
  while (waitpid(prep, &status, 0) < 0) if (errno != EINTR) break;
  if (!spec || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || len == 0 || spec[len - 1] != '\0') {
    say("the rank helper could not prepare the rank", NULL);
    return NULL;
  }
  for (char *p = spec + strlen(spec) + 1; p < spec + len; p += strlen(p) + 1) if (env_set(env, p) < 0) return NULL;
  return spec;
}

/* LD_PRELOAD=<shim>[:<the rank's own>]: the shim first, whatever the application preloads kept. */
static int preload_first(struct env *env, const char *shim) {
  const char *own = NULL;
  for (size_t i = 0; i < env->n; i++) if (strncmp(env->v[i], "LD_PRELOAD=", 11) == 0) own = env->v[i] + 11;
  char *entry = NULL;
  if (own && *own ? asprintf(&entry, "LD_PRELOAD=%s:%s", shim, own) < 0 : asprintf(&entry, "LD_PRELOAD=%s", shim) < 0) return -1;
  return env_set(env, entry);
}

int main(int argc, char **argv) {
  const char *self = strrchr(argv[0], '/');
  if (strcmp(self ? self + 1 : argv[0], REMOTE_SHELL_NAME) == 0) return remote_shell_main(argc, argv);
  const char *shim = NULL;
  if (argc > 2 && strcmp(argv[1], "--yield-when-idle") == 0) {
    shim = argv[2];
    argc -= 2;
    argv += 2;
  }
  if (argc < 4) { say("usage: msched-rank-exec [--yield-when-idle <shim.so>] <node> <rank-helper.js> <program> [args...]", NULL); return CANNOT_EXECUTE; }
  char *node = argv[1], *helper = argv[2], **program = argv + 3;

  /* 1. The rank's directory and environment. */
  struct env built = {0};
  const char *spec_path = getenv("MSCHED_GANG_RANK_SPEC");
  char *dir = spec_path && *spec_path ? prepare_from_spec(spec_path, &built) : prepare_by_helper(node, helper, &built);
  if (!dir || !built.v || (shim && preload_first(&built, shim) < 0)) {
    if (dir) say("out of memory", NULL);
    return CANNOT_EXECUTE;
  }
  char **env = built.v;

  /* 2. The program, in its directory, with its environment; its exec failure comes back on a pipe. */
  int failed[2];
  if (pipe2(failed, O_CLOEXEC) < 0) { say("pipe", strerror(errno)); return CANNOT_EXECUTE; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++) sigaction(forwarded[i], &sa, NULL);
  char **own_env = environ;
  int status;
  pid_t pid = fork();
  if (pid < 0) { say("fork", strerror(errno)); return CANNOT_EXECUTE; }
  if (pid == 0) {
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++) signal(forwarded[i], SIG_DFL);
    int err = 0;
    if (chdir(dir) < 0) err = errno;
    else {
      environ = env; /* execvp looks the program up in the rank's own PATH */
      execvp(program[0], program);
      err = errno;
    }
    ssize_t ignored = write(failed[1], &err, sizeof err);
    (void)ignored;
    _exit(CANNOT_EXECUTE);
  }
  child = pid;
  close(failed[1]);
  int exec_errno = 0;
  ssize_t got;
  while ((got = read(failed[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {}
  close(failed[0]);
  while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) { say("waitpid", strerror(errno)); return CANNOT_EXECUTE; }
  child = 0;
  environ = own_env;

  /* 3. A failed rank is recorded; 4. the wrapper ends as the rank did. */
  if (got == (ssize_t)sizeof exec_errno) {
    char error[512];
    snprintf(error, sizeof error, "cannot start %s in %s: %s", program[0], dir, strerror(exec_errno));
    say(error, NULL);
    record_exit(node, helper, CANNOT_EXECUTE, 0, error);
    return CANNOT_EXECUTE;
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    record_exit(node, helper, 0, sig, NULL);
    signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    kill(getpid(), sig);
    return 128 + sig;
  }
  int code = WEXITSTATUS(status);
  if (code != 0) record_exit(node, helper, code, 0, NULL);
  return code;
}
