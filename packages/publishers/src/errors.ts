/**
 * Why a status did not reach a channel, and whether trying again can help (the consumer loop
 * looks at `retriable`, as kafkajs does with its own errors).
 */

/** The event can never be encoded for this channel (a bad payload): it is skipped with this reason. */
export class EncodeError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

/** The channel's broker did not confirm the message: the same message is sent again, nothing after it goes first. */
export class ChannelUnavailableError extends Error {
  readonly retriable = true;
  constructor(readonly channel: string, cause: unknown) {
    super(`${channel}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ChannelUnavailableError';
  }
}

/** The publisher is stopping: the message stays uncommitted and is published after the next start. */
export class PublisherStoppedError extends Error {
  readonly retriable = true;
  constructor(channel: string) {
    super(`${channel}: publisher stopping`);
    this.name = 'PublisherStoppedError';
  }
}
