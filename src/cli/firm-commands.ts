/**
 * `anjian firm classify`, `anjian applicability`, `anjian obligations`: what binds a firm, from a
 * profile file (the JSON the API accepts). These read the catalog files directly, so they work without
 * a database (offline, air-gapped).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadCatalog } from '../catalog-files/load-catalog.ts';
import type { CatalogItem, CatalogVersion } from '../domain/catalog/resolve.ts';
import { classifyFirm } from '../domain/firms/classify.ts';
import { validateFirmProfile, type FirmProfile } from '../domain/firms/profile.ts';
import { evaluateApplicability } from '../domain/applicability/evaluate.ts';
import { selectVersionInForce } from '../domain/applicability/versions-in-force.ts';
import { createApplicabilityTimeline, type CalendarSources } from '../domain/calendar/applicability-timeline.ts';
import { listObligations } from '../domain/calendar/list-obligations.ts';
import { listInspectionPeriods } from '../domain/calendar/list-inspection-periods.ts';
import { buildIcs } from '../domain/calendar/build-ics.ts';
import { UsageError, type CliContext } from './cli-context.ts';
import { todayInTaipei } from '../server/evidence/evidence-values.ts';

const DOCUMENTS = ['CSIM', 'NET', 'ETECH', 'BRIEF'];

function readProfile(context: CliContext, file: string | undefined): FirmProfile {
  if (!file) throw new UsageError('--profile', '請指定公司基本資料檔（JSON）', 'give a profile file (JSON)');
  const path = resolve(context.io.cwd ?? process.cwd(), file);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError('--profile', `讀不到檔案 ${file}`, `cannot read ${file}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new UsageError('--profile', `${file} 不是有效的 JSON：${(error as Error).message}`, `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validateFirmProfile(data);
  if (!result.ok) {
    const first = result.errors[0];
    throw new UsageError('--profile', `${file}: ${result.errors.map((error) => error.message).join('；')}`, `${file}: ${first.messageEn}`);
  }
  return result.profile;
}

/**
 * CSIM in `version` plus NET, ETECH and BRIEF (or one document) in the version in force on `date`: the
 * latest dated on or before it, the earliest for a date before all.
 */
function selectItems(version: string | undefined, document: string | undefined, date: string): { items: CatalogItem[]; versions: Record<string, string>; chosen: CatalogVersion[] } {
  const catalog = loadCatalog();
  const documents = document ? [document] : DOCUMENTS;
  const items: CatalogItem[] = [];
  const versions: Record<string, string> = {};
  const chosenVersions: CatalogVersion[] = [];
  for (const name of documents) {
    const wanted = version && (name === 'CSIM' || name === document) ? version : undefined;
    const chosen = wanted ? catalog.find((entry) => entry.document === name && entry.version === wanted) : selectVersionInForce(catalog, name, date);
    if (!chosen) {
      const known = catalog.filter((entry) => entry.document === name).map((entry) => entry.version);
      if (known.length === 0) throw new UsageError('--document', `沒有文件 ${name}`, `no document ${name}`);
      throw new UsageError('--version', `${name} 沒有版本 ${wanted}（現有：${known.join('、')}）`, `${name} has no version ${wanted} (known: ${known.join(', ')})`);
    }
    versions[name] = chosen.version;
    chosenVersions.push(chosen);
    items.push(...chosen.items);
  }
  return { items, versions, chosen: chosenVersions };
}

/** The calendar's sources for one profile file: every version of the documents, CSIM pinned to `version` if given. */
function selectCalendarSources(profile: FirmProfile, version: string | undefined, year: number): CalendarSources {
  // Validates --version (and names the known versions) the same way as `applicability`.
  selectItems(version, undefined, `${year}-12-31`);
  const catalog = loadCatalog();
  return {
    profiles: [{ validFrom: '0000-01-01', profile }],
    versions: catalog.filter((entry) => DOCUMENTS.includes(entry.document)),
    pinned: version ? { CSIM: version } : undefined,
  };
}

const NEEDS_ANSWER = '（待確認）';

function checkDate(value: string | undefined): string {
  const date = value ?? todayInTaipei();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new UsageError('--date', `日期格式須為 YYYY-MM-DD：${value}`, `expected a date YYYY-MM-DD, got ${value}`);
  }
  return date;
}

const VERDICT_LABEL: Record<string, string> = { applies: '適用', not_applicable: '不適用', not_in_force: '尚未生效', needs_answer: '待回答' };

export function registerFirmCommands(program: Command, context: CliContext): void {
  const firm = program.command('firm').description('公司基本資料與分類 / firm profile and classification');
  firm
    .command('classify')
    .description('資安長、資安分級、第一/二類、外國證券商，附理由 / CISO, tier, type, with reasons')
    .requiredOption('--profile <file>', '公司基本資料 JSON / profile JSON file')
    .option('--json', 'JSON 輸出')
    .action((options: { profile: string; json?: boolean }) => {
      const classification = classifyFirm(readProfile(context, options.profile));
      if (options.json) return context.printJson(classification);
      context.print(`資安長 CISO required: ${classification.cisoRequired ?? '待回答'}`);
      context.print(`資安分級 tier: ${classification.tier ?? '待回答'} (${classification.tierSource})`);
      context.print(`類別 type: ${classification.type ?? '待回答'}`);
      for (const reason of classification.reasons) context.print(`- [${reason.topic}] ${reason.text}\n  依據：${reason.source}`);
    });

  program
    .command('applicability')
    .description('每一條文是否適用本公司，附理由 / which rules bind the firm, with reasons')
    .requiredOption('--profile <file>', '公司基本資料 JSON / profile JSON file')
    .option('--version <version>', 'CSIM 版本（109、111、112；預設為評估日當時施行之版本）')
    .option('--document <doc>', '只看一份文件 (CSIM, NET, ETECH, BRIEF)')
    .option('--date <date>', '評估日期 YYYY-MM-DD（預設今天）')
    .option('--verdict <verdict>', '只列出 applies | not_applicable | not_in_force | needs_answer')
    .option('--json', 'JSON 輸出')
    .action((options: { profile: string; version?: string; document?: string; date?: string; verdict?: string; json?: boolean }) => {
      const profile = readProfile(context, options.profile);
      const date = checkDate(options.date);
      if (options.verdict && !VERDICT_LABEL[options.verdict]) {
        throw new UsageError('--verdict', `未知的判定 ${options.verdict}`, `unknown verdict ${options.verdict}`);
      }
      const { items, versions, chosen } = selectItems(options.version, options.document?.toUpperCase(), date);
      const results = evaluateApplicability(items, profile, { date, versions: chosen }).filter((result) => !options.verdict || result.verdict === options.verdict);
      if (options.json) {
        return context.printJson({
          date, versions,
          items: results.map((result) => ({ id: result.id, versionedId: result.versionedId, verdict: result.verdict, reason: result.reason, reasonEn: result.reasonEn, cycle: result.cycle, tier: result.tier ?? null, missingFields: result.missingFields })),
        });
      }
      for (const result of results) context.print(`${result.versionedId.padEnd(22)} ${VERDICT_LABEL[result.verdict].padEnd(4)} ${result.reason}`);
    });

  program
    .command('obligations')
    .description('年度法定義務與查核期間，可匯出 .ics / the year\'s obligations and inspection periods')
    .requiredOption('--profile <file>', '公司基本資料 JSON / profile JSON file')
    .requiredOption('--year <year>', '年度，例如 2024（義務：到期日在該曆年；查核期間：該會計年度）')
    .option('--version <version>', 'CSIM 版本（預設為各到期日當時施行之版本）')
    .option('--ics <file>', '同時寫出 iCalendar 檔 / also write an .ics file')
    .option('--json', 'JSON 輸出')
    .action((options: { profile: string; year: string; version?: string; ics?: string; json?: boolean }) => {
      const profile = readProfile(context, options.profile);
      const year = Number(options.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('--year', `年度須為 2000–2100：${options.year}`, `year must be 2000–2100, got ${options.year}`);
      const sources = selectCalendarSources(profile, options.version, year);
      const timeline = createApplicabilityTimeline(sources);
      const obligations = listObligations(sources, year, undefined, timeline);
      const periods = listInspectionPeriods(sources, year, timeline);
      if (options.ics) {
        const path = resolve(context.io.cwd ?? process.cwd(), options.ics);
        writeFileSync(path, buildIcs(obligations, periods, { firmName: profile.name }));
        context.io.stderr.write(`已寫出 wrote ${options.ics}\n`);
      }
      if (options.json) return context.printJson({ year, obligations, periods });
      const pending = (missingFields: string[] | undefined) => `  ${NEEDS_ANSWER}${(missingFields ?? []).join(', ')}`;
      if (!profile.fiscalYearEnd) context.print(`${NEEDS_ANSWER}未填會計年度終了日（fiscalYearEnd），暫以 12-31 計算 / no fiscal year end: 12-31 assumed`);
      for (const entry of obligations) context.print(`${entry.due}  ${entry.title}（${entry.itemIds.join(', ')}）${entry.needsAnswer ? pending(entry.missingFields) : ''}`);
      context.print(`\n查核期間 inspection periods (fiscal year ${year}): ${periods.length}`);
      for (const period of periods) {
        const codes = [...(period.codes ?? []), ...(period.pendingCodes ?? []).map((code) => `${code}?`)];
        context.print(`${period.id.padEnd(8)} ${period.cycle.padEnd(10)} 截止 due ${period.due}  ${codes.join(' ')}${period.needsAnswer ? pending(period.missingFields) : ''}`);
      }
    });
}
