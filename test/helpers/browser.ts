import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, BrowserContext } from 'playwright-core';

/** Debian's Chromium (deploy/local/install-deps.sh installs it); no browser is downloaded. */
export const CHROMIUM = process.env.MSCHED_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile that talks to nothing but the pages it is sent to (no
 * updates, sync or QUIC), so tests behave the same on an air-gapped machine.
 */
export async function startBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'msched-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    timeout: 60000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
