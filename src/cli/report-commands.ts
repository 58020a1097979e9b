/**
 * `anjian report board|followup|campaign --firm ID … --output file.pdf`: the same PDF reports as the
 * API (board 資訊安全整體執行情形, follow-up, campaign), printed by Chromium and audited as exports
 * (via cli). The browser is closed when the command ends.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { systemContext } from '../server/context.ts';
import { closePdfPrinter } from '../server/reports/pdf-printer.ts';
import { exportReportPdf, type ReportRequest } from '../server/reports/report-service.ts';
import { DEFICIENCY_SOURCES } from '../domain/findings/deficiency-rules.ts';
import { oneOf, UsageError, type CliContext } from './cli-context.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function checkUuid(option: string, value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(option, `請指定${what}`, `${option} is required`);
  if (!UUID_PATTERN.test(value)) throw new UsageError(option, `${what}應為 UUID：${value}`, `${option} must be a UUID, got ${value}`);
  return value.toLowerCase();
}

function checkDay(option: string, value: string | undefined): string | undefined {
  if (value !== undefined && !DAY_PATTERN.test(value)) throw new UsageError(option, `日期格式須為 YYYY-MM-DD：${value}`, `${option} must be YYYY-MM-DD, got ${value}`);
  return value;
}

async function writeReport(context: CliContext, request: ReportRequest, output: string, json: boolean | undefined): Promise<void> {
  const { db } = await context.runtime();
  try {
    const report = await exportReportPdf(db, systemContext('cli'), request);
    const path = resolve(context.io.cwd ?? process.cwd(), output);
    writeFileSync(path, report.pdf);
    if (json) {
      context.printJson({ kind: report.kind, title: report.title, path, bytes: report.pdf.length, sha256: report.sha256 });
      return;
    }
    context.print(`已寫入 wrote ${path}（${report.title}，${report.pdf.length} bytes，SHA-256 ${report.sha256}）`);
  } finally {
    await closePdfPrinter();
  }
}

interface CommonOptions {
  firm?: string;
  output: string;
  json?: boolean;
}

export function registerReportCommands(program: Command, context: CliContext): void {
  const report = program.command('report').description('PDF 報告（董事會、缺失追蹤、自行查核）/ PDF reports');

  report
    .command('board')
    .description('資訊安全整體執行情形報告（CSIM 2.(6)）/ the annual report to the board')
    .requiredOption('--firm <ID>', '券商編號 / firm id')
    .option('--year <Y>', '會計年度（以結束年份命名；預設最近結束的年度）/ fiscal year')
    .requiredOption('--output <file>', 'PDF 檔 / output PDF file')
    .option('--json', '輸出 JSON / print JSON')
    .action(async (options: CommonOptions & { year?: string }) => {
      const firmId = checkUuid('--firm', options.firm, '券商編號');
      const year = options.year === undefined ? undefined : Number(options.year);
      if (year !== undefined && (!Number.isInteger(year) || year < 2000 || year > 2100)) {
        throw new UsageError('--year', `年度須為 2000–2100：${options.year}`, `year must be 2000–2100, got ${options.year}`);
      }
      await writeReport(context, { kind: 'board', firmId, year }, options.output, options.json);
    });

  report
    .command('followup')
    .description('缺失追蹤改善報告（CSIM 11.(2)）/ the deficiency follow-up report')
    .requiredOption('--firm <ID>', '券商編號 / firm id')
    .option('--source <source>', `缺失來源 / source (${DEFICIENCY_SOURCES.join(', ')})`, oneOf(DEFICIENCY_SOURCES))
    .option('--from <YYYY-MM-DD>', '建立日起 / created from')
    .option('--to <YYYY-MM-DD>', '建立日迄 / created to')
    .requiredOption('--output <file>', 'PDF 檔 / output PDF file')
    .option('--json', '輸出 JSON / print JSON')
    .action(async (options: CommonOptions & { source?: (typeof DEFICIENCY_SOURCES)[number]; from?: string; to?: string }) => {
      const firmId = checkUuid('--firm', options.firm, '券商編號');
      await writeReport(context, {
        kind: 'followup', firmId, source: options.source, from: checkDay('--from', options.from), to: checkDay('--to', options.to),
      }, options.output, options.json);
    });

  report
    .command('campaign')
    .description('自行查核報告 / a self-inspection campaign report')
    .requiredOption('--firm <ID>', '券商編號 / firm id')
    .requiredOption('--campaign <ID>', '自行查核編號 / campaign id')
    .requiredOption('--output <file>', 'PDF 檔 / output PDF file')
    .option('--json', '輸出 JSON / print JSON')
    .action(async (options: CommonOptions & { campaign?: string }) => {
      const firmId = checkUuid('--firm', options.firm, '券商編號');
      const campaignId = checkUuid('--campaign', options.campaign, '自行查核編號');
      await writeReport(context, { kind: 'campaign', firmId, campaignId }, options.output, options.json);
    });
}
