/**
 * The `anjian` CLI against a real database: user administration, audit-chain verification (an altered,
 * a deleted and an inserted event), exports, argument errors; and the real binary, spawned once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, buildFirm, buildTestApp, openTestRuntime, TEST_DB, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { hashEvent, type StoredAuditEvent } from '../../src/server/audit/audit-log.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let runtime: TestRuntime;
let app: App;
const workDir = mkdtempSync(join(tmpdir(), 'anjian-cli-'));

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliIn(runtime, workDir, argv);
}

async function login(email: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

/** As the database superuser (the test's own connection), bypassing the append-only guard. */
async function tamper(sql: string, params: unknown[]): Promise<void> {
  await runtime.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_guard');
  try {
    await runtime.db.query(sql, params);
  } finally {
    await runtime.db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_guard');
  }
}

async function eventsOf(chain: string): Promise<StoredAuditEvent[]> {
  return (await runtime.db.query<StoredAuditEvent>('SELECT * FROM audit_events WHERE chain = $1 ORDER BY seq', [chain])).rows;
}

/** A firm whose audit chain holds three events (three users granted a role through the CLI). */
async function buildFirmWithEvents(): Promise<string> {
  const firmId = await buildFirm(runtime.db);
  for (let index = 0; index < 3; index += 1) {
    const created = await cli('user', 'create', '--email', `staff-${index}-${firmId.slice(0, 8)}@test.anjian.local`, '--name', `員工 ${index}`, '--firm', firmId, '--role', 'assessor');
    expect(created.code, created.stderr).toBe(0);
  }
  expect(await eventsOf(firmId)).toHaveLength(3);
  return firmId;
}

describe('user commands', () => {
  it('user create prints a one-time password that must be changed at first sign-in, and is audited as CLI', async () => {
    const result = await cli('user', 'create', '--email', 'Admin2@Test.Anjian.Local', '--name', '平台管理員', '--platform-admin');
    expect(result.code, result.stderr).toBe(0);
    const password = /one-time password: (\S+)/.exec(result.stdout)?.[1];
    expect(password).toBeTruthy();
    const response = await login('admin2@test.anjian.local', password!);
    expect(response.statusCode).toBe(200);
    expect(response.json().step).toBe('password_change');
    const events = await runtime.db.query<{ via: string; action: string }>("SELECT via, action FROM audit_events WHERE action = 'user.created' ORDER BY id DESC LIMIT 1");
    expect(events.rows[0]).toEqual({ via: 'cli', action: 'user.created' });
  });

  it('user create --json gives id, email and the password; a second account with the same e-mail is refused', async () => {
    const firmId = await buildFirm(runtime.db);
    const result = await cli('user', 'create', '--email', 'ciso@test.anjian.local', '--name', '資安長', '--firm', firmId, '--role', 'ciso', '--json');
    const created = JSON.parse(result.stdout);
    expect(created).toMatchObject({ email: 'ciso@test.anjian.local', mustChangePassword: true });
    expect(created.initialPassword.length).toBeGreaterThanOrEqual(12);
    const roles = await runtime.db.query<{ role: string }>('SELECT role FROM memberships WHERE user_id = $1 AND firm_id = $2', [created.id, firmId]);
    expect(roles.rows).toEqual([{ role: 'ciso' }]);
    const again = await cli('user', 'create', '--email', 'ciso@test.anjian.local', '--name', '資安長', '--platform-admin');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在');
  });

  it.each([
    [['user', 'create', '--email', 'x@test.anjian.local', '--name', 'X', '--firm', '00000000-0000-4000-8000-000000000000'], '--role'],
    [['user', 'create', '--email', 'x@test.anjian.local', '--name', 'X', '--firm', '00000000-0000-4000-8000-000000000000', '--role', 'boss'], '--role'],
    [['user', 'create', '--email', 'x@test.anjian.local', '--name', 'X', '--firm', '00000000-0000-4000-8000-000000000000', '--role', 'ciso'], '--firm'],
    [['user', 'create', '--email', 'not-an-email', '--name', 'X', '--platform-admin'], '--email'],
    [['user', 'create', '--name', 'X'], '--email'],
    [['user', 'unlock', 'nobody@test.anjian.local'], 'nobody@test.anjian.local'],
  ])('bad arguments exit 2 and name the argument: %j', async (argv, named) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(named);
  });

  it('user unlock lets a locked account sign in again', async () => {
    const created = JSON.parse((await cli('user', 'create', '--email', 'locked@test.anjian.local', '--name', '鎖定', '--platform-admin', '--json')).stdout);
    for (let attempt = 0; attempt < 3; attempt += 1) await login('locked@test.anjian.local', 'wrong password!!');
    expect((await login('locked@test.anjian.local', created.initialPassword)).statusCode).toBe(423);
    const result = await cli('user', 'unlock', 'locked@test.anjian.local');
    expect(result.code, result.stderr).toBe(0);
    expect((await login('locked@test.anjian.local', created.initialPassword)).statusCode).toBe(200);
  });

  it('user reset-password replaces the password with a new one-time password', async () => {
    const created = JSON.parse((await cli('user', 'create', '--email', 'forgot@test.anjian.local', '--name', '忘記', '--platform-admin', '--json')).stdout);
    const reset = JSON.parse((await cli('user', 'reset-password', 'forgot@test.anjian.local', '--json')).stdout);
    expect(reset.initialPassword).not.toBe(created.initialPassword);
    expect((await login('forgot@test.anjian.local', created.initialPassword)).statusCode).toBe(401);
    const response = await login('forgot@test.anjian.local', reset.initialPassword);
    expect(response.json().step).toBe('password_change');
  });

  it('user reset-mfa clears the second factor', async () => {
    await cli('user', 'create', '--email', 'lostphone@test.anjian.local', '--name', '手機遺失', '--platform-admin');
    await runtime.db.query("UPDATE users SET mfa_enabled = true, mfa_secret = 'x' WHERE email = 'lostphone@test.anjian.local'");
    const result = await cli('user', 'reset-mfa', 'lostphone@test.anjian.local');
    expect(result.code, result.stderr).toBe(0);
    const row = await runtime.db.query<{ mfa_enabled: boolean; mfa_secret: string | null }>("SELECT mfa_enabled, mfa_secret FROM users WHERE email = 'lostphone@test.anjian.local'");
    expect(row.rows[0]).toEqual({ mfa_enabled: false, mfa_secret: null });
  });
});

describe('audit verify', () => {
  it('reports an intact trail with exit code 0', async () => {
    const firmId = await buildFirmWithEvents();
    const result = await cli('audit', 'verify', '--firm', firmId, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, chains: 1, events: 3 });
  });

  it('names an altered event', async () => {
    const firmId = await buildFirmWithEvents();
    const target = (await eventsOf(firmId))[1];
    await tamper("UPDATE audit_events SET action = 'membership.revoked' WHERE id = $1", [target.id]);
    const result = await cli('audit', 'verify', '--firm', firmId);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[altered]');
    expect(result.stdout).toContain(`#${target.id}`);
    const report = JSON.parse((await cli('audit', 'verify', '--firm', firmId, '--json')).stdout);
    expect(report.problems).toEqual([expect.objectContaining({ chain: firmId, kind: 'altered', eventId: String(target.id), seq: '2' })]);
  });

  it('names a deleted event', async () => {
    const firmId = await buildFirmWithEvents();
    const [, deleted, after] = await eventsOf(firmId);
    await tamper('DELETE FROM audit_events WHERE id = $1', [deleted.id]);
    const result = await cli('audit', 'verify', '--firm', firmId, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).problems).toEqual([expect.objectContaining({ kind: 'deleted', seq: '2', eventId: String(after.id) })]);
  });

  it('names an inserted event', async () => {
    const firmId = await buildFirmWithEvents();
    const events = await eventsOf(firmId);
    // A forged event, well formed and with its own hash right, that does not link to the chain.
    const forged: Omit<StoredAuditEvent, 'id' | 'hash'> = {
      ...events[2], seq: '4', action: 'membership.granted', actor_email: 'intruder@example.com', prev_hash: events[0].hash,
    };
    const hash = hashEvent(forged);
    const inserted = await runtime.db.query<{ id: string }>(
      `INSERT INTO audit_events (chain, seq, at, actor_id, actor_email, actor_role, firm_id, ip, via, entity, entity_id, action,
         before_digest, after_digest, detail, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id`,
      [forged.chain, forged.seq, new Date(forged.at).toISOString(), forged.actor_id, forged.actor_email, forged.actor_role, forged.firm_id, forged.ip,
        forged.via, forged.entity, forged.entity_id, forged.action, forged.before_digest, forged.after_digest, JSON.stringify(forged.detail),
        forged.prev_hash, hash],
    );
    const result = await cli('audit', 'verify', '--firm', firmId, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).problems).toEqual([expect.objectContaining({ kind: 'inserted', eventId: String(inserted.rows[0].id), seq: '4' })]);
  });

  it('without --firm checks every chain and still fails when one is broken', async () => {
    const result = await cli('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('audit trail broken');
  });
});

describe('exports', () => {
  it('audit export writes the firm\'s events as CSV and JSON, and audits the export', async () => {
    const firmId = await buildFirmWithEvents();
    const csv = await cli('audit', 'export', '--firm', firmId, '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].split(',')).toContain('hash');
    // The firm chain's three grants, and the platform chain's three account creations of its members.
    expect(lines).toHaveLength(1 + 6);
    expect(lines.filter((line) => line.includes(',platform,') && line.includes('user.created'))).toHaveLength(3);
    const json = JSON.parse((await cli('audit', 'export', '--firm', firmId, '--format', 'json')).stdout);
    expect(json.events.map((event: { action: string }) => event.action)).toContain('audit.exported');
    expect(json.events).toHaveLength(7);
    const bad = await cli('audit', 'export', '--firm', firmId, '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
  });

  it('catalog diff as Markdown marks additions <u> and deletions ~~ in the three columns', async () => {
    const result = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'markdown');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('| 修正條文 | 現行條文 | 說明 |');
    expect(result.stdout).toContain('**1.4** 應評估核心系統可容忍中斷時間<u>、復原時間目標(RTO)、資料復原點目標(RPO)</u>。');
    expect(result.stdout).toContain('另 a、b、~~e~~ 項');
  });

  it('catalog diff in the terminal colours additions and deletions; without colour it marks them', async () => {
    const coloured = await cli('catalog', 'diff', 'CSIM', '111', '112', '--color');
    expect(coloured.stdout).toContain('\u001b[32;4m、復原時間目標(RTO)');
    expect(coloured.stdout).toContain('\u001b[31;9me\u001b[0m');
    const plain = await cli('catalog', 'diff', 'CSIM', '111', '112', '--no-color');
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toContain('[-e-]');
  });

  it('catalog diff as XLSX holds rich text: underlined additions, struck deletions', async () => {
    const result = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'xlsx', '--output', 'diff.xlsx');
    expect(result.code, result.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(workDir, 'diff.xlsx'));
    const sheet = workbook.worksheets[0];
    expect([1, 2, 3].map((column) => sheet.getRow(1).getCell(column).value)).toEqual(['修正條文', '現行條文', '說明']);
    const first = sheet.getRow(2);
    const newer = (first.getCell(1).value as ExcelJS.CellRichTextValue).richText;
    const older = (first.getCell(2).value as ExcelJS.CellRichTextValue).richText;
    expect(newer.find((run) => run.text.includes('復原時間目標'))?.font?.underline).toBe(true);
    expect(older.map((run) => run.text).join('')).toContain('應評估核心系統可容忍中斷時間。');
    const struck = sheet.getRows(2, sheet.rowCount - 1)!.flatMap((row) => (row.getCell(2).value as ExcelJS.CellRichTextValue).richText).filter((run) => run.font?.strike);
    expect(struck.length).toBeGreaterThan(0);
    const noOutput = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'xlsx');
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain('--output');
  });

  it('catalog export writes one OSCAL file per version of the chosen document', async () => {
    const result = await cli('catalog', 'export', '--format', 'oscal', '--document', 'CSIM', '--output', 'oscal', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(workDir, 'oscal')).sort()).toEqual(['csim-109.oscal.json', 'csim-111.oscal.json', 'csim-112.oscal.json']);
    const exported = JSON.parse(readFileSync(join(workDir, 'oscal', 'csim-112.oscal.json'), 'utf8'));
    expect(exported.catalog.metadata).toMatchObject({ version: '112', 'oscal-version': '1.1.3' });
    const json = await cli('catalog', 'export', '--format', 'json', '--document', 'MAS', '--version', '3.2', '--output', 'json');
    expect(json.code, json.stderr).toBe(0);
    const mas = JSON.parse(readFileSync(join(workDir, 'json', 'mas-3.2.json'), 'utf8'));
    expect(mas.items).toHaveLength(42);
  });

  it.each([
    [['catalog', 'export', '--format', 'pdf'], '--format'],
    [['catalog', 'export', '--format', 'oscal', '--version', '112'], '--version'],
    [['catalog', 'export', '--format', 'oscal', '--document', 'CSIM', '--version', '999'], '999'],
    [['catalog', 'diff', 'CSIM', '100', '112'], 'FROM'],
    [['catalog', 'diff', 'XYZ', '111', '112'], 'DOC'],
    [['catalog', 'show', 'not an id'], 'not an id'],
    [['catalog', 'search', 'x', '--limit', '0'], '--limit'],
    [['catalog', 'frobnicate'], 'frobnicate'],
    [['audit', 'verify', '--firm', '00000000-0000-4000-8000-000000000000'], '--firm'],
    [['audit', 'verify', '--firm', 'acme'], '--firm'],
  ])('bad arguments exit 2 and name the argument: %j', async (argv, named) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(named);
  });
});

describe('the anjian binary', () => {
  it('runs from the shell against the configured database', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'anjian-bin-'));
    const env: NodeJS.ProcessEnv = { ...process.env, ANJIAN_DATA_DIR: dataDir, NO_COLOR: '1' };
    delete env.DATABASE_URL;
    if (TEST_DB === 'pg') env.DATABASE_URL = runtime.databaseUrl;
    try {
      const result = spawnSync(process.execPath, [join(REPO, 'bin', 'anjian.mjs'), 'catalog', 'show', 'CSIM:8.3.e', '--json'], { env, cwd: REPO, encoding: 'utf8', timeout: 110_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ id: 'CSIM:8.3.e', text: '密碼輸入錯誤次數達三次者，應予中斷連線。' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
