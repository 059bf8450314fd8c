/**
 * The exit code in a command executor's status message ("Command exited with status 3", as Mesos'
 * command executor words it); undefined when the message does not say.
 */
export function exitCodeFromMessage(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /exited with status (\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}
