import { ChannelListener, OUTBOX_CHANNEL } from '@msched/db';
import type { Logger } from '@msched/logging';

/** The relay's LISTEN on the outbox channel (writers in other processes NOTIFY after commit). */
export function outboxListener(url: string, onNotify: () => void, logger: Logger): ChannelListener {
  return new ChannelListener({ url, channel: OUTBOX_CHANNEL, onNotify, logger, name: 'msched-outbox-listener' });
}
