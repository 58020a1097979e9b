/** `anjian campaign …` and `anjian evidence add` against a real database, in-process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROFILE } from '../../src/server/bootstrap.ts';
import { runCliIn, buildFirm, buildUser, openTestRuntime, type TestRuntime, type TestUser } from '../support/harness.ts';

let runtime: TestRuntime;
let firmId: string;
let assessor: TestUser;
let reviewer: TestUser;
const workDir = mkdtempSync(join(tmpdir(), 'anjian-cli-campaign-'));

beforeAll(async () => {
  runtime = await openTestRuntime();
  firmId = await buildFirm(runtime.db, '命令列證券', DEMO_PROFILE);
  assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
  reviewer = await buildUser(runtime.db, { memberships: [{ firmId, role: 'reviewer' }] });
});
afterAll(async () => {
  await runtime?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliIn(runtime, workDir, argv);
}

describe('anjian campaign', () => {
  let campaignId: string;

  it('creates a monthly campaign with the applicable items only', async () => {
    const result = await cli('campaign', 'create', '--firm', firmId, '--cycle', 'monthly', '--period', '2024-03', '--version', '112', '--json');
    expect(result.code, result.stderr).toBe(0);
    const created = JSON.parse(result.stdout);
    campaignId = created.campaign.id;
    expect(created.campaign.period).toBe('2024-03');
    expect(created.campaign.progress.total).toBeGreaterThan(30);
    const sections = created.campaign.sections.map((section: { section: string }) => section.section);
    expect(new Set(sections)).toEqual(new Set(['CC-17010', 'CC-18000']));
  });

  it('refuses a period that does not fit the cycle, naming it, and writes nothing', async () => {
    const result = await cli('campaign', 'create', '--firm', firmId, '--cycle', 'monthly', '--period', '2024-H1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('period');
    const status = await cli('campaign', 'status', '--firm', firmId, '--json');
    expect(JSON.parse(status.stdout).campaigns).toHaveLength(1);
  });

  it('exports the checklist, imports it filled in, and shows the progress', async () => {
    const exported = await cli('campaign', 'export', '--firm', firmId, '--campaign', campaignId, '--output', 'checklist.xlsx');
    expect(exported.code, exported.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(workDir, 'checklist.xlsx'));
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
    const resultColumn = header.findIndex((value) => /result|結果/i.test(value));
    expect(resultColumn).toBeGreaterThan(0);
    sheet.getRow(2).getCell(resultColumn).value = '符合';
    await workbook.xlsx.writeFile(join(workDir, 'filled.xlsx'));

    // The import is recorded as a person: a member allowed to assess, named by --as.
    const anonymous = await cli('campaign', 'import', 'filled.xlsx', '--firm', firmId, '--campaign', campaignId);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('--as');
    const outsider = await buildUser(runtime.db, {});
    const notMember = await cli('campaign', 'import', 'filled.xlsx', '--firm', firmId, '--campaign', campaignId, '--as', outsider.email);
    expect(notMember.code).toBe(2);
    expect(notMember.stderr).toContain('--as');
    expect(notMember.stderr).toContain('不是此券商的使用者');
    const notAllowed = await cli('campaign', 'import', 'filled.xlsx', '--firm', firmId, '--campaign', campaignId, '--as', reviewer.email);
    expect(notAllowed.code).toBe(2);
    expect(notAllowed.stderr).toContain('--as');
    expect(notAllowed.stderr).toContain('campaign:assess');

    const imported = await cli('campaign', 'import', 'filled.xlsx', '--firm', firmId, '--campaign', campaignId, '--as', assessor.email.toUpperCase(), '--json');
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(JSON.parse(imported.stdout).updated).toBe(1);
    const assessed = await runtime.db.query<{ assessor_id: string | null }>('SELECT assessor_id FROM campaign_items WHERE campaign_id = $1 AND result IS NOT NULL', [campaignId]);
    expect(assessed.rows.map((row) => row.assessor_id)).toEqual([assessor.id]);
    const audited = await runtime.db.query<{ actor_id: string | null }>("SELECT actor_id FROM audit_events WHERE entity_id = $1 AND action = 'campaign.imported'", [campaignId]);
    expect(audited.rows.map((row) => row.actor_id)).toEqual([assessor.id]);
    const status = await cli('campaign', 'status', '--firm', firmId, '--campaign', campaignId, '--json');
    expect(JSON.parse(status.stdout).campaigns[0].progress.assessed).toBe(1);
  });

  it('adds evidence linked to an item, kept three years from collection', async () => {
    writeFileSync(join(workDir, 'firewall-review.txt'), '防火牆規則年度檢視紀錄\n2024-03-15 已檢視 120 條規則\n');
    const result = await cli('evidence', 'add', 'firewall-review.txt', '--firm', firmId, '--item', 'CSIM:7.1.b.f', '--collected', '2024-03-15', '--json');
    expect(result.code, result.stderr).toBe(0);
    const evidence = JSON.parse(result.stdout);
    expect(evidence.retainUntil).toBe('2027-03-15');
    const events = await runtime.db.query<{ action: string; via: string }>("SELECT action, via FROM audit_events WHERE firm_id = $1 AND entity = 'evidence'", [firmId]);
    expect(events.rows.some((event) => event.via === 'cli')).toBe(true);
  });

  it('records the uploader named by --as, and refuses someone who may not upload', async () => {
    writeFileSync(join(workDir, 'backup-log.txt'), '備份紀錄 2024-03-31 完成\n');
    const refused = await cli('evidence', 'add', 'backup-log.txt', '--firm', firmId, '--item', 'CSIM:7.1.b.f', '--as', reviewer.email);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--as');
    const result = await cli('evidence', 'add', 'backup-log.txt', '--firm', firmId, '--item', 'CSIM:7.1.b.f', '--collected', '2024-03-31', '--as', assessor.email, '--json');
    expect(result.code, result.stderr).toBe(0);
    const evidence = JSON.parse(result.stdout);
    expect(evidence.versions[0].uploadedBy).toBe(assessor.id);
    expect(evidence.ownerId).toBe(assessor.id);
  });

  it('names a missing file', async () => {
    const result = await cli('evidence', 'add', 'nope.pdf', '--firm', firmId, '--item', 'CSIM:7.1.b.f');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.pdf');
  });
});
