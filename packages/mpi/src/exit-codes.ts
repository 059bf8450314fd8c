/**
 * Exit codes of a gang task when the application itself did not decide the code. They follow
 * sysexits.h and the shell's 128+signal rule so that an operator reading only a Mesos status can
 * still guess the cause; the result summary (result.ts) is the authoritative explanation.
 */
export const EXIT = {
  ok: 0,
  /** A required process could not be started (mpirun missing, executable not found). */
  cannotStart: 69,
  /** Bug or unexpected error inside the task program itself. */
  internal: 70,
  /** The gang was incomplete: rendezvous timed out, a member left, ZooKeeper was lost. Retrying may help. */
  gangBroken: 75,
  /** The task's environment contract was violated: the dispatcher built a wrong command. */
  config: 78,
  /** Wall time exceeded (same code as coreutils timeout). */
  wallTime: 124,
  /** Terminated by SIGTERM (Mesos kill). */
  killed: 143,
} as const;

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** The shell's convention for a process ended by a signal: 128 + signal number. */
export function exitCodeOfSignal(signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}

/** One number for "how did it end", whether by exit code or by signal. */
export function exitCodeOf(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  return signal ? exitCodeOfSignal(signal) : EXIT.internal;
}
