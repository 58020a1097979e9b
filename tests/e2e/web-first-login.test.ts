/**
 * The first-admin journey exactly as a newcomer meets it: the app bootstraps an empty database and
 * prints a one-time password; the admin signs in with it, must change it, must enrol TOTP, logs out,
 * and signs in again with password + TOTP code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { generate } from 'otplib';
import { completeTotpEnrolment, ensureWebBuilt, listenOnLoopback, launchChromium, submitLogin, submitPasswordChange, closeWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { bootstrap, type BootstrapResult } from '../../src/server/bootstrap.ts';
import { buildTestApp, openTestRuntime, type TestRuntime } from '../support/harness.ts';


let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;
let first: BootstrapResult;

beforeAll(async () => {
  ensureWebBuilt();
  runtime = await openTestRuntime();
  first = await bootstrap(runtime.db, { seedDemo: true, adminEmail: 'admin@first-login.test' });
  app = await buildTestApp(runtime);
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('first login of the platform administrator', () => {
  it('printed password → forced change → MFA enrolment → logout → login with TOTP', async () => {
    expect(first.admin?.email).toBe('admin@first-login.test');
    const initialPassword = first.admin!.initialPassword;
    const newPassword = 'Harbour-Lantern-2026';
    const page = await (await browser.newContext({ locale: 'zh-TW' })).newPage();
    page.setDefaultTimeout(20_000);

    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await submitLogin(page, { email: first.admin!.email, password: initialPassword });

    await page.waitForURL(/\/login\/password/);
    await submitPasswordChange(page, initialPassword, newPassword);

    await page.waitForURL(/\/login\/enrol/).catch(async (error: unknown) => {
      await page.screenshot({ path: '/tmp/first-login-fail.png' });
      throw new Error(`${String(error)} at ${page.url()}: ${await page.locator('body').innerText()}`);
    });
    const secret = await completeTotpEnrolment(page);
    await page.waitForSelector('[data-testid=side-menu]');

    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=logout]');
    await page.waitForURL(/\/login/);

    // The initial password no longer works; the new one asks for the second factor.
    await submitLogin(page, { email: first.admin!.email, password: newPassword });
    await page.waitForURL(/\/login\/mfa/);
    // The enrolment code is spent (no replay within its window): use the next step's code.
    await page.fill('[data-testid=mfa-code]', await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.click('[data-testid=mfa-submit]');
    await page.waitForSelector('[data-testid=side-menu]');
    expect(page.url()).not.toMatch(/\/login/);

    const events = await runtime.db.query<{ action: string }>("SELECT action FROM audit_events WHERE chain = 'platform' ORDER BY seq");
    const actions = events.rows.map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.password_changed', 'auth.mfa_enrolled', 'auth.signed_out', 'auth.mfa_passed']));
  });
});
