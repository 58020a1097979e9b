/**
 * Applicability on past dates and the audit trail's roles, in headless Debian Chromium against a real
 * server (fresh database): a date before the firm's first profile revision shows the server's notice
 * (a later date does not) and MAS items are judged by the firm's mobile app; choosing CSIM 112 for a 2021 date shows 7.(1) d. as not yet in force with
 * the reason naming the amending version and its date; the audit page shows the role each actor acted
 * in and tags the members' platform sign-in events.
 * Builds dist/web first when it is missing (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signInAt, closeWebSuite, openWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction } from '../../src/server/context.ts';
import { buildFirm, buildUser, signIn, type TestRuntime } from '../support/harness.ts';

let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;

const FIRM_PROFILE = {
  paidInCapitalNtd: 12_000_000_000, brokerage: true, publicCompany: true, foreign: false, fiscalYearEnd: '12-31',
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  shares: { internetDmaTurnoverPct: 55, brokerageMarketSharePct: 1.2, naturalPersonClientPct: 85 },
  cloud: { user: true, provider: false, critical: false }, website: true, apiServices: false, socialMedia: true,
  mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }], mobileDevices: true, byod: false, iot: false,
  videoIdentityVerification: false, internationalTransfer: false,
};

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-TW' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** A firm whose first profile revision dates from 2022-01-01, and an auditor of it. */
async function buildFirmProfiledFrom2022() {
  const firmId = await buildFirm(runtime.db, `適用性稽核證券 ${Math.random().toString(36).slice(2, 6)}`, FIRM_PROFILE);
  await inTenantTransaction(runtime.db, '*', (tx) => tx.query("UPDATE firm_profiles SET valid_from = '2022-01-01T00:00:00Z' WHERE firm_id = $1", [firmId]));
  const auditor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'auditor' }] });
  return { firmId, auditor };
}

beforeAll(async () => {
  ({ runtime, app, base, browser } = await openWebSuite());
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('applicability on past dates', () => {
  it('a date before the first profile revision shows the notice; a later date does not, and MAS is judged by the firm\'s app', async () => {
    const { auditor } = await buildFirmProfiledFrom2022();
    const page = await newPage();
    await signInAt(page, `${base}/applicability?date=2021-06-30`, auditor);

    const notice = page.locator('[data-testid=applicability-profile-missing]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('2021-06-30 時尚無公司基本資料（首次填寫晚於此日）');
    // Nothing about the firm was known then: the classification waits for answers.
    expect(await page.locator('[data-testid=classification-ciso-answer]').innerText()).toBe('待回答');

    await page.goto(`${base}/applicability?date=2023-09-01`);
    await expect.poll(() => page.locator('[data-testid=classification-ciso-answer]').innerText()).toBe('應指派');
    expect(await notice.count()).toBe(0);

    // MAS is one of the documents; its items are judged by the firm's mobile app 行動下單 (L2).
    await page.click('[data-testid=applicability-document]');
    await page.locator('.ant-select-item-option[title^="MAS｜"]').click();
    await page.locator('[data-testid=applicability-mas-hint]').waitFor();
    await expect.poll(() => page.locator('[data-testid=applicability-table] [data-testid=applicability-reason]').first().innerText()).toContain('行動下單（L2）');
    await page.context().close();
  });

  it('CSIM 112 chosen for a 2021 date shows 7.(1) d. as not yet in force, citing CSIM 112 and 2023-08-15', async () => {
    const { auditor } = await buildFirmProfiledFrom2022();
    const page = await newPage();
    await signInAt(page, `${base}/applicability?date=2021-06-30&section=7.1`, auditor);
    await page.locator('[data-testid=applicability-table]').waitFor();

    // By default the version in force on the date (CSIM 109), whose own 7.(1) d. is judged.
    const versionSelect = page.locator('[data-testid=applicability-version]');
    expect(await versionSelect.innerText()).toContain('依基準日生效之版本');
    await page.locator('tr[data-row-key="CSIM@109:7.1.d"]').waitFor();

    await versionSelect.click();
    await page.locator('.ant-select-item-option[title="CSIM 112（2023-08-15）"]').click();
    const row = page.locator('tr[data-row-key="CSIM@112:7.1.d"]');
    await row.waitFor();
    expect(await row.locator('[data-testid=verdict-not_in_force]').count()).toBe(1);
    const reason = await row.locator('[data-testid=applicability-reason]').innerText();
    expect(reason).toContain('CSIM 112（2023-08-15）新增');
    expect(reason).toContain('評估日 2021-06-30');
    expect(await page.locator('[data-testid=applicability-later-version]').innerText()).toContain('CSIM 112（2023-08-15）晚於基準日 2021-06-30');
    await page.context().close();
  });
});

describe('audit trail roles', () => {
  it('shows the role each actor acted in and tags the members\' platform sign-in events', async () => {
    const { firmId, auditor } = await buildFirmProfiledFrom2022();
    // An assessor who is also reviewer exports the calendar: a firm-chain event in both roles.
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }, { firmId, role: 'reviewer' }] });
    const session = await signIn(app, assessor);
    const exported = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/calendar.ics?year=2026`, headers: session.headers });
    expect(exported.statusCode).toBe(200);

    const page = await newPage();
    await signInAt(page, `${base}/audit`, auditor);
    const table = page.locator('[data-testid=audit-table]');
    await table.locator('th', { hasText: '角色' }).waitFor();

    const exportRow = table.locator('tr', { hasText: 'calendar.exported' });
    await exportRow.waitFor();
    expect(await exportRow.locator('[data-testid=audit-role]').innerText()).toMatch(/查核人員\s*覆核人員/);
    expect(await exportRow.locator('[data-testid=audit-platform-event]').count()).toBe(0);

    // The assessor's sign-in lives in the platform chain and still shows in the firm's list, tagged.
    const signInRow = table.locator('tr', { hasText: 'auth.signed_in' }).filter({ hasText: assessor.email });
    await signInRow.first().waitFor();
    expect(await signInRow.first().locator('[data-testid=audit-platform-event]').innerText()).toBe('平台事件');
    expect(await signInRow.first().locator('[data-testid=audit-role]').innerText()).toMatch(/查核人員\s*覆核人員/);
    await page.context().close();
  });
});
