/**
 * `anjian campaign create|export|import|status` and `anjian evidence add`: self-inspections from the
 * server's shell, through the same services as the API (every write audited with via = 'cli').
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Command } from 'commander';
import { inTenantTransaction, ROLES, systemContext, type RequestContext, type Role } from '../server/context.ts';
import { can, type Permission } from '../server/auth/policy.ts';
import {
  createCampaign, exportCampaignXlsx, getCampaign, importCampaignXlsx, listCampaigns, type CampaignView,
} from '../server/assessments/campaign-service.ts';
import { addEvidence } from '../server/evidence/evidence-service.ts';
import { oneOf, UsageError, type CliContext } from './cli-context.ts';
import { todayInTaipei } from '../server/evidence/evidence-values.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CYCLES = ['monthly', 'semiannual', 'annual'] as const;

/** The firm named by --firm, or the only firm when there is exactly one. */
async function resolveFirm(context: CliContext, firm: string | undefined): Promise<string> {
  const { db } = await context.runtime();
  if (firm !== undefined) {
    if (!UUID.test(firm)) throw new UsageError('--firm', `券商編號應為 UUID：${firm}`, `the firm id is a UUID, got ${firm}`);
    return firm;
  }
  const firms = (await db.query<{ id: string; name: string }>('SELECT id, name FROM firms ORDER BY name')).rows;
  if (firms.length === 1) return firms[0].id;
  throw new UsageError('--firm', `請以 --firm 指定券商（共 ${firms.length} 家：${firms.map((entry) => `${entry.name} ${entry.id}`).join('；')}）`,
    `name the firm with --firm (${firms.length} firms)`);
}

/**
 * The person a CLI write is recorded as (`--as <email>`): a member of the firm whose roles there
 * grant every permission the command needs. The CLI runs on the server without a login, so this
 * names who did the work (assessor, uploader) and lets maker-checker apply to it.
 */
async function resolveActingUser(context: CliContext, firmId: string, email: string, needs: { permission: Permission; what: string }[]): Promise<RequestContext> {
  const { db } = await context.runtime();
  const user = await inTenantTransaction(db, '*', async (tx) => {
    const found = (await tx.query<{ id: string; email: string; disabled: boolean }>(
      'SELECT id, email, disabled FROM users WHERE lower(email) = lower($1)', [email.trim()],
    )).rows[0];
    if (!found) return null;
    const roles = (await tx.query<{ role: string }>('SELECT role FROM memberships WHERE firm_id = $1 AND user_id = $2', [firmId, found.id])).rows
      .map((row) => row.role).filter((role): role is Role => (ROLES as string[]).includes(role));
    return { ...found, roles };
  });
  if (!user || user.roles.length === 0) {
    throw new UsageError('--as', `${email} 不是此券商的使用者（請以 --as 指定本公司成員的電子郵件）`, `${email} is not a member of firm ${firmId}; name a member's e-mail with --as`);
  }
  if (user.disabled) throw new UsageError('--as', `${email} 的帳號已停用`, `the account ${email} is disabled`);
  const actor = { userId: user.id, email: user.email, isPlatformAdmin: false, roles: new Map([[firmId, user.roles]]) };
  const missing = needs.filter((need) => !can(actor, need.permission, firmId));
  if (missing.length > 0) {
    throw new UsageError('--as', `${email}（${user.roles.join('、')}）沒有權限${missing.map((need) => need.what).join('、')}`,
      `${email} (${user.roles.join(', ')}) may not ${missing.map((need) => need.permission).join(', ')} in this firm`);
  }
  return { actor, ip: null, via: 'cli' };
}

function checkUuid(option: string, value: string): string {
  if (!UUID.test(value)) throw new UsageError(option, `應為 UUID：${value}`, `expected a UUID, got ${value}`);
  return value;
}

function describeCampaign(campaign: CampaignView): string {
  const rate = campaign.progress.complianceRate === null ? '—' : `${Math.round(campaign.progress.complianceRate * 100)}%`;
  return `${campaign.id}  ${campaign.document}@${campaign.version} ${campaign.cycle.padEnd(10)} ${campaign.period.padEnd(8)} ${campaign.status.padEnd(10)}`
    + ` 已評 ${campaign.progress.assessed}/${campaign.progress.total}  核准 ${campaign.progress.approved}  符合率 ${rate}${campaign.isOverdue ? '  逾期 overdue' : ''}`;
}

export function registerCampaignCommands(program: Command, context: CliContext): void {
  const campaign = program.command('campaign').description('自行查核 / self-inspection campaigns');

  campaign
    .command('create')
    .description('建立一期自行查核，只納入適用本公司的條文 / create a period\'s campaign with the applicable items')
    .option('--firm <id>', '券商編號（僅一家時可省略）')
    .requiredOption('--cycle <cycle>', 'monthly | semiannual | annual', oneOf(CYCLES))
    .requiredOption('--period <period>', '期間：2024-03、2024-H1、2024')
    .option('--version <version>', 'CSIM 版本（預設最新）')
    .option('--document <doc>', '文件（預設 CSIM）', 'CSIM')
    .option('--no-carry-forward', '不帶入上一期仍有效的佐證')
    .option('--json', 'JSON 輸出')
    .action(async (options: { firm?: string; cycle: (typeof CYCLES)[number]; period: string; version?: string; document: string; carryForward: boolean; json?: boolean }) => {
      const firmId = await resolveFirm(context, options.firm);
      const { db } = await context.runtime();
      const created = await createCampaign(db, systemContext('cli'), {
        firmId, cycle: options.cycle, period: options.period, version: options.version, document: options.document, carryForward: options.carryForward,
      });
      if (options.json) return context.printJson(created);
      context.print(describeCampaign(created.campaign));
      context.print(`納入 ${created.campaign.progress.total} 項、排除 ${created.excluded} 項、帶入佐證 ${created.carriedForward} 項`);
      if (created.needsAnswer.length > 0) {
        context.print(`待回答（請補公司基本資料）${created.needsAnswer.length} 項：`);
        for (const item of created.needsAnswer.slice(0, 20)) context.print(`  ${JSON.stringify(item)}`);
      }
    });

  campaign
    .command('status')
    .description('自行查核進度 / progress of the campaigns')
    .option('--firm <id>', '券商編號（僅一家時可省略）')
    .option('--campaign <id>', '只看一期')
    .option('--json', 'JSON 輸出')
    .action(async (options: { firm?: string; campaign?: string; json?: boolean }) => {
      const firmId = await resolveFirm(context, options.firm);
      const { db } = await context.runtime();
      const campaigns = options.campaign
        ? [await getCampaign(db, systemContext('cli'), { firmId, campaignId: checkUuid('--campaign', options.campaign) })]
        : await listCampaigns(db, systemContext('cli'), { firmId });
      if (options.json) return context.printJson({ campaigns });
      if (campaigns.length === 0) context.print('尚無自行查核 / no campaigns yet');
      for (const entry of campaigns) {
        context.print(describeCampaign(entry));
        if (options.campaign) {
          for (const section of entry.sections) {
            context.print(`    ${section.section.padEnd(10)} ${section.assessed}/${section.total}  符合 ${section.byResult.compliant}  部分 ${section.byResult.partial}  不符合 ${section.byResult.non_compliant}  不適用 ${section.byResult.not_applicable}`);
          }
        }
      }
    });

  campaign
    .command('export')
    .description('匯出檢核表 XLSX / export the checklist as XLSX')
    .option('--firm <id>', '券商編號（僅一家時可省略）')
    .requiredOption('--campaign <id>', '自行查核編號')
    .option('--output <file>', '輸出檔（預設為系統建議的檔名）')
    .action(async (options: { firm?: string; campaign: string; output?: string }) => {
      const firmId = await resolveFirm(context, options.firm);
      const { db } = await context.runtime();
      const file = await exportCampaignXlsx(db, systemContext('cli'), { firmId, campaignId: checkUuid('--campaign', options.campaign) });
      const path = resolve(context.io.cwd ?? process.cwd(), options.output ?? file.fileName);
      writeFileSync(path, file.buffer);
      context.print(`已寫出 wrote ${path}`);
    });

  campaign
    .command('import')
    .description('匯入離線填寫的檢核表：整份無誤才套用 / import a filled checklist: all rows valid or nothing applied')
    .argument('<file>', 'XLSX 檔')
    .option('--firm <id>', '券商編號（僅一家時可省略）')
    .requiredOption('--campaign <id>', '自行查核編號')
    .requiredOption('--as <email>', '評核人：本公司成員的電子郵件（記為評核人，覆核須由他人為之）')
    .option('--json', 'JSON 輸出')
    .action(async (file: string, options: { firm?: string; campaign: string; as: string; json?: boolean }) => {
      const path = resolve(context.io.cwd ?? process.cwd(), file);
      if (!existsSync(path)) throw new UsageError('<file>', `找不到檔案 ${file}`, `no such file ${file}`);
      const firmId = await resolveFirm(context, options.firm);
      const acting = await resolveActingUser(context, firmId, options.as, [
        { permission: 'campaign:import', what: '匯入檢核表' }, { permission: 'campaign:assess', what: '評核項目' },
      ]);
      const { db } = await context.runtime();
      const result = await importCampaignXlsx(db, acting, { firmId, campaignId: checkUuid('--campaign', options.campaign), buffer: readFileSync(path) });
      if (options.json) return context.printJson(result);
      context.print(`已套用 updated ${result.updated} 項，未變更 unchanged ${result.unchanged} 項`);
    });

  const evidence = program.command('evidence').description('佐證資料 / the evidence vault');
  evidence
    .command('add')
    .description('上傳佐證並連結條文 / add an evidence file supporting catalog items')
    .argument('<file>', '檔案')
    .option('--firm <id>', '券商編號（僅一家時可省略）')
    .requiredOption('--item <id...>', '佐證的條文，例如 CSIM:7.1.b.f（可多個）')
    .option('--title <title>', '標題（預設為檔名）')
    .option('--collected <date>', '蒐集日 YYYY-MM-DD（預設今天）')
    .option('--valid-until <date>', '有效期限 YYYY-MM-DD')
    .option('--as <email>', '上傳者：本公司成員的電子郵件（記為上傳者及負責人；省略時記為系統）')
    .option('--json', 'JSON 輸出')
    .action(async (file: string, options: { firm?: string; item: string[]; title?: string; collected?: string; validUntil?: string; as?: string; json?: boolean }) => {
      const path = resolve(context.io.cwd ?? process.cwd(), file);
      if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError('<file>', `找不到檔案 ${file}`, `no such file ${file}`);
      for (const date of [['--collected', options.collected], ['--valid-until', options.validUntil]] as const) {
        if (date[1] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date[1])) throw new UsageError(date[0], `日期格式須為 YYYY-MM-DD：${date[1]}`, `expected YYYY-MM-DD, got ${date[1]}`);
      }
      const firmId = await resolveFirm(context, options.firm);
      const acting = options.as === undefined
        ? systemContext('cli')
        : await resolveActingUser(context, firmId, options.as, [{ permission: 'evidence:upload', what: '上傳佐證' }]);
      const runtime = await context.runtime();
      const created = await addEvidence({ db: runtime.db, blobs: runtime.blobs, maxUploadBytes: runtime.config.maxUploadBytes }, acting, {
        firmId,
        file: { fileName: basename(path), stream: createReadStream(path) },
        metadata: {
          title: options.title ?? basename(path),
          itemIds: options.item,
          collectedOn: options.collected ?? todayInTaipei(),
          validUntil: options.validUntil ?? null,
        },
      });
      if (options.json) return context.printJson(created);
      context.print(`已新增佐證 added evidence ${created.id}「${created.title}」 保存至 retained until ${created.retainUntil}`);
    });
}
