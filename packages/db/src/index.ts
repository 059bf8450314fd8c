export * from './data-source';
export * from './entities';
export * from './sql';
export * from './listen/channel-listener';
