/*
 * msched-remote-shell: what mpirun/mpiexec start in place of ssh, `msched-remote-shell [ssh options]
 * <host> <command words>`. It hands its arguments over a Unix socket to the launcher task, which
 * already holds the gang's ZooKeeper session and does the rest (remote-shell-server.ts: refuses
 * anything but an MPI daemon, asks the task on <host> to run it, waits for its end), and exits with
 * the daemon's code, as ssh would; 255 when the "connection" fails. A signal, or this process
 * dying, closes the socket: the launcher then asks the remote task to stop the daemon.
 * Native because a node remote shell took 0.1-0.5 s to start and a ZooKeeper session of its own
 * for each host of every job, on the critical path of every MPI launch.
 *
 * Request: u32 count, then count times (u32 length, bytes); big-endian.
 * Replies: 'M' u32 length, bytes (a message for stderr) ... then 'X' u8 exit code.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "native.h"

#define CONNECTION_FAILED 255

static volatile sig_atomic_t stopped_by = 0;

static void on_signal(int sig) { stopped_by = sig; }

static int complain(const char *what, const char *detail) {
  fprintf(stderr, "msched-remote-shell: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  return CONNECTION_FAILED;
}

/* 1 when n bytes were read, 0 at end of stream, -1 on error or when a signal asked to stop. */
static int read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR && !stopped_by) continue;
    if (r < 0) return -1;
    if (r == 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

static int write_full(int fd, const void *buf, size_t n) {
  size_t put = 0;
  while (put < n) {
    ssize_t r = write(fd, (const char *)buf + put, n - put);
    if (r < 0 && errno == EINTR && !stopped_by) continue;
    if (r < 0) return -1;
    put += (size_t)r;
  }
  return 0;
}

int remote_shell_main(int argc, char **argv) {
  const char *path = getenv(REMOTE_SHELL_SOCKET_VARIABLE);
  if (!path || !*path) return complain(REMOTE_SHELL_SOCKET_VARIABLE " is not set", "not started by the launcher task of a gang");
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) return complain("socket path too long", path);
  strcpy(addr.sun_path, path);

  /* No SA_RESTART: a signal interrupts the wait, and closing the socket tells the launcher. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  int ending[] = {SIGTERM, SIGINT, SIGHUP};
  for (size_t i = 0; i < sizeof ending / sizeof *ending; i++) sigaction(ending[i], &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return complain("socket", strerror(errno));
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return complain("cannot reach the launcher task", strerror(errno));

  size_t size = 4;
  for (int i = 1; i < argc; i++) size += 4 + strlen(argv[i]);
  char *req = malloc(size), *p = req;
  if (!req) return complain("out of memory", NULL);
  uint32_t be = htonl((uint32_t)(argc - 1));
  memcpy(p, &be, 4);
  p += 4;
  for (int i = 1; i < argc; i++) {
    size_t len = strlen(argv[i]);
    be = htonl((uint32_t)len);
    memcpy(p, &be, 4);
    memcpy(p + 4, argv[i], len);
    p += 4 + len;
  }
  if (write_full(fd, req, size) < 0) return complain("cannot talk to the launcher task", stopped_by ? "stopped by a signal" : strerror(errno));
  free(req);

  for (;;) {
    unsigned char type;
    int r = read_full(fd, &type, 1);
    if (r <= 0) break;
    if (type == 'X') {
      unsigned char code;
      if (read_full(fd, &code, 1) <= 0) break;
      close(fd);
      return code;
    }
    uint32_t len;
    if (type != 'M' || read_full(fd, &len, 4) <= 0) break;
    len = ntohl(len);
    char *msg = malloc((size_t)len + 1);
    if (!msg || read_full(fd, msg, len) <= 0) break;
    msg[len] = '\0';
    fprintf(stderr, "msched-remote-shell: %s\n", msg);
    free(msg);
  }
  close(fd);
  if (stopped_by) return complain("stopped by a signal", strsignal(stopped_by));
  return complain("the launcher task closed the connection", NULL);
}
