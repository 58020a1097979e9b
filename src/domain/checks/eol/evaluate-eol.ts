/**
 * End-of-life rules: each inventory row is matched to a lifecycle cycle and judged at the evaluation
 * date. Pure: takes parsed rows and lifecycle data, returns findings.
 */
import type { Finding } from '../types.ts';
import { daysBetween, parseDate } from './dates.ts';
import type { TableRow } from './read-table.ts';
import type { LifecycleCycle, LifecycleData, LifecycleMark } from './parse-lifecycle.ts';
import { compareVersions, matchCycle, matchProduct, normalizeVersion } from './match-product.ts';

export const EOL_ITEMS = ['NET:4.1.1', 'CSIM@112:7.1.a.j'];
const LATEST_ITEMS = ['NET:4.1.2'];

const RULE_TEXT =
  'NET 第四條一、(一)：「證券商應避免使用生命週期終止(End of Service, EOS/End of Life, EOL)之網路設備，並針對 EOS/EOL 之網路設備擬定汰除相關計畫。」';

/** Plan cells that mean "no plan". */
const NO_PLAN = new Set(['none', 'no', 'n/a', 'na', '-', '--', 'tbd', 'unknown', '無', '否', '尚無', '未定', '無計畫', '無計劃', '待定']);

export interface EolOptions {
  /** Evaluation date, `YYYY-MM-DD`. */
  at: string;
  /** Warn when end of life is this many days away or fewer (default 180). */
  warningDays?: number;
  /** Extra product-name aliases (inventory name → lifecycle product). */
  productAliases?: Record<string, string>;
}

export interface EolStats {
  rows: number;
  matched: number;
  pastEol: number;
  eolSoon: number;
  supportEnded: number;
  unknown: number;
}

function hasPlan(text: string | undefined): boolean {
  return text !== undefined && !NO_PLAN.has(text.trim().toLowerCase());
}

function isReached(mark: LifecycleMark | undefined, at: string): boolean {
  return mark === true || (typeof mark === 'string' && mark <= at);
}

function describeMark(mark: LifecycleMark | undefined): string {
  if (mark === undefined) {
    return '—';
  }
  return typeof mark === 'string' ? mark : mark ? 'yes (date not given)' : 'no';
}

export function evaluateEol(
  file: string,
  rows: TableRow[],
  lifecycle: LifecycleData,
  options: EolOptions,
): { findings: Finding[]; stats: EolStats } {
  const warningDays = options.warningDays ?? 180;
  const products = [...lifecycle.keys()];
  const findings: Finding[] = [];
  const stats: EolStats = { rows: rows.length, matched: 0, pastEol: 0, eolSoon: 0, supportEnded: 0, unknown: 0 };

  for (const row of rows) {
    const { vendor, product, version, name } = row.values;
    const label = [vendor, product, version].filter((part) => part !== undefined).join(' ');
    const subject = name ?? label;
    const location = { file, line: row.line, subject };
    const unknown = (rule: string, message: string, messageEn: string, detail: Record<string, unknown> = {}): void => {
      stats.unknown += 1;
      findings.push({ rule, severity: 'medium', status: 'unknown', message, messageEn, location, items: EOL_ITEMS, detail: { vendor, product, version, ...detail } });
    };

    const match = matchProduct(
      { vendor, product, lifecycleProduct: row.values.lifecycle_product },
      products,
      options.productAliases,
    );
    if (match === undefined) {
      unknown(
        'eol.unknown-product',
        `「${label || subject}」不在匯入的生命週期資料中，無法判定是否已終止支援。`,
        `"${label || subject}" is not in the imported lifecycle data; its end of life cannot be determined.`,
        { products },
      );
      continue;
    }
    const cycles = lifecycle.get(match.product) ?? [];
    const versionCandidates = [version, match.versionFromName].filter((value): value is string => value !== undefined);
    if (versionCandidates.length === 0) {
      unknown(
        'eol.unknown-version',
        `「${label}」未填版本，無法對應 ${match.product} 的生命週期。`,
        `"${label}" has no version; it cannot be matched to a ${match.product} cycle.`,
        { lifecycleProduct: match.product },
      );
      continue;
    }
    let cycle: LifecycleCycle | undefined;
    let matchedVersion = versionCandidates[0];
    for (const candidate of versionCandidates) {
      cycle = matchCycle(candidate, cycles);
      if (cycle) {
        matchedVersion = candidate;
        break;
      }
    }
    if (cycle === undefined) {
      unknown(
        'eol.unknown-cycle',
        `${match.product} 的生命週期資料沒有版本「${versionCandidates.join('／')}」所屬的週期。`,
        `The ${match.product} lifecycle data has no cycle for version "${versionCandidates.join('/')}".`,
        { lifecycleProduct: match.product, cycles: cycles.map((entry) => entry.cycle) },
      );
      continue;
    }
    stats.matched += 1;
    const detail = {
      vendor,
      product,
      version: matchedVersion,
      lifecycleProduct: match.product,
      matchedVia: match.via,
      cycle: cycle.cycle,
      eol: cycle.eol,
      support: cycle.support,
      extendedSupport: cycle.extendedSupport,
      latest: cycle.latest,
      retirementPlan: row.values.retirement_plan,
      retirementDate: row.values.retirement_date,
      role: row.values.role,
      location: row.values.location,
    };
    const what = `${label}（${match.product} ${cycle.cycle}）`;
    const whatEn = `${label} (${match.product} ${cycle.cycle})`;

    if (cycle.eol === undefined) {
      unknown(
        'eol.no-eol-data',
        `${what} 的生命週期資料沒有 eol 欄位，無法判定。`,
        `${whatEn}: the lifecycle data gives no "eol" value.`,
        detail,
      );
      continue;
    }

    const planned = hasPlan(row.values.retirement_plan);
    const plannedDate = row.values.retirement_date === undefined ? null : parseDate(row.values.retirement_date);
    const extendedNote =
      typeof cycle.extendedSupport === 'string' && cycle.extendedSupport > options.at
        ? { zh: `；延伸支援至 ${cycle.extendedSupport}`, en: `; extended support until ${cycle.extendedSupport}` }
        : { zh: '', en: '' };

    if (isReached(cycle.eol, options.at)) {
      stats.pastEol += 1;
      const eolText = describeMark(cycle.eol);
      if (!planned) {
        findings.push({
          rule: 'eol.past-eol',
          severity: 'high',
          status: 'fail',
          message: `${what} 已於 ${eolText} 終止支援(EOL)${extendedNote.zh}，且無汰除計畫。${RULE_TEXT}`,
          messageEn: `${whatEn} reached end of life on ${eolText}${extendedNote.en} and has no retirement plan.`,
          location,
          items: EOL_ITEMS,
          detail,
        });
      } else if (plannedDate !== null && plannedDate < options.at) {
        findings.push({
          rule: 'eol.retirement-overdue',
          severity: 'high',
          status: 'fail',
          message: `${what} 已終止支援(${eolText})，汰除計畫預定 ${plannedDate} 完成，但至 ${options.at} 仍在清冊中。${RULE_TEXT}`,
          messageEn: `${whatEn} reached end of life (${eolText}); its retirement was planned for ${plannedDate} but it is still in the inventory on ${options.at}.`,
          location,
          items: EOL_ITEMS,
          detail,
        });
      } else {
        findings.push({
          rule: 'eol.past-eol-planned',
          severity: 'medium',
          status: 'warning',
          message: `${what} 已於 ${eolText} 終止支援(EOL)${extendedNote.zh}，已有汰除計畫：${row.values.retirement_plan}${plannedDate ? `（預定 ${plannedDate}）` : ''}。`,
          messageEn: `${whatEn} reached end of life on ${eolText}${extendedNote.en}; retirement plan: ${row.values.retirement_plan}${plannedDate ? ` (planned ${plannedDate})` : ''}.`,
          location,
          items: EOL_ITEMS,
          detail,
        });
      }
      continue;
    }

    if (typeof cycle.eol === 'string') {
      const daysLeft = daysBetween(options.at, cycle.eol);
      if (daysLeft <= warningDays) {
        stats.eolSoon += 1;
        findings.push({
          rule: 'eol.eol-soon',
          severity: planned ? 'low' : 'medium',
          status: 'warning',
          message: `${what} 將於 ${cycle.eol} 終止支援（剩 ${daysLeft} 天）${planned ? `，汰除計畫：${row.values.retirement_plan}` : '，尚無汰除計畫'}。`,
          messageEn: `${whatEn} reaches end of life on ${cycle.eol} (${daysLeft} days left)${planned ? `; retirement plan: ${row.values.retirement_plan}` : '; no retirement plan yet'}.`,
          location,
          items: EOL_ITEMS,
          detail: { ...detail, daysLeft },
        });
        continue;
      }
    }

    if (isReached(cycle.support, options.at)) {
      stats.supportEnded += 1;
      findings.push({
        rule: 'eol.support-ended',
        severity: 'low',
        status: 'warning',
        message: `${what} 的一般支援已於 ${describeMark(cycle.support)} 結束(EOS)，安全性更新至 ${describeMark(cycle.eol)}。`,
        messageEn: `${whatEn}: active support ended on ${describeMark(cycle.support)}; security support runs until ${describeMark(cycle.eol)}.`,
        location,
        items: EOL_ITEMS,
        detail,
      });
    }

    if (cycle.latest !== undefined && normalizeVersion(matchedVersion) !== normalizeVersion(cycle.cycle)) {
      const comparison = compareVersions(matchedVersion, cycle.latest);
      if (comparison !== undefined && comparison < 0) {
        findings.push({
          rule: 'eol.not-latest',
          severity: 'info',
          status: 'info',
          message: `${what} 版本 ${matchedVersion} 非該週期最新版 ${cycle.latest}。NET 第四條一、(二)：「證券商應定期檢視官方發布之軟體、韌體、弱點修補程式之更新，將網路設備更新至最新版本或廠商建議版本。」`,
          messageEn: `${whatEn}: version ${matchedVersion} is older than the cycle's latest release ${cycle.latest}.`,
          location,
          items: LATEST_ITEMS,
          detail,
        });
      }
    }
  }
  return { findings, stats };
}
