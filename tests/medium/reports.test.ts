/**
 * PDF reports: the board report (資訊安全整體執行情形), the follow-up report and a campaign report are
 * real PDFs whose text carries the firm and the report's content, printed with the bundled Chinese
 * font, and each download is an audited export whose digest matches the file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, buildProfile, buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction } from '../../src/server/context.ts';
import { readFileSync } from 'node:fs';

const PROFILE = buildProfile();
const FIRM_NAME = '報表測試證券股份有限公司';
const HAS_PDFTOTEXT = existsSync('/usr/bin/pdftotext') && existsSync(process.env.ANJIAN_CHROMIUM ?? '/usr/bin/chromium');
if (!HAS_PDFTOTEXT) {
  // A fresh machine has neither; .ci/run installs both (apt-get chromium poppler-utils).
  console.warn('PDF report tests skipped: they need Debian chromium and pdftotext (poppler-utils).');
}

let runtime: TestRuntime;
let app: App;
let firmId: string;
let otherFirm: string;
let assessor: Session;
let campaignId: string;
const workDir = mkdtempSync(join(tmpdir(), 'anjian-reports-'));

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, FIRM_NAME, PROFILE);
  otherFirm = await buildFirm(runtime.db, '他家證券', PROFILE);
  assessor = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] }));
  const ciso = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] }));
  const created = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: ciso.headers, payload: { cycle: 'monthly', period: '2024-03', version: '112' } });
  expect(created.statusCode, created.body).toBe(201);
  campaignId = created.json().campaign.id;
  const items = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items`, headers: assessor.headers })).json().items;
  for (const [index, result] of ['compliant', 'compliant', 'non_compliant'].entries()) {
    const saved = await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${items[index].id}`, headers: assessor.headers, payload: { revision: items[index].revision, result } });
    expect(saved.statusCode, saved.body).toBe(200);
  }
  const deficiency = await app.inject({
    method: 'POST', url: `/api/v1/firms/${firmId}/deficiencies`, headers: assessor.headers,
    payload: { title: '防火牆規則未定期檢視', description: '一年內未檢視防火牆存取控管設定', source: 'internal_audit', severity: 'high', items: ['CSIM:7.1.a'], recommendation: '每年定期檢視並留存紀錄' },
  });
  expect(deficiency.statusCode, deficiency.body).toBe(201);
  // Raised during fiscal 2024; a second one raised today belongs to a later year's report.
  await inTenantTransaction(runtime.db, [firmId], (tx) => tx.query("UPDATE deficiencies SET created_at = '2024-04-01T02:00:00Z' WHERE id = $1", [deficiency.json().id]));
  const later = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/deficiencies`, headers: assessor.headers, payload: { title: '今年新增缺失', source: 'self_inspection', severity: 'low' } });
  expect(later.statusCode).toBe(201);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function download(url: string, session = assessor) {
  const response = await app.inject({ method: 'GET', url, headers: session.headers });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  const pdf = response.rawPayload;
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  return { pdf, sha256: String(response.headers['x-content-sha256']) };
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(workDir, name);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe.skipIf(!HAS_PDFTOTEXT)('PDF reports', () => {
  it('prints the board report with the firm, the year, results by section and the four signature blocks', async () => {
    const { pdf, sha256 } = await download(`/api/v1/firms/${firmId}/reports/board.pdf?year=2024`);
    const text = pdfText(pdf, 'board.pdf');
    expect(text).toContain(FIRM_NAME);
    expect(text).toContain('資訊安全整體執行情形');
    expect(text).toContain('2024 年度');
    expect(text).toContain('CC-17010');
    expect(text).toContain('防火牆規則未定期檢視');
    expect(text).not.toContain('今年新增缺失');
    for (const title of ['負責資訊安全之最高主管', '董事長', '總經理', '稽核主管']) expect(text).toContain(title);
    expect(text).toMatch(/雜湊鏈完整/);
    // The Chinese text is set in the bundled Noto Sans TC, not a system font.
    const fonts = execFileSync('pdffonts', [join(workDir, 'board.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansTC/);

    const events = await inTenantTransaction(runtime.db, [firmId], async (tx) =>
      (await tx.query<{ action: string; detail: { kind: string; sha256: string } }>("SELECT action, detail FROM audit_events WHERE firm_id = $1 AND action IN ('report.exported', 'audit.verified') ORDER BY seq", [firmId])).rows);
    expect(events.map((event) => event.action)).toEqual(['audit.verified', 'report.exported']);
    const detail = typeof events[1].detail === 'string' ? JSON.parse(events[1].detail) : events[1].detail;
    expect(detail).toMatchObject({ kind: 'board', sha256 });
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(sha256);
  }, 90_000);

  it('prints the follow-up report with summary, scope, findings, recommendations and status', async () => {
    const { pdf } = await download(`/api/v1/firms/${firmId}/reports/followup.pdf`);
    const text = pdfText(pdf, 'followup.pdf');
    for (const heading of ['查核摘要', '查核範圍', '缺失說明及改進建議', '改善情形']) expect(text).toContain(heading);
    expect(text).toContain(FIRM_NAME);
    expect(text).toContain('每年定期檢視並留存紀錄');
    expect(text).toContain('待處理');
  }, 90_000);

  it('prints a campaign report with its period and item results', async () => {
    const { pdf } = await download(`/api/v1/firms/${firmId}/reports/campaign.pdf?campaignId=${campaignId}`);
    const text = pdfText(pdf, 'campaign.pdf');
    expect(text).toContain('2024-03');
    expect(text).toContain('不符合');
    expect(text).toContain(FIRM_NAME);
  }, 90_000);

  it('answers 404 for a campaign of another firm and 403 for another firm', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/reports/campaign.pdf?campaignId=00000000-0000-4000-8000-000000000000`, headers: assessor.headers });
    expect(response.statusCode).toBe(404);
    const other = await app.inject({ method: 'GET', url: `/api/v1/firms/${otherFirm}/reports/board.pdf`, headers: assessor.headers });
    expect(other.statusCode).toBe(403);
  });
});

function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliIn(runtime, workDir, argv);
}

describe.skipIf(!HAS_PDFTOTEXT)('anjian report', () => {
  it('writes the board report to --output and audits the export as done via the CLI', async () => {
    const result = await cli('report', 'board', '--firm', firmId, '--year', '2024', '--output', 'cli-board.pdf', '--json');
    expect(result.code, result.stderr).toBe(0);
    const written = JSON.parse(result.stdout);
    const pdf = readFileSync(join(workDir, 'cli-board.pdf'));
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(written.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(pdfText(pdf, 'cli-board-copy.pdf')).toContain(FIRM_NAME);
    const via = await inTenantTransaction(runtime.db, [firmId], async (tx) =>
      (await tx.query<{ via: string }>("SELECT via FROM audit_events WHERE firm_id = $1 AND action = 'report.exported' ORDER BY seq DESC LIMIT 1", [firmId])).rows[0].via);
    expect(via).toBe('cli');
  }, 90_000);

  it('exits 2 naming the option for a malformed firm id or an unknown campaign', async () => {
    const bad = await cli('report', 'campaign', '--firm', 'not-a-uuid', '--campaign', campaignId, '--output', 'x.pdf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--firm');
    const unknown = await cli('report', 'campaign', '--firm', firmId, '--campaign', '00000000-0000-4000-8000-000000000000', '--output', 'x.pdf');
    expect(unknown.code).toBe(2);
    expect(existsSync(join(workDir, 'x.pdf'))).toBe(false);
  });
});
