import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describeIf, findBinary } from '@aegis/testing';

/** A system Chromium (Debian: `apt-get install -y chromium`, which .ci/run installs); AEGIS_CHROMIUM
 * names another. */
export const chromiumPath =
  process.env.AEGIS_CHROMIUM ??
  findBinary('chromium') ??
  findBinary('chromium-browser') ??
  '/usr/bin/chromium';

/** `describe` when Chromium is there; otherwise skipped with the reason (failing under AEGIS_REQUIRE_ALL=1). */
export const describeBrowser = describeIf(
  fs.existsSync(chromiumPath),
  'a Chromium browser',
  `${chromiumPath} not found (Debian: apt-get install -y chromium; or set AEGIS_CHROMIUM)`,
);

/** Headless Chromium with nothing running in the background that could reach the network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
