/** Shared set-up of the browser tests: the built web app, a server on loopback, Debian Chromium. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generate } from 'otplib';
import type { App } from '../../src/server/app.ts';
import { buildTestApp, openTestRuntime, type TestRuntime } from '../support/harness.ts';

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

export interface WebSuite { runtime: TestRuntime; app: App; base: string; browser: Browser }

/** A fresh database, the app on loopback (serving the built web app) and Chromium, for one test file. */
export async function openWebSuite(): Promise<WebSuite> {
  ensureWebBuilt();
  const runtime = await openTestRuntime();
  const app = await buildTestApp(runtime);
  const base = await listenOnLoopback(app);
  return { runtime, app, base, browser: await launchChromium() };
}

/** Closes what `openWebSuite` (or a file's own set-up) opened; any part may be missing after a failed start. */
export async function closeWebSuite(suite: Partial<WebSuite>): Promise<void> {
  await suite.browser?.close();
  await suite.app?.close();
  await suite.runtime?.close();
}

/** Fills in and submits the login form on the page it is on. */
export async function submitLogin(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.fill('[data-testid=login-email]', user.email);
  await page.fill('[data-testid=login-password]', user.password);
  await page.click('[data-testid=login-submit]');
}

/** Opens `url` and signs in there (roles without mandatory MFA land straight on the page asked for). */
export async function signInAt(page: Page, url: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(url);
  await submitLogin(page, user);
}

/** On the forced enrolment page: confirms a code for the shown secret and saves the recovery codes; returns the secret. */
export async function completeTotpEnrolment(page: Page): Promise<string> {
  const secret = (await page.locator('[data-testid=mfa-secret]').innerText()).trim();
  await page.fill('[data-testid=mfa-code]', await generate({ secret }));
  await page.click('[data-testid=enrol-submit]');
  await page.waitForSelector('[data-testid=recovery-codes]');
  await page.click('[data-testid=recovery-saved]');
  return secret;
}

/** Signs in a user whose role needs MFA, enrolling TOTP through the forced enrolment page. */
export async function signInAndEnrol(page: Page, user: { email: string; password: string }): Promise<void> {
  await submitLogin(page, user);
  await page.waitForURL(/\/login\/enrol/);
  await completeTotpEnrolment(page);
}

/** Fills in and submits the forced password-change form. */
export async function submitPasswordChange(page: Page, current: string, next: string): Promise<void> {
  await page.fill('[data-testid=current-password]', current);
  await page.fill('[data-testid=new-password]', next);
  await page.fill('[data-testid=confirm-password]', next);
  await page.click('[data-testid=password-submit]');
}
