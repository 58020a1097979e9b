/**
 * The firm profile journey in headless Debian Chromium against a real server (fresh database):
 * a CISO edits the profile and sees the classification change while typing, a server validation error
 * lands on the field it names, the save creates a revision, the applicability page filters the items
 * that bind only internet-ordering firms, and the calendar's .ics download is a real calendar.
 * Also: the what-if page lists what an edited profile would change.
 * Builds dist/web first when it is missing (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import ICAL from 'ical.js';
import { signInAndEnrol, submitLogin, closeWebSuite, openWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { buildFirm, buildUser, type TestRuntime } from '../support/harness.ts';


let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;

/** Below every CISO threshold: NT$5 bn capital and shares short of the cumulative conditions. */
const SMALL_ONLINE_FIRM = {
  paidInCapitalNtd: 5_000_000_000, brokerage: true, publicCompany: true, foreign: false, fiscalYearEnd: '12-31',
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  shares: { internetDmaTurnoverPct: 30, brokerageMarketSharePct: 0.5, naturalPersonClientPct: 40 },
  cloud: { user: true, provider: false, critical: false }, website: true, apiServices: false, socialMedia: true,
  mobileApps: [], mobileDevices: true, byod: false, iot: false, videoIdentityVerification: false, internationalTransfer: false,
};

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-TW', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

beforeAll(async () => {
  ({ runtime, app, base, browser } = await openWebSuite());
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('firm profile in the web app', () => {
  it('edits the profile with a live classification, saves a revision, then filters applicability and downloads the calendar', async () => {
    const firmId = await buildFirm(runtime.db, '網頁基本資料證券', SMALL_ONLINE_FIRM);
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const page = await newPage();
    await page.goto(`${base}/profile`);
    await page.waitForURL(/\/login/);
    await signInAndEnrol(page, ciso);
    await page.waitForURL(/\/profile$/);

    // The saved profile: no CISO required (NT$5 bn, shares below the cumulative conditions).
    const ciso_ = page.locator('[data-testid=profile-classification] [data-testid=classification-ciso]');
    const cisoAnswer = page.locator('[data-testid=profile-classification] [data-testid=classification-ciso-answer]');
    await expect.poll(() => cisoAnswer.innerText(), { timeout: 10_000 }).toBe('無須指派');
    expect(await page.locator('[data-testid=profile-revision]').innerText()).toContain('第 1 版');
    expect(await page.locator('[data-testid=profile-channels-internet]').getAttribute('data-value')).toBe('yes');
    // A field the profile does not answer stays unanswered (未填), never defaulted.
    expect(await page.locator('[data-testid=profile-businessLines-proprietary]').getAttribute('data-value')).toBe('unset');

    // Raising capital to NT$10 bn turns "CISO required" on before anything is saved.
    await page.fill(':is(input[data-testid=profile-paidInCapitalNtd], [data-testid=profile-paidInCapitalNtd] input)', '10000000000');
    await expect.poll(() => cisoAnswer.innerText(), { timeout: 10_000 }).toBe('應指派');
    expect(await ciso_.innerText()).toContain('100 億元');
    expect(await page.locator('[data-testid=profile-classification] [data-testid=classification-ciso]').innerText()).toContain('36條之2');
    expect(await page.locator('[data-testid=profile-dirty]').count()).toBe(1);

    // Unanswering a channel: a field can go back to 未填.
    await page.click('[data-testid=profile-channels-voice] >> text=未填');
    expect(await page.locator('[data-testid=profile-channels-voice]').getAttribute('data-value')).toBe('unset');

    // A tier override without a reason: the server's message appears on the reason field.
    await page.click('[data-testid=profile-hasTierOverride] >> text=證交所核定（覆寫）');
    await page.click('[data-testid=profile-tierOverride-tier]');
    await page.click('.ant-select-item-option >> text=第 1 級');
    await page.click('[data-testid=profile-save]');
    const reasonItem = page.locator('.ant-form-item', { has: page.locator('[data-testid=profile-tierOverride-reason]') });
    await expect.poll(() => reasonItem.locator('.ant-form-item-explain-error').innerText()).toContain('覆寫資安分級須說明理由');
    expect(await page.locator('[data-testid=profile-revision]').innerText()).toContain('第 1 版');

    await page.fill('[data-testid=profile-tierOverride-reason]', '證交所 115 年 3 月 1 日函核定為第 1 級');
    await expect.poll(() => page.locator('[data-testid=profile-classification] [data-testid=classification-tier]').innerText()).toContain('公司覆寫');
    // A revision cannot be dated before the one it follows: the server's reason is shown, nothing is saved.
    await page.fill('input[type=date][aria-label="生效日"]', '2020-01-01');
    await page.click('[data-testid=profile-save]');
    await expect.poll(() => page.locator('[data-testid=profile-save-error]').innerText()).toContain('早於前一版本');
    expect(await page.locator('[data-testid=profile-revision]').innerText()).toContain('第 1 版');
    await page.fill('input[type=date][aria-label="生效日"]', '');
    await page.click('[data-testid=profile-save]');
    await expect.poll(() => page.locator('[data-testid=profile-revision]').innerText()).toContain('第 2 版');
    await page.waitForSelector('[data-testid=profile-history] tbody tr:nth-child(2)');
    const history = await page.locator('[data-testid=profile-history]').innerText();
    expect(history).toContain('#2');
    expect(history).toContain('#1');

    // The server kept revision 2 with voice unanswered (left out, not false).
    const stored = await page.request.get(`${base}/api/v1/firms/${firmId}/profile`);
    const body = (await stored.json()) as { revision: number; profile: Record<string, any>; classification: { cisoRequired: boolean; tier: number } };
    expect(body.revision).toBe(2);
    expect(body.profile.paidInCapitalNtd).toBe(10_000_000_000);
    expect(body.profile.channels).toEqual({ internet: true, traditional: true, dma: false, colocation: false });
    expect(body.classification).toMatchObject({ cisoRequired: true, tier: 1 });

    // Applicability: the classification follows the saved profile; filter the internet-ordering-only items.
    await page.goto(`${base}/applicability?document=CSIM`);
    await page.waitForSelector('[data-testid=applicability-table] tbody tr');
    expect(await page.locator('[data-testid=classification-ciso-answer]').innerText()).toBe('應指派');
    const shownCount = async () => Number(/\d+/.exec(await page.locator('[data-testid=applicability-shown]').innerText())?.[0]);
    const allRows = await shownCount();
    await page.goto(`${base}/applicability?document=CSIM&scope=onlineOrdering`);
    await expect.poll(async () => page.locator('[data-testid=applicability-table] tbody tr.ant-table-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(shownCount, { timeout: 10_000 }).toBeLessThan(allRows);
    const onlineRows = await shownCount();
    expect(onlineRows).toBeGreaterThan(0);
    const links = await page.locator('[data-testid=applicability-table] [data-testid=item-link]').evaluateAll((anchors) => anchors.map((anchor) => decodeURIComponent(anchor.getAttribute('href') ?? '')));
    // CSIM 1. is stated 「適用網際網路下單證券商，不適用語音下單及傳統下單之證券商」.
    expect(links).toContain('/catalog/item/CSIM@112:1');
    // The firm offers internet ordering, so they apply (but the API-service rules: it offers none).
    expect(await page.locator('[data-testid=applicability-table] [data-testid=verdict-applies]').count()).toBeGreaterThan(onlineRows / 2);

    // Calendar and its .ics file.
    await page.goto(`${base}/calendar?year=2026`);
    await page.waitForSelector('[data-testid=calendar-obligations] tbody tr');
    const download = page.waitForEvent('download');
    await page.click('[data-testid=calendar-ics]');
    const file = await download;
    expect(file.suggestedFilename()).toBe('anjian-2026.ics');
    const href = await page.locator('[data-testid=calendar-ics]').getAttribute('href');
    const ics = await page.request.get(`${base}${href}`);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    const text = await ics.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('BEGIN:VEVENT');
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => String(event.getFirstPropertyValue('dtstart')).startsWith('2026') || String(event.getFirstPropertyValue('dtstart')).startsWith('2027'))).toBe(true);
    await page.context().close();
  });

  it('shows what an edited copy of the profile would change, without saving it', async () => {
    const firmId = await buildFirm(runtime.db, '網頁情境分析證券', SMALL_ONLINE_FIRM);
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/what-if`);
    await submitLogin(page, assessor);
    await page.waitForSelector('[data-testid=what-if-counts]');
    expect(await page.locator('[data-testid=what-if-counts]').innerText()).toContain('新增適用 0');

    // Without internet ordering, the items only for internet-ordering firms no longer apply.
    await page.click('[data-testid=profile-channels-internet] >> text=否');
    await page.waitForSelector('[data-testid=what-if-no-longer] tbody tr.ant-table-row');
    const links = await page.locator('[data-testid=what-if-no-longer] [data-testid=item-link]').evaluateAll((anchors) => anchors.map((anchor) => decodeURIComponent(anchor.getAttribute('href') ?? '')));
    expect(links).toContain('/catalog/item/CSIM@112:1');
    expect(await page.locator('[data-testid=what-if-no-longer]').innerText()).toContain('網際網路下單');
    expect(await page.locator('[data-testid=what-if-profile-changes]').innerText()).toContain('網際網路');

    // Comparing versions 111 → 112 of CSIM for the saved profile lists newly applying items.
    await page.goto(`${base}/what-if?mode=version&document=CSIM&from=111&to=112`);
    await page.waitForSelector('[data-testid=what-if-newly] tbody tr.ant-table-row');
    expect(await page.locator('[data-testid=what-if-counts]').innerText()).toContain('CSIM 111 → 112');

    // Nothing was saved: the profile is still revision 1.
    const stored = await page.request.get(`${base}/api/v1/firms/${firmId}/profile`);
    expect(((await stored.json()) as { revision: number }).revision).toBe(1);
    await page.context().close();
  });
});
