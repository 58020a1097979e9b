/**
 * The self-inspection journey in headless Debian Chromium against a real server (fresh database):
 * a CISO creates a campaign; an assessor assesses every item (one with an evidence upload, one
 * non-compliant; an offline checklist with errors and a stale save are refused) and submits; a reviewer
 * returns one item, a colleague fixes it (and is refused when reviewing their own work), the reviewer
 * approves the rest and the campaign locks; the evidence vault downloads the upload and refuses deletion
 * before retention; a deficiency raised from the non-compliant item is planned,
 * remediated and closed by someone other than its owner; the dashboard's figures follow and click
 * through to the lists behind them.
 * Builds dist/web first when it is missing (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ensureWebBuilt, listenOnLoopback, launchChromium, closeWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signInWithMfa, type Session, type TestRuntime, type TestUser } from '../support/harness.ts';


const PROFILE = {
  paidInCapitalNtd: 12_000_000_000, brokerage: true, publicCompany: true, foreign: false, fiscalYearEnd: '12-31',
  channels: { internet: true, voice: true, dma: false, colocation: false, traditional: true },
  businessLines: { brokerage: true, proprietary: true, underwriting: true },
  shares: { internetDmaTurnoverPct: 55, naturalPersonClientPct: 85, brokerageMarketSharePct: 1.2 },
  cloud: { user: true, critical: false, provider: false }, mobileApps: [], mobileDevices: true, byod: false, iot: true,
  socialMedia: true, website: true, apiServices: false, internationalTransfer: false, videoIdentityVerification: false,
};

let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;
let firmId: string;
let ciso: TestUser;
let assessor: TestUser;
let reviewer: TestUser;
/** Holds both roles: may assess and review, but never review what they assessed. */
let assessorReviewer: TestUser;
let cisoSession: Session | undefined;

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-TW' });
  const page = await context.newPage();
  // Generous limits for a loaded machine; every wait is on an element or a response, never a fixed delay.
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  return page;
}

/** Signs in through the login page (roles without mandatory MFA). */
async function signedInPage(user: TestUser, path: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/login/);
  await page.fill('[data-testid=login-email]', user.email);
  await page.fill('[data-testid=login-password]', user.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

/** A CISO must enrol TOTP: enrol once through the API and hand the session cookies to the browser. */
async function cisoPage(path: string): Promise<Page> {
  cisoSession ??= await signInWithMfa(app, ciso);
  const session = cisoSession;
  const page = await newPage();
  await page.context().addCookies([
    { name: 'anjian_session', value: session.cookie, url: base },
    { name: 'anjian_csrf', value: session.csrf, url: base },
  ]);
  await page.goto(`${base}${path}`);
  return page;
}

function itemCards(page: Page): Locator {
  return page.locator('[data-testid=campaign-item]');
}

async function chooseOption(page: Page, select: string, label: string): Promise<void> {
  await page.click(select);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

beforeAll(async () => {
  ensureWebBuilt();
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  base = await listenOnLoopback(app);
  firmId = await buildFirm(runtime.db, '網頁自行查核證券', PROFILE);
  ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
  assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
  reviewer = await buildUser(runtime.db, { memberships: [{ firmId, role: 'reviewer' }] });
  assessorReviewer = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }, { firmId, role: 'reviewer' }] });
  browser = await launchChromium();
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('self-inspection journey', () => {
  let campaignPath = '';
  let returnedItemId = '';
  let nonCompliantItemId = '';
  let itemCount = 0;

  it('a CISO creates a campaign for the next period due', async () => {
    const page = await cisoPage('/campaigns');
    await page.waitForSelector('[data-testid=campaigns-page]');
    await page.click('[data-testid=campaign-create]');
    await page.click('[data-testid=campaign-period-next]');
    await page.click('[data-testid=campaign-create-submit]');
    // Items that need profile answers are listed before opening the campaign; otherwise it opens at once.
    await page.waitForSelector('[data-testid=campaign-page], [data-testid=campaign-created]');
    if (await page.locator('[data-testid=campaign-created]').count() > 0) {
      await page.click('[data-testid=campaign-create-submit]');
    }
    await page.waitForSelector('[data-testid=campaign-item]');
    campaignPath = new URL(page.url()).pathname;
    expect(campaignPath).toMatch(/^\/campaigns\/[0-9a-f-]{36}$/);
    itemCount = await itemCards(page).count();
    expect(itemCount).toBeGreaterThan(2);
    expect(await page.locator('[data-testid=campaign-status-open]').count()).toBe(1);
    await page.context().close();
  });

  it('an assessor assesses every item, uploads evidence, marks one non-compliant and submits', async () => {
    const page = await signedInPage(assessor, campaignPath);
    await page.waitForSelector('[data-testid=campaign-item]');
    // Not applicable needs a justification: the save button stays disabled until one is given.
    const first = itemCards(page).nth(0);
    await first.locator('[data-testid=item-result]').getByText('不適用', { exact: true }).click();
    expect(await first.locator('[data-testid=item-justification-required]').count()).toBe(1);
    expect(await first.locator('[data-testid=item-save]').isDisabled()).toBe(true);

    // A checklist filled in offline with an unknown result: nothing is applied, the problem is named by row and column.
    const exported = await page.request.get(`${base}${await page.locator('[data-testid=campaign-export]').getAttribute('href')}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await exported.body()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const resultColumn = (sheet.getRow(1).values as unknown[]).findIndex((value) => typeof value === 'string' && value.includes('Result'));
    sheet.getRow(2).getCell(resultColumn).value = '大致符合';
    await page.locator('.ant-upload:has([data-testid=campaign-import]) input[type=file]').setInputFiles({
      name: 'checklist.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    const importError = await page.locator('[data-testid=import-error]').first().innerText();
    expect(importError).toContain('第 2 列');
    expect(importError).toContain('大致符合');
    expect(await page.locator('[data-testid=campaign-item] [data-testid=result-unassessed]').count()).toBe(itemCount);

    // Everything compliant in one bulk action.
    await page.click('[data-testid=select-all]');
    await chooseOption(page, '[data-testid=bulk-result]', '符合');
    await page.click('[data-testid=bulk-apply]');
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid=campaign-item] [data-testid=result-compliant]').length === count, itemCount);

    // The first item gets a file as evidence (drag-and-drop area → evidence API) and a note.
    returnedItemId = (await itemCards(page).nth(0).getAttribute('data-item-id'))!;
    const evidenceCard = page.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"]`);
    await evidenceCard.locator('input[type=file]').setInputFiles({ name: 'access-review-2026.txt', mimeType: 'text/plain', buffer: Buffer.from('帳號覆核紀錄：全部帳號已覆核。\n', 'utf8') });
    await evidenceCard.locator('[data-testid=item-evidence-entry]', { hasText: 'access-review-2026.txt' }).waitFor();
    await evidenceCard.locator('[data-testid=item-notes]').fill('已覆核全部帳號');
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'PUT' && response.url().includes('/items/') && response.ok()),
      evidenceCard.locator('[data-testid=item-save]').click(),
    ]);

    // The second item is non-compliant. A second tab edits the same item from the revision it read:
    // its save is refused with the server's conflict message and a reload button.
    nonCompliantItemId = (await itemCards(page).nth(1).getAttribute('data-item-id'))!;
    const stale = await page.context().newPage();
    stale.setDefaultTimeout(60_000);
    await stale.goto(`${base}${campaignPath}`);
    const staleCard = stale.locator(`[data-testid=campaign-item][data-item-id="${nonCompliantItemId}"]`);
    await staleCard.locator('[data-testid=item-result]').getByText('部分符合', { exact: true }).click();
    await page.bringToFront();

    const failing = page.locator(`[data-testid=campaign-item][data-item-id="${nonCompliantItemId}"]`);
    await failing.locator('[data-testid=item-result]').getByText('不符合', { exact: true }).click();
    await failing.locator('[data-testid=item-justification]').fill('尚未導入多因子驗證');
    await failing.locator('[data-testid=item-save]').click();
    await failing.locator('[data-testid=result-non_compliant]').waitFor();

    await stale.bringToFront();
    await staleCard.locator('[data-testid=item-save]').click();
    expect(await staleCard.locator('[data-testid=item-error]').innerText()).toContain('已被他人修改');
    expect(await staleCard.locator('[data-testid=item-reload]').count()).toBe(1);
    await stale.close();
    await page.bringToFront();

    await page.click('[data-testid=campaign-submit]');
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid=campaign-item] [data-testid=review-submitted]').length === count, itemCount);
    await page.locator('[data-testid=campaign-status-in_review]').waitFor();
    await page.context().close();
  });

  it('a reviewer returns one item with a comment; a colleague fixes it but may not approve their own work; the reviewer approves all and the campaign locks', async () => {
    const review = await signedInPage(reviewer, campaignPath);
    await review.waitForSelector('[data-testid=campaign-item]');
    const returned = review.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"]`);
    expect(await returned.locator('[data-testid=item-evidence-entry]').innerText()).toContain('access-review-2026.txt');
    await returned.locator('[data-testid=item-return-comment]').fill('請補上覆核人簽名');
    await returned.locator('[data-testid=item-return]').click();
    await returned.locator('[data-testid=review-returned]').waitFor();

    const fix = await signedInPage(assessorReviewer, campaignPath);
    const toFix = fix.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"]`);
    expect(await toFix.locator('[data-testid=item-review-comment]').innerText()).toContain('請補上覆核人簽名');
    await toFix.locator('[data-testid=item-notes]').fill('已覆核全部帳號，覆核人已簽名');
    await Promise.all([
      fix.waitForResponse((response) => response.request().method() === 'PUT' && response.url().includes('/items/') && response.ok()),
      toFix.locator('[data-testid=item-save]').click(),
    ]);
    await fix.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"] [data-testid=item-submit]:not([disabled])`).click();
    await fix.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"] [data-testid=review-submitted]`).waitFor();
    // Holding the reviewer role too, they are offered the review buttons, and the server refuses self-review in its own words.
    await fix.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"] [data-testid=item-approve]`).click();
    expect(await fix.locator(`[data-testid=campaign-item][data-item-id="${returnedItemId}"] [data-testid=item-error]`).innerText()).toContain('覆核人不可與評核人為同一人');
    // "Approve all submitted" leaves out the one item they assessed themselves, so the batch is not refused.
    await fix.waitForFunction((expected) => document.querySelector('[data-testid=campaign-approve]')?.textContent?.includes(expected) ?? false, `（${itemCount - 1}）`);
    await fix.context().close();

    await review.reload();
    await review.waitForSelector('[data-testid=campaign-item]');
    await review.click('[data-testid=campaign-approve]');
    await review.locator('[data-testid=campaign-locked]').waitFor();
    expect(await review.locator('[data-testid=campaign-status-approved]').count()).toBe(1);
    expect(await review.locator('[data-testid=review-approved]').count()).toBe(itemCount);
    // Locked: no assessment controls are offered any more.
    expect(await review.locator('[data-testid=item-save]').count()).toBe(0);
    await review.context().close();
  });

  it('a deficiency raised from the non-compliant item is remediated and closed by someone other than its owner', async () => {
    const page = await signedInPage(assessor, campaignPath);
    const failing = page.locator(`[data-testid=campaign-item][data-item-id="${nonCompliantItemId}"]`);
    await failing.locator('[data-testid=item-raise-deficiency]').click();
    const popover = page.locator('.ant-popover:visible');
    await popover.getByText('高', { exact: true }).click();
    await popover.locator('.ant-radio-wrapper-checked, .ant-radio-button-wrapper-checked', { hasText: '高' }).waitFor();
    await chooseOption(page, '.ant-popover:visible [data-testid=item-deficiency-owner]', `我自己（${assessor.email}）`);
    await popover.locator('[data-testid=item-deficiency-due]').fill('2099-12-31');
    await popover.locator('textarea').fill('導入多因子驗證');
    await popover.locator('[data-testid=item-deficiency-submit]').click();
    await failing.locator('[data-testid=item-deficiency-link]').click();

    await page.waitForSelector('[data-testid=deficiency-page]');
    const deficiencyPath = new URL(page.url()).pathname;
    expect(await page.locator('[data-testid=deficiency-owner-value]').innerText()).toBe(assessor.email);
    expect(await page.locator('[data-testid=deficiency-page] [data-testid=severity-high]').count()).toBe(1);
    // Only the moves the rules allow from "open" are offered; the owner cannot verify.
    expect(await page.locator('[data-testid^=transition-]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')).filter((id) => id !== 'transition-comment').sort()))
      .toEqual(['transition-in_remediation', 'transition-planned']);
    for (const state of ['planned', 'in_remediation', 'pending_verification'] as const) {
      await page.click(`[data-testid=transition-${state}]`);
      await page.locator(`[data-testid=deficiency-state] [data-testid=deficiency-state-${state}]`).waitFor();
    }
    expect(await page.locator('[data-testid=transition-closed]').count()).toBe(0);
    await page.context().close();

    const verifier = await signedInPage(reviewer, '/dashboard');
    await verifier.waitForSelector('[data-testid=dashboard]');
    expect(await verifier.locator('[data-testid=figure-open-deficiencies] .ant-statistic-content-value').innerText()).toBe('1');
    // The high-severity figure leads to the deficiency list filtered the same way.
    await verifier.click('[data-testid=figure-deficiencies-high-0-30]');
    await verifier.waitForURL(/\/deficiencies\?/);
    const search = new URL(verifier.url()).searchParams;
    expect([search.get('severity'), search.get('isOpen')]).toEqual(['high', 'true']);
    await verifier.waitForSelector('[data-testid=deficiencies-table] [data-testid=deficiency-link]');
    expect(await verifier.locator('[data-testid=deficiencies-table] tbody tr.ant-table-row').count()).toBe(1);

    await verifier.goto(`${base}${deficiencyPath}`);
    await verifier.fill('[data-testid=transition-comment]', '已確認導入多因子驗證');
    await verifier.click('[data-testid=transition-closed]');
    await verifier.locator('[data-testid=deficiency-state] [data-testid=deficiency-state-closed]').waitFor();
    expect(await verifier.locator('[data-testid=deficiency-history]').innerText()).toContain(reviewer.email);
    await verifier.context().close();
  });

  it('the evidence vault lists the upload with its item, downloads it, and shows why it cannot be deleted yet', async () => {
    const page = await cisoPage('/evidence');
    const row = page.locator('[data-testid=evidence-table] tr.ant-table-row', { hasText: 'access-review-2026.txt' });
    await row.waitFor();
    expect(await row.innerText()).toContain(returnedItemId);
    const href = await row.locator('[data-testid=evidence-download]').getAttribute('href');
    const download = await page.request.get(`${base}${href}`);
    expect(await download.text()).toBe('帳號覆核紀錄：全部帳號已覆核。\n');
    await row.locator('[data-testid=evidence-delete]').click();
    await page.fill('[data-testid=evidence-delete-reason]', '測試刪除');
    await page.click('[data-testid=evidence-delete-submit]');
    expect(await page.locator('[data-testid=evidence-delete-error]').innerText()).toMatch(/須保存至 \d{4}-\d{2}-\d{2}/);
    await page.context().close();
  });

  it('the dashboard reflects the approved campaign and the closed deficiency, and its figures click through', async () => {
    const page = await signedInPage(reviewer, '/dashboard');
    await page.waitForSelector('[data-testid=dashboard-campaign], [data-testid=error-alert]');
    expect(await page.locator('[data-testid=error-alert]').allInnerTexts()).toEqual([]);
    expect(await page.locator('[data-testid=figure-open-deficiencies] .ant-statistic-content-value').innerText()).toBe('0');
    // One of the items is non-compliant, the rest compliant.
    const expected = `${Math.round(((itemCount - 1) / itemCount) * 1000) / 10}%`;
    expect(await page.locator('[data-testid=dashboard-campaign-rate]').first().innerText()).toBe(expected);

    await page.locator('[data-testid=section-non-compliant]', { hasText: '1' }).first().click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\?/);
    expect(new URL(page.url()).pathname).toBe(campaignPath);
    expect(new URL(page.url()).searchParams.get('result')).toBe('non_compliant');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=campaign-item]').length === 1);
    expect(await page.locator('[data-testid=campaign-item]').getAttribute('data-item-id')).toBe(nonCompliantItemId);
    await page.context().close();
  });
});
