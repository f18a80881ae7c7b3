import { chromium, type Browser } from 'playwright-core';
import { browserPathOrThrow } from '../../../scripts/browser.mjs';

/** Headless, and with nothing that would reach for the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches the browser the tests drive: `CHROMIUM_PATH`, Debian's chromium or an installed Chrome, never a
 * downloaded one (the root `pretest` installs Debian's when it can). Without one it fails with the command to run.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: browserPathOrThrow(), args: CHROMIUM_ARGS });
}
