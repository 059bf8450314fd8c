/* What the two roles of the native binary share (rank-exec.c, remote-shell.c). */
#ifndef MSCHED_NATIVE_H
#define MSCHED_NATIVE_H

/* The name the binary is started under to act as the MPI remote shell (task-programs.ts links it). */
#define REMOTE_SHELL_NAME "msched-remote-shell"
/* Where the launcher task listens for remote shell calls (remote-shell-server.ts). */
#define REMOTE_SHELL_SOCKET_VARIABLE "MSCHED_GANG_REMOTE_SHELL_SOCKET"

int remote_shell_main(int argc, char **argv);

#endif
