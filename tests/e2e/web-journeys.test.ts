/**
 * The web app in headless Debian Chromium against a real server (fresh database per file):
 * sign-in steps (lockout, forced password change, MFA enrolment, recovery codes), a shared item link,
 * search, diff, language switch, and the users page for a firm administrator.
 * Builds dist/web first when it is missing (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generate } from 'otplib';
import { ensureWebBuilt, listenOnLoopback, launchChromium, submitLogin, submitPasswordChange, closeWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, TEST_PASSWORD, type TestRuntime } from '../support/harness.ts';

const NEW_PASSWORD = 'Web-Journey-2026-pass';

let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;
let firmId: string;

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'zh-TW' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

beforeAll(async () => {
  ensureWebBuilt();
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  base = await listenOnLoopback(app);
  firmId = await buildFirm(runtime.db, '網頁測試證券股份有限公司');
  browser = await launchChromium();
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('web app', () => {
  it('shows the server lockout message after three wrong passwords', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/login`);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await submitLogin(page, { email: user.email, password: `wrong-password-${attempt}` });
      await page.waitForSelector('[data-testid=login-error], [data-testid=login-locked]');
    }
    expect(await page.locator('[data-testid=login-locked]').innerText()).toContain('鎖定');
    await page.context().close();
  });

  it('walks a new firm administrator through password change, MFA enrolment and into the users page', async () => {
    const admin = await buildUser(runtime.db, { memberships: [{ firmId, role: 'firm_admin' }], mustChangePassword: true });
    const page = await newPage();
    await page.goto(`${base}/users`);
    await page.waitForURL(/\/login/);
    await submitLogin(page, { email: admin.email, password: TEST_PASSWORD });

    await page.waitForURL(/\/login\/password/);
    await submitPasswordChange(page, TEST_PASSWORD, 'short');
    expect(await page.locator('[data-testid=password-issues]').innerText()).toContain('12');

    await page.fill('[data-testid=new-password]', NEW_PASSWORD);
    await page.fill('[data-testid=confirm-password]', NEW_PASSWORD);
    await page.click('[data-testid=password-submit]');

    await page.waitForURL(/\/login\/enrol/);
    const secret = (await page.locator('[data-testid=mfa-secret]').innerText()).trim();
    expect(await page.locator('[data-testid=mfa-qr]').getAttribute('src')).toMatch(/^data:image\/png/);
    await page.fill('[data-testid=mfa-code]', await generate({ secret }));
    await page.click('[data-testid=enrol-submit]');
    await page.waitForSelector('[data-testid=recovery-codes]');
    expect(await page.locator('[data-testid=recovery-code]').count()).toBe(10);
    await page.click('[data-testid=recovery-saved]');

    await page.waitForURL(/\/users$/);
    await page.waitForSelector('[data-testid=users-table] tbody tr');
    expect(await page.locator('[data-testid=users-table]').innerText()).toContain(admin.email);
    await page.click('[data-testid=user-create]');
    await page.fill('[data-testid=user-email]', `web-new-${Date.now()}@test.anjian.local`);
    await page.fill('[data-testid=user-display-name]', '新進人員 王');
    await page.click('[data-testid=user-create-submit]');
    expect((await page.locator('[data-testid=initial-password]').innerText()).length).toBeGreaterThanOrEqual(12);
    await page.context().close();
  });

  it('opens a shared item link after sign-in, then searches and diffs in zh-TW, and switches to English', async () => {
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/catalog/item/CSIM@112:7.1.d`);
    await page.waitForURL(/\/login/);
    await submitLogin(page, assessor);
    await page.waitForSelector('[data-testid=item-page]');
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe('/catalog/item/CSIM@112:7.1.d');
    expect(await page.locator('[data-testid=item-text]').innerText()).toContain('多因子驗證');
    expect(await page.locator('[data-testid=item-cycle]').innerText()).toBe('每月');
    // A firm without user:read sees no Users entry.
    expect(await page.locator('[data-testid="menu-users"]').count()).toBe(0);

    await page.goto(`${base}/catalog/item/CSIM@112:10.8`);
    expect(await page.locator('[data-testid=item-text]').innerText()).toBe('原文未載（略）');

    await page.goto(`${base}/search?q=${encodeURIComponent('多因子驗證')}`);
    await page.waitForSelector('[data-testid=search-hit]');
    expect(await page.locator('[data-testid=search-hit] mark').first().innerText()).toBe('多因子驗證');

    await page.goto(`${base}/diff?document=CSIM&from=111&to=112`);
    await page.waitForSelector('[data-testid=diff-table] tbody tr');
    expect(await page.locator('[data-testid=diff-added]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=diff-table]').innerText()).toContain('修正條文');

    await page.click('[data-testid=language-switch] >> text=EN');
    await page.reload();
    await page.waitForSelector('[data-testid=diff-table] tbody tr');
    expect(await page.locator('[data-testid=diff-table]').innerText()).toContain('Amended text');
    await page.context().close();
  });
  it('browses the glossary from the menu to a term\'s item, and the grouped comparison tables', async () => {
    const reader = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/login`);
    await submitLogin(page, reader);
    await page.click('[data-testid="menu-catalog/glossary"]');
    await page.waitForSelector('[data-testid=glossary-table] tbody tr');
    expect(new URL(page.url()).pathname).toBe('/catalog/glossary');
    const table = await page.locator('[data-testid=glossary-table]').innerText();
    expect(table).toContain('資通系統：係指用以蒐集、控制、傳輸、儲存、流通、刪除資訊或對資訊為其他處理、使用或分享之系統。');
    expect(table).toContain('深度偽造(Deepfake)');
    await page.click('[data-testid=glossary-table] >> text=NET@1:2.1');
    await page.waitForSelector('[data-testid=item-page]');
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe('/catalog/item/NET@1:2.1');
    expect(await page.locator('[data-testid=item-text]').innerText()).toContain('資通系統');

    await page.goto(`${base}/diff?document=CSIM&from=111&to=112`);
    await page.waitForSelector('[data-testid=diff-table] tbody tr');
    const moved = await page.locator('[data-testid=diff-moved-children]').allInnerTexts();
    expect(moved).toContain('隨同移列：7.1.e.a（7.1.d.a）、7.1.e.b（7.1.d.b）');
    expect(moved.join('\n')).toContain('7.1.f.h（7.1.e.h）');
    expect(await page.locator('[data-testid=diff-scope-change]').first().innerText()).toContain('另 a、b、f 項並適用於所有證券商');
    await page.goto(`${base}/diff?document=ETECH&from=111.07&to=111.09`);
    await page.waitForSelector('[data-testid=diff-title-change]');
    expect(await page.locator('[data-testid=diff-title-old]').innerText()).toBe('中華民國證券商業同業公會新興科技資訊安全自律規範');
    expect(await page.locator('[data-testid=diff-title-new]').innerText()).toContain('中華民國證券商業同業公會新興科技資通安全自律規範');
    expect(await page.locator('[data-testid=diff-title-new] .diff-added').innerText()).toBe('通');
    await page.context().close();
  });

  it('shows the applicability, calendar and dashboard of a firm with a profile', async () => {
    const profiledFirm = await buildFirm(runtime.db, '網頁測試網路證券', {
      paidInCapitalNtd: 12_000_000_000, brokerage: true, publicCompany: true, foreign: false, fiscalYearEnd: '12-31',
      channels: { internet: true, voice: true, dma: false, colocation: false, traditional: true },
      businessLines: { brokerage: true, proprietary: true, underwriting: true },
      shares: { internetDmaTurnoverPct: 55, naturalPersonClientPct: 85, brokerageMarketSharePct: 1.2 },
      cloud: { user: true, critical: false, provider: false }, mobileApps: [], mobileDevices: true, byod: false, iot: true,
      socialMedia: true, website: true, apiServices: false, internationalTransfer: false, videoIdentityVerification: false,
    });
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId: profiledFirm, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/applicability`);
    await submitLogin(page, assessor);
    await page.waitForSelector('[data-testid=applicability-table] tbody tr');
    expect(await page.locator('[data-testid=classification]').innerText()).toContain('應指派');
    expect(await page.locator('[data-testid=applicability-table] [data-testid=verdict-applies]').count()).toBeGreaterThan(0);

    await page.goto(`${base}/calendar?year=2026`);
    await page.waitForSelector('[data-testid=calendar-obligations] tbody tr');
    expect(await page.locator('[data-testid=calendar-obligations]').innerText()).toContain('2026-12-31');
    expect(await page.locator('[data-testid=calendar-ics]').getAttribute('href')).toContain('/calendar.ics?year=2026');

    await page.goto(`${base}/dashboard`);
    await page.waitForSelector('[data-testid=chart-deficiencies] canvas');
    await page.context().close();
  });
});
