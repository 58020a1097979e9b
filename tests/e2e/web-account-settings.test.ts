/**
 * Account settings in headless Debian Chromium against a real server (fresh database):
 * an assessor (no second factor required) changes their password and turns TOTP on from 帳號安全, then
 * signs in again with the new password and a recovery code; a firm admin turns password expiry off
 * (the reason is required) and requires MFA for all on 登入政策; the calendar lists what falls due in the
 * next 60 days and creates a period's self-inspection from that list.
 * Builds dist/web first when it is missing (`npm run build:web`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generate } from 'otplib';
import { signInAndEnrol, submitLogin, closeWebSuite, openWebSuite } from './support.ts';
import type { App } from '../../src/server/app.ts';
import { buildFirm, buildProfile, buildUser, type TestRuntime } from '../support/harness.ts';

/** Polls with room for two shared CPU cores (expect.poll's own default is one second). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

let runtime: TestRuntime;
let app: App;
let browser: Browser;
let base: string;

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-TW' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000); // two shared CPU cores: the first sign-in of a run can be slow
  return page;
}

beforeAll(async () => {
  ({ runtime, app, base, browser } = await openWebSuite());
});

afterAll(() => closeWebSuite({ browser, app, runtime }));

describe('帳號安全: the user’s own password and second factor', () => {
  it('an assessor changes the password, turns TOTP on, and signs in again with the new password and a recovery code', async () => {
    const firmId = await buildFirm(runtime.db, '帳號安全證券', buildProfile());
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const page = await newPage();
    await page.goto(`${base}/settings/security`);
    await page.waitForURL(/\/login/);
    await submitLogin(page, assessor);
    await page.waitForURL(/\/settings\/security$/);

    // An assessor is not made to enrol, and does not get the firm's login policy in the menu.
    expect(await page.locator('[data-testid=security-mfa-state]').getAttribute('data-state')).toBe('off');
    const menu = await page.locator('[data-testid=side-menu]').innerText();
    expect(menu).toContain('帳號安全');
    expect(menu).not.toContain('登入政策');

    // A password against the policy: the server's reasons are listed, nothing changes.
    await page.fill('[data-testid=security-current-password]', assessor.password);
    await page.fill('[data-testid=security-new-password]', 'short1');
    await page.fill('[data-testid=security-confirm-password]', 'short1');
    await page.click('[data-testid=security-password-submit]');
    await poll(() => page.locator('[data-testid=security-password-error]').innerText()).toContain('密碼政策');

    const newPassword = 'Lighthouse-Keeper-2027';
    await page.fill('[data-testid=security-current-password]', assessor.password);
    await page.fill('[data-testid=security-new-password]', newPassword);
    await page.fill('[data-testid=security-confirm-password]', newPassword);
    await page.click('[data-testid=security-password-submit]');
    await page.waitForSelector('[data-testid=security-password-done]');
    expect(await page.locator('[data-testid=security-password-error]').count()).toBe(0);

    // The session survived the change (new cookies): TOTP enrolment works right after it.
    await page.click('[data-testid=security-mfa-start]');
    const secret = (await page.locator('[data-testid=security-mfa-secret]').innerText()).trim();
    expect(await page.locator('[data-testid=security-mfa-qr]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.fill('[data-testid=security-mfa-code]', await generate({ secret }));
    await page.click('[data-testid=security-mfa-confirm]');
    await page.waitForSelector('[data-testid=security-recovery-codes]');
    const codes = await page.locator('[data-testid=security-recovery-code]').allInnerTexts();
    expect(codes).toHaveLength(10);
    await page.click('[data-testid=security-recovery-saved]');
    await poll(() => page.locator('[data-testid=security-mfa-state]').getAttribute('data-state')).toBe('on');
    await page.waitForSelector('[data-testid=security-mfa-enabled]');

    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=logout]');
    await page.waitForURL(/\/login/);

    // The old password is refused; the new one now asks for the second factor; a recovery code passes it.
    await submitLogin(page, assessor);
    await page.waitForSelector('.ant-alert-error');
    expect(page.url()).toMatch(/\/login$|\/login\?/);
    await submitLogin(page, { email: assessor.email, password: newPassword });
    await page.waitForURL(/\/login\/mfa/);
    await page.fill('[data-testid=mfa-code]', codes[0]!.trim());
    await page.click('[data-testid=mfa-submit]');
    await page.waitForSelector('[data-testid=side-menu]');
    await page.goto(`${base}/settings/security`);
    await poll(() => page.locator('[data-testid=security-mfa-state]').getAttribute('data-state')).toBe('on');

    // New recovery codes need a current TOTP code (the next step's: the enrolment code cannot be replayed).
    await page.fill('[data-testid=security-recovery-regenerate-code]', '000000');
    await page.click('[data-testid=security-recovery-regenerate]');
    await poll(() => page.locator('[data-testid=security-mfa] .ant-alert-error').innerText()).toContain('驗證碼錯誤');
    await page.fill('[data-testid=security-recovery-regenerate-code]', await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.click('[data-testid=security-recovery-regenerate]');
    await page.waitForSelector('[data-testid=security-recovery-codes]');
    const replaced = await page.locator('[data-testid=security-recovery-code]').allInnerTexts();
    expect(replaced).toHaveLength(10);
    expect(replaced).not.toContain(codes[1]);
    await page.context().close();
  });
});

describe('登入政策: the firm admin’s login policy', () => {
  it('shows the current values, refuses turning expiry off without a reason, and stores the change', async () => {
    const firmId = await buildFirm(runtime.db, '登入政策證券', buildProfile());
    const admin = await buildUser(runtime.db, { memberships: [{ firmId, role: 'firm_admin' }] });
    const page = await newPage();
    await page.goto(`${base}/settings/login-policy`);
    await page.waitForURL(/\/login/);
    await signInAndEnrol(page, admin);
    await page.waitForURL(/\/settings\/login-policy$/);

    await poll(() => page.locator('[data-testid=login-policy-current-expiry]').innerText()).toBe('90 天');
    expect(await page.locator('[data-testid=login-policy-current-mfa]').innerText()).toBe('否');

    await page.click('[data-testid=login-policy-disable-expiry]');
    await page.click('[data-testid=login-policy-save]');
    const reasonItem = page.locator('.ant-form-item', { has: page.locator('[data-testid=login-policy-reason]') });
    await poll(() => reasonItem.locator('.ant-form-item-explain-error').innerText()).toContain('停用密碼效期須記錄理由');
    expect(await page.locator('[data-testid=login-policy-current-expiry]').innerText()).toBe('90 天');

    const reason = '僅限內部網路登入，並已採用多因子驗證（資安長 115 年 3 月核定）';
    await page.fill('[data-testid=login-policy-reason]', reason);
    await page.click('[data-testid=login-policy-mfa-all]');
    await page.click('[data-testid=login-policy-save]');
    await poll(() => page.locator('[data-testid=login-policy-current-expiry]').innerText()).toBe(`已停用（理由：${reason}）`);
    expect(await page.locator('[data-testid=login-policy-current-mfa]').innerText()).toBe('是');

    // Stored on the server, as a reload shows.
    const stored = await page.request.get(`${base}/api/v1/firms/${firmId}`);
    expect((await stored.json()).settings).toMatchObject({ password_expiry_disabled: true, password_expiry_reason: reason, require_mfa_for_all: true });
    await page.reload();
    await poll(() => page.locator('[data-testid=login-policy-current-mfa]').innerText()).toBe('是');
    await page.context().close();
  });
});

describe('calendar: 即將到期', () => {
  it('lists exactly the periods and obligations due in the next 60 days and creates a period’s self-inspection from the list', async () => {
    const firmId = await buildFirm(runtime.db, '行事曆證券', buildProfile());
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const page = await newPage();
    await page.goto(`${base}/calendar`);
    await page.waitForURL(/\/login/);
    await signInAndEnrol(page, ciso);
    await page.waitForURL(/\/calendar$/);

    // What the server's calendar says falls due from today to 60 days later (this year and next).
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Taiwan's date, as the page counts
    const until = new Date(Date.parse(`${today}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
    const year = Number(today.slice(0, 4));
    const expected = new Set<string>();
    for (const each of [year, year + 1]) {
      const calendar = (await (await page.request.get(`${base}/api/v1/firms/${firmId}/calendar?year=${each}`)).json()) as {
        periods: { id: string; due: string }[]; obligations: { periodId: string; due: string }[];
      };
      for (const entry of [...calendar.periods.map((period) => ['period', period.due, period.id]), ...calendar.obligations.map((o) => ['obligation', o.due, o.periodId])]) {
        if (entry[1]! >= today && entry[1]! <= until) {
          expected.add(entry.join('|'));
        }
      }
    }
    expect(expected.size).toBeGreaterThan(0); // monthly periods fall due every month

    const rows = page.locator('[data-testid=calendar-upcoming] tbody tr.ant-table-row');
    await poll(() => rows.count()).toBeGreaterThan(0);
    const shown = new Set<string>();
    for (const entry of await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-entry') ?? ''))) {
      const due = entry.split('|')[1]!;
      expect(due >= today && due <= until, `${entry} is due within 60 days`).toBe(true);
      shown.add(entry);
    }
    expect(shown).toEqual(expected);

    // A monthly period's button opens the form pre-filled with its cycle and period; creating it opens the campaign.
    const button = page.locator('[data-testid=calendar-upcoming] [data-testid^=calendar-create-monthly-]').first();
    const period = ((await button.getAttribute('data-testid')) ?? '').replace('calendar-create-monthly-', '');
    await button.click();
    await poll(() => page.locator('.ant-modal-title').innerText()).toContain(period);
    await page.click('[data-testid=calendar-campaign-submit]');
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}/);
    const campaigns = (await (await page.request.get(`${base}/api/v1/firms/${firmId}/campaigns`)).json()) as { campaigns: { cycle: string; period: string; document: string }[] };
    expect(campaigns.campaigns).toEqual([expect.objectContaining({ cycle: 'monthly', period, document: 'CSIM' })]);

    // Back on the calendar, that period offers its campaign instead of a second one.
    await page.goto(`${base}/calendar`);
    const row = page.locator(`[data-testid=calendar-upcoming] tr[data-entry$="|${period}"]`).filter({ hasText: '每月' });
    await poll(() => row.innerText()).toContain('開啟（進行中）');
    expect(await row.locator(`[data-testid=calendar-create-monthly-${period}]`).count()).toBe(0);
    await page.context().close();
  });
});

describe('checks: per-check options and schedules', () => {
  it('sends the firewall review date with the run, and adds, turns off and deletes a tls schedule', async () => {
    const firmId = await buildFirm(runtime.db, '檢查選項證券', buildProfile());
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const rules = join(mkdtempSync(join(tmpdir(), 'anjian-e2e-')), 'edge.rules');
    writeFileSync(rules, ['*filter', ':INPUT DROP [0:0]', '-A INPUT -p tcp -s 10.0.0.0/8 --dport 443 -j ACCEPT', 'COMMIT', ''].join('\n'));
    const page = await newPage();
    await page.goto(`${base}/checks?check=firewall`);
    await page.waitForURL(/\/login/);
    await signInAndEnrol(page, ciso);
    await page.waitForSelector('[data-testid=check-form]');

    await page.setInputFiles('[data-testid=check-form] input[type=file]', rules);
    await page.fill('[data-testid=check-at]', '2025-06-30');
    await page.fill('[data-testid=check-reviewed-at]', '2020-01-01');
    await page.click('[data-testid=check-run-submit]');
    await page.waitForURL(/run=/);
    await poll(() => page.locator('[data-testid=check-run]').innerText()).toContain('最近一次檢視為 2020-01-01');

    // A free option line that is not key=value is named and blocks the run.
    await page.click('text=其他選項（每行一個 key=value）');
    await page.fill('[data-testid=check-extra-options]', 'warningDays=90\nnot an option');
    await poll(() => page.locator('[data-testid=check-extra-hint]').innerText()).toBe('第 2 行須為 key=value');

    // Schedules: a wrong cron is refused on its field; a good one is listed, turned off, then deleted.
    const panel = page.locator('[data-testid=check-schedules]');
    await panel.locator('[data-testid=schedule-target]').fill('www.example.com:443');
    await panel.locator('[data-testid=schedule-cron]').fill('every day at six');
    await panel.locator('[data-testid=schedule-add]').click();
    const cronItem = panel.locator('.ant-form-item', { has: page.locator('[data-testid=schedule-cron]') });
    await poll(() => cronItem.locator('.ant-form-item-explain-error').count()).toBe(1);
    await panel.locator('[data-testid=schedule-cron]').fill('0 6 * * *');
    await panel.locator('[data-testid=schedule-add]').click();
    const row = panel.locator('tr[data-target="www.example.com:443"]');
    await poll(() => row.count()).toBe(1);
    const schedules = async () => ((await (await page.request.get(`${base}/api/v1/firms/${firmId}/checks/schedules`)).json()) as { schedules: { target: string; cron: string; enabled: boolean }[] }).schedules;
    expect(await schedules()).toEqual([expect.objectContaining({ target: 'www.example.com:443', cron: '0 6 * * *', enabled: true })]);

    await row.locator('[data-testid=schedule-enabled]').click();
    await poll(async () => (await schedules())[0]?.enabled).toBe(false);
    await row.locator('[data-testid=schedule-delete]').click();
    await page.click('.ant-popconfirm .ant-btn-primary');
    await poll(async () => (await schedules()).length).toBe(0);
    await poll(() => row.count()).toBe(0);
    await page.context().close();
  });
});
