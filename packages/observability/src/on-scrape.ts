import type { Gauge } from 'prom-client';

/**
 * Fills a gauge when /metrics is read rather than on a timer, so an idle service that nobody
 * scrapes does no work for it. A failing read leaves the last values (the scrape still answers).
 */
export function onScrape<T extends string>(gauge: Gauge<T>, read: (g: Gauge<T>) => Promise<void>): void {
  (gauge as unknown as { collect: () => Promise<void> }).collect = async () => {
    await read(gauge).catch(() => undefined);
  };
}
