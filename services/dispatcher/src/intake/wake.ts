import { ChannelListener, type Db } from '@msched/db';
import type { Logger } from '@msched/logging';

/** The channel the leading dispatcher LISTENs on: new gangs or cancel requests were committed. */
export const DISPATCHER_CHANNEL = 'msched_dispatcher';

/** Wakes the leading dispatcher (in whichever process it runs) after a commit. */
export async function notifyDispatchers(db: Db): Promise<void> {
  await db.query('SELECT pg_notify($1, \'\')', [DISPATCHER_CHANNEL]);
}

/** The leader's LISTEN on the dispatcher channel: new gangs or cancel requests were committed. */
export function wakeListener(url: string, onWake: () => void, logger: Logger): ChannelListener {
  return new ChannelListener({ url, channel: DISPATCHER_CHANNEL, onNotify: onWake, logger, name: 'msched-dispatcher-listener' });
}
