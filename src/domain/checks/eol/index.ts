/**
 * Check `eol`: inventory items past or near end of life (NET 第四條一、(一); CSIM 112 7.(1) a.(j)).
 * Inputs: an inventory (CSV, XLSX or JSON) and lifecycle data in endoflife.date's API format.
 */
import { CheckInputError, type CheckDefinition, type CheckInput, type CheckOptions } from '../types.ts';
import { buildResult, resolveEvaluationDate } from './check-support.ts';
import { EOL_ITEMS, evaluateEol } from './evaluate-eol.ts';
import { isLifecycleJson, parseLifecycleFile, type LifecycleData } from './parse-lifecycle.ts';
import { detectFormat, readTable, textOf, type ColumnSpec, type Table } from './read-table.ts';

export const INVENTORY_COLUMNS: ColumnSpec = {
  aliases: {
    name: ['hostname', 'host', 'device', 'asset', 'asset_id', 'asset_name', '設備名稱', '主機名稱', '資產名稱', '資產編號', '名稱'],
    vendor: ['manufacturer', 'maker', 'brand', '廠商', '製造商', '原廠', '品牌'],
    product: ['product_name', 'software', 'os', 'platform', '產品', '產品名稱', '軟體', '作業系統'],
    version: ['ver', 'release', 'firmware', 'os_version', 'software_version', '版本', '韌體版本'],
    role: ['type', 'category', 'function', '用途', '角色', '類型', '設備類型'],
    location: ['site', '位置', '地點', '機房'],
    retirement_plan: ['retirement', 'plan', 'replacement_plan', 'decommission_plan', '汰除計畫', '汰換計畫', '汰除計劃', '汰換計劃'],
    retirement_date: ['planned_retirement', 'decommission_date', 'replacement_date', '汰除日期', '預計汰除日期', '汰換日期'],
    lifecycle_product: ['eol_product', 'endoflife_product', 'endoflife', '生命週期產品'],
  },
  required: ['product'],
  jsonKeys: ['inventory', 'items', 'assets', 'devices'],
};

function isLifecycleInput(input: CheckInput, format: string | undefined): boolean {
  if (detectFormat(input, format) !== 'json' && !input.name.toLowerCase().endsWith('.json')) {
    return false;
  }
  try {
    return isLifecycleJson(JSON.parse(textOf(input).replace(/^\uFEFF/, '')));
  } catch {
    return false;
  }
}

export const eolCheck: CheckDefinition = {
  id: 'eol',
  title: '生命週期終止(EOL/EOS)設備檢查',
  titleEn: 'End-of-life (EOL/EOS) inventory check',
  version: '1.0.0',
  inputKinds: ['inventory-csv', 'inventory-xlsx', 'inventory-json', 'endoflife-json'],
  items: EOL_ITEMS,
  async run(inputs, options: CheckOptions) {
    const at = resolveEvaluationDate(options.at);
    const lifecycle: LifecycleData = new Map();
    const inventories: Table[] = [];
    for (const input of inputs) {
      if (isLifecycleInput(input, undefined)) {
        parseLifecycleFile(input.name, textOf(input), lifecycle);
      } else {
        const format = typeof options.format === 'string' ? options.format : undefined;
        inventories.push(await readTable(input, INVENTORY_COLUMNS, format));
      }
    }
    if (inventories.length === 0) {
      throw new CheckInputError('需要資產清冊（CSV/XLSX/JSON）/ an inventory file is required');
    }
    if (lifecycle.size === 0) {
      throw new CheckInputError('需要生命週期資料（endoflife.date JSON）/ lifecycle data (endoflife.date JSON) is required');
    }
    const warningDays = typeof options.warningDays === 'number' ? options.warningDays : 180;
    const productAliases =
      options.productAliases !== null && typeof options.productAliases === 'object'
        ? (options.productAliases as Record<string, string>)
        : undefined;
    const findings = [];
    const totals = { rows: 0, matched: 0, pastEol: 0, eolSoon: 0, supportEnded: 0, unknown: 0 };
    for (const table of inventories) {
      const result = evaluateEol(table.file, table.rows, lifecycle, { at, warningDays, productAliases });
      findings.push(...result.findings);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
        totals[key] += result.stats[key];
      }
    }
    return buildResult({
      check: 'eol',
      checkVersion: '1.0.0',
      items: EOL_ITEMS,
      findings,
      stats: { ...totals, products: lifecycle.size, at, warningDays },
      summary: () => ({
        zh: `${totals.rows} 項資產：${totals.pastEol} 項已終止支援、${totals.eolSoon} 項 ${warningDays} 天內終止、${totals.unknown} 項無法判定（評估日 ${at}）。`,
        en: `${totals.rows} assets: ${totals.pastEol} past end of life, ${totals.eolSoon} within ${warningDays} days, ${totals.unknown} undetermined (as of ${at}).`,
      }),
    });
  },
};
