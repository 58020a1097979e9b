/**
 * `anjian audit …`: verify the hash chains of the audit trail (exit 1 and the first altered, deleted or
 * inserted event of each broken chain) and export one firm's trail as CSV or JSON.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { auditEventsToCsv, presentAuditEvent } from '../server/audit/audit-presenter.ts';
import { appendAuditEvent, listAuditEvents, verifyAuditChains } from '../server/audit/audit-log.ts';
import { inTenantTransaction, systemContext } from '../server/context.ts';
import { EXIT_FAILURE, oneOf, UsageError, type CliContext } from './cli-context.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXPORT_FORMATS = ['csv', 'json'] as const;

function checkFirmId(firm: string): string {
  if (!UUID_PATTERN.test(firm)) throw new UsageError('--firm', `券商編號應為 UUID：${firm}`, `the firm id is a UUID, got ${firm}`);
  return firm.toLowerCase();
}

async function verifyCommand(context: CliContext, options: { firm?: string; json?: boolean }) {
  const firmIds = options.firm === undefined ? '*' : [checkFirmId(options.firm)];
  const { db } = await context.runtime();
  const report = await inTenantTransaction(db, firmIds, async (tx) => {
    if (firmIds !== '*') {
      const firm = await tx.query('SELECT 1 FROM firms WHERE id = $1', [firmIds[0]]);
      if (firm.rows.length === 0) throw new UsageError('--firm', `找不到券商 ${firmIds[0]}`, `no firm ${firmIds[0]}`);
    }
    return verifyAuditChains(tx, firmIds);
  });
  if (!report.ok) context.exitCode = EXIT_FAILURE;
  if (options.json) {
    context.printJson(report);
    return;
  }
  if (report.ok) {
    context.print(`稽核軌跡完整 / audit trail intact：${report.chains} 條鏈 chains，${report.events} 筆事件 events`);
    return;
  }
  const lines = [`稽核軌跡遭破壞 / audit trail broken：${report.problems.length} 條鏈 chains`];
  for (const problem of report.problems) {
    lines.push(`  [${problem.kind}] 鏈 chain ${problem.chain}：${problem.message}`, `      ${problem.messageEn}`);
  }
  context.print(lines.join('\n'));
}


async function exportCommand(context: CliContext, options: { firm: string; format: 'csv' | 'json'; output?: string }) {
  const firmId = checkFirmId(options.firm);
  const { db } = await context.runtime();
  const events = await inTenantTransaction(db, [firmId], async (tx) => {
    const firm = await tx.query('SELECT 1 FROM firms WHERE id = $1', [firmId]);
    if (firm.rows.length === 0) throw new UsageError('--firm', `找不到券商 ${firmId}`, `no firm ${firmId}`);
    const result = await listAuditEvents(tx, { firmIds: [firmId], limit: 1_000_000, offset: 0, includeMemberPlatformEvents: true });
    await appendAuditEvent(tx, systemContext('cli'), {
      firmId, entity: 'audit', action: 'audit.exported', detail: { format: options.format, count: result.events.length },
    });
    return result.events.map(presentAuditEvent);
  });
  const content = options.format === 'json'
    ? `${JSON.stringify({ firmId, exportedAt: new Date().toISOString(), events }, null, 2)}\n`
    : auditEventsToCsv(events);
  if (options.output) {
    const path = resolve(context.io.cwd ?? process.cwd(), options.output);
    writeFileSync(path, content);
    context.io.stderr.write(`已寫入 wrote ${path}（${events.length} 筆事件 events）\n`);
    return;
  }
  context.io.stdout.write(content);
}

export function registerAuditCommands(program: Command, context: CliContext): void {
  const audit = program.command('audit').description('稽核軌跡 / the audit trail');

  audit
    .command('verify')
    .description('驗證雜湊鏈；遭竄改、刪除或插入時結束代碼 1 / verify the hash chains; exit 1 when broken')
    .option('--firm <ID>', '只驗證某券商 / only this firm')
    .option('--json', '輸出 JSON / print JSON')
    .action((options) => verifyCommand(context, options));

  audit
    .command('export')
    .description('匯出某券商的稽核軌跡 / export a firm\'s audit trail')
    .requiredOption('--firm <ID>', '券商編號 / firm id')
    .requiredOption('--format <F>', 'csv 或 json', oneOf(EXPORT_FORMATS))
    .option('--output <FILE>', '寫入檔案 / write to FILE')
    .action((options) => exportCommand(context, options));
}
