import { type Browser, chromium } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's chromium, headless, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const webUrl = (path = '/') => `${inject('webUrl')}${path}`;
