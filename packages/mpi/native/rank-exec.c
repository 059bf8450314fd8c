/*
 * msched-rank-exec: the resident part of the rank wrapper, small enough to sit next to every rank
 * (about 1 MB instead of a 40 MB node process; see README.md, "Rank wrapper").
 *
 *   msched-rank-exec <node> <rank-helper.js> <program> [args...]
 *
 * 1. Runs `node rank-helper.js prepare`, which prints the rank's working directory and environment
 *    (NUL-separated: dir, then NAME=value entries) computed by the same TypeScript as ever.
 * 2. Starts the program there with that environment, passes signals on, waits.
 * 3. When the program fails, runs `node rank-helper.js record-exit <code> <signal> <error>` with the
 *    wrapper's own environment, which records the rank's end in ZooKeeper.
 * 4. Ends the way the program ended (same code, same signal).
 * No shell anywhere: every program is started by execv/execvp with an argv.
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

int main(int argc, char **argv) {
  if (argc < 4) { say("usage: msched-rank-exec <node> <rank-helper.js> <program> [args...]", NULL); return CANNOT_EXECUTE; }
  char *node = argv[1], *helper = argv[2], **program = argv + 3;

  /* 1. The rank's directory and environment, from the helper. */
  int out[2];
  if (pipe2(out, O_CLOEXEC) < 0) { say("pipe", strerror(errno)); return CANNOT_EXECUTE; }
  pid_t prep = fork();
  if (prep < 0) { say("fork", strerror(errno)); return CANNOT_EXECUTE; }
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
    return CANNOT_EXECUTE;
  }
  size_t count = 0;
  for (size_t i = 0; i < len; i++) if (!spec[i]) count++;
  char *dir = spec;
  char **env = calloc(count, sizeof *env);
  size_t e = 0;
  for (char *p = spec + strlen(spec) + 1; p < spec + len; p += strlen(p) + 1) env[e++] = p;
  env[e] = NULL;

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
