/** Shared set-up of the browser tests: the built web app, a server on loopback, Debian Chromium. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { App } from '../../src/server/app.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = process.env.ANJIAN_CHROMIUM ?? '/usr/bin/chromium';

/** Builds dist/web when it is missing (`npm run build:web`; CI builds it before the browser suite). */
export function ensureWebBuilt(): void {
  if (!existsSync(`${ROOT}/dist/web/index.html`)) {
    execFileSync(process.execPath, [`${ROOT}/node_modules/vite/bin/vite.js`, 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'ignore' });
  }
}

/** Starts the app on a free loopback port and returns its base URL. */
export async function listenOnLoopback(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Headless Chromium with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
