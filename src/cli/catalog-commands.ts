/**
 * `anjian catalog …`: list documents, versions and items, show one item, search, compare two versions
 * and export. `--json` prints what the API returns for the same question (same presenters).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  diffCatalog, getItemDetail, getItems, listDocumentVersions, listGlossary, searchCatalogPage,
} from '../server/catalog/catalog-service.ts';
import {
  buildDiffWorkbook, exportCatalog, EXPORT_FORMATS, renderDiffMarkdown, type ExportFormat,
} from '../server/catalog/catalog-export.ts';
import { presentItem, presentSearch, SEARCH_LIMIT_MAX } from '../server/routes/catalog-routes.ts';
import { highlight, queryPhrases } from '../domain/search/grams.ts';
import { DOCUMENT_CODES, type DocumentCode } from '../domain/catalog/schema.ts';
import type { CatalogItem } from '../domain/catalog/resolve.ts';
import { oneOf, UsageError, type CliContext } from './cli-context.ts';
import { renderDiffTable } from './terminal-table.ts';

const DIFF_FORMATS = ['table', 'markdown', 'json', 'xlsx'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

function parseDocument(argument: string, value: string): DocumentCode {
  const upper = value.toUpperCase();
  if (!(DOCUMENT_CODES as readonly string[]).includes(upper)) {
    throw new UsageError(argument, `沒有文件 ${value}（可用：${DOCUMENT_CODES.join('、')}）`, `unknown document ${value} (known: ${DOCUMENT_CODES.join(', ')})`);
  }
  return upper as DocumentCode;
}

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > SEARCH_LIMIT_MAX) {
    throw new UsageError('--limit', `必須是 1 到 ${SEARCH_LIMIT_MAX} 的整數（與 API 相同），收到 ${value}`, `must be an integer from 1 to ${SEARCH_LIMIT_MAX} (as the API), got ${value}`);
  }
  return number;
}

function isColourWanted(context: CliContext, option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  if (process.env.NO_COLOR) return false;
  return context.io.stdout.isTTY === true;
}

function shorten(text: string, columns: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > columns ? `${flat.slice(0, columns - 1)}…` : flat;
}

function describeScope(item: CatalogItem): string {
  if (!item.scope) return '所有證券商 / every firm';
  return `${item.scope.text}${item.scope.statedAt && item.scope.statedAt !== item.path ? `（見 ${item.scope.statedAt}）` : ''}`;
}

const CYCLE_LABELS: Record<string, string> = { monthly: '每月 monthly', semiannual: '每半年 semiannual', annual: '每年 annual' };

async function listCatalog(context: CliContext, document: string | undefined, options: { version?: string; json?: boolean }) {
  const { db } = await context.runtime();
  if (document === undefined) {
    if (options.version !== undefined) throw new UsageError('--version', '指定 --version 時也要指定文件 DOC', '--version needs a document DOC');
    const versions = await listDocumentVersions(db);
    if (options.json) {
      context.printJson({ versions });
      return;
    }
    const lines = ['文件 版本 日期 標題 / document version date title'];
    for (const version of versions) {
      lines.push(`${version.document.padEnd(6)}${version.version.padEnd(8)}${version.date}  ${version.title}${version.isLatest ? '  （最新 latest）' : ''}`);
    }
    context.print(lines.join('\n'));
    return;
  }
  const code = parseDocument('DOC', document);
  const { version, items } = await getItems(db, code, options.version);
  if (options.json) {
    context.printJson({ document: code, version, items: items.map(presentItem) });
    return;
  }
  const lines = [`${code} ${version}：${items.length} 項 / items`];
  for (const item of items) {
    const indent = '  '.repeat(item.depth - 1);
    const body = item.notInSource ? '（略 / not in source）' : shorten(item.title ?? item.text ?? '', 60);
    lines.push(`${indent}${item.path}  ${item.label ?? ''} ${body}`.trimEnd());
  }
  context.print(lines.join('\n'));
}

async function showItem(context: CliContext, id: string, options: { json?: boolean }) {
  const { db } = await context.runtime();
  const detail = await getItemDetail(db, id);
  if (options.json) {
    context.printJson({ ...presentItem(detail.item), history: detail.history, children: detail.children, references: detail.references });
    return;
  }
  const item = detail.item;
  const lines = [
    `${item.versionedId}${item.label ? `  ${item.label}` : ''}${item.title ? `  ${item.title}` : ''}`,
    '',
    item.notInSource ? '（原文未載，略 / the source does not give this text）' : (item.text ?? ''),
    '',
    `代碼 code:        ${item.code ?? '—'}`,
    `查核週期 cycle:   ${item.cycle ? CYCLE_LABELS[item.cycle] : '—'}`,
    `適用範圍 scope:   ${describeScope(item)}`,
    `依資安分級 tier:  ${item.tierDependent ? '是 yes' : '否 no'}`,
    `生效 effective:   ${item.effective ? `${item.effective.from}（${item.effective.text}）${(item.effective.milestones ?? []).map((milestone) => ` ${milestone.label} ${milestone.from}`).join('')}` : '—'}`,
  ];
  if (item.levels) {
    const marked = (['L1', 'L2', 'L3', 'F'] as const).filter((level) => item.levels![level]);
    lines.push(`MAS 等級 levels:  ${marked.length ? marked.join('、') : '—'}${item.requirementCode ? `（${item.requirementCode}）` : ''}`);
  }
  lines.push(`沿革 lineage:     ${item.lineage}`);
  lines.push(`來源 source:      ${item.sourceFile}${item.sourceLine ? `:${item.sourceLine}` : ''}`);
  if (item.change) {
    lines.push(`本版異動 change:  ${item.change.kind}${item.change.fromPath ? `（原 ${item.change.fromPath}）` : ''}${item.change.reason ? `：${item.change.reason}` : ''}`);
  }
  lines.push('', '版本 versions:');
  for (const entry of detail.history) {
    lines.push(`  ${entry.version.padEnd(8)}${entry.path.padEnd(12)}${entry.notInSource ? '（略）' : shorten(entry.text ?? '', 50)}${entry.change ? `  [${entry.change.kind}]` : ''}`);
  }
  if (detail.children.length > 0) {
    lines.push('', '子項 children:');
    for (const child of detail.children) lines.push(`  ${child.id}  ${shorten(child.title ?? child.text ?? '（略）', 50)}`);
  }
  if (detail.references.length > 0) {
    lines.push('', '參照 references:');
    for (const reference of detail.references) {
      lines.push(`  ${reference.direction === 'refers_to' ? '→' : '←'} ${reference.id}  ${shorten(reference.text ?? '', 50)}`);
    }
  }
  if (item.note) lines.push('', `註 note: ${item.note}`);
  context.print(lines.join('\n'));
}

async function searchCommand(context: CliContext, query: string, options: { document?: string; version?: string; limit: number; json?: boolean; color?: boolean }) {
  if (query.trim().length === 0) throw new UsageError('QUERY', '請輸入搜尋字詞', 'enter a search term');
  const document = options.document === undefined ? undefined : parseDocument('--document', options.document);
  if (options.version !== undefined && document === undefined) throw new UsageError('--version', '指定 --version 時也要指定 --document', '--version needs --document');
  const { db } = await context.runtime();
  const page = await searchCatalogPage(db, query, { document, version: options.version, limit: options.limit });
  const results = page.results;
  const phrases = queryPhrases(query);
  if (options.json) {
    context.printJson(presentSearch(query, page));
    return;
  }
  const isColour = isColourWanted(context, options.color);
  const lines = [`「${query}」：共 ${page.total} 筆${page.total > results.length ? `，顯示前 ${results.length} 筆` : ''} / ${page.total} results${page.total > results.length ? `, first ${results.length} shown` : ''}`];
  for (const result of results) {
    const text = highlight(result.item.text ?? result.item.title ?? '', phrases)
      .map((segment) => (segment.hit ? (isColour ? `\u001b[1;33m${segment.text}\u001b[0m` : `【${segment.text}】`) : segment.text))
      .join('');
    lines.push(`${result.item.versionedId}  （版本 ${result.versions.join('、')}）`, `    ${text.replace(/\s+/g, ' ')}`);
  }
  context.print(lines.join('\n'));
}

async function glossaryCommand(context: CliContext, options: { document?: string; version?: string; json?: boolean }) {
  const document = options.document === undefined ? undefined : parseDocument('--document', options.document);
  if (options.version !== undefined && document === undefined) throw new UsageError('--version', '指定 --version 時也要指定 --document', '--version needs --document');
  const { db } = await context.runtime();
  const entries = await listGlossary(db, { document, version: options.version });
  if (options.json) {
    context.printJson({ entries });
    return;
  }
  const lines = [`名詞定義 glossary：${entries.length} 個名詞 / terms`];
  for (const entry of entries) {
    lines.push(`${entry.term}  （${entry.versionedId}）`, `    ${entry.notInSource ? '（略 / not in source）' : (entry.definition ?? '').replace(/\s+/g, ' ')}`);
  }
  context.print(lines.join('\n'));
}

async function availableVersions(context: CliContext, document: DocumentCode): Promise<string[]> {
  const { db } = await context.runtime();
  return (await listDocumentVersions(db)).filter((version) => version.document === document).map((version) => version.version);
}

async function diffCommand(
  context: CliContext,
  documentArgument: string,
  from: string,
  to: string,
  options: { format?: DiffFormat; output?: string; json?: boolean; color?: boolean; detail?: boolean },
) {
  const document = parseDocument('DOC', documentArgument);
  const format: DiffFormat = options.json ? 'json' : (options.format ?? 'table');
  if (format === 'xlsx' && !options.output) {
    throw new UsageError('--output', 'XLSX 需要 --output FILE（不輸出二進位資料到終端機）', 'xlsx needs --output FILE (binary is not written to the terminal)');
  }
  const known = await availableVersions(context, document);
  for (const [argument, version] of [['FROM', from], ['TO', to]] as const) {
    if (!known.includes(version)) {
      throw new UsageError(argument, `${document} 沒有版本 ${version}（現有：${known.join('、')}）`, `${document} has no version ${version} (known: ${known.join(', ')})`);
    }
  }
  const { db } = await context.runtime();
  const diff = await diffCatalog(db, document, from, to, { detail: options.detail });
  let content: string | Buffer;
  switch (format) {
    case 'json':
      content = `${JSON.stringify(diff, null, 2)}\n`;
      break;
    case 'markdown':
      content = renderDiffMarkdown(diff);
      break;
    case 'xlsx':
      content = await buildDiffWorkbook(diff);
      break;
    case 'table':
      content = renderDiffTable(diff, {
        totalWidth: context.io.stdout.columns ?? 140,
        isColour: options.output ? false : isColourWanted(context, options.color),
      });
      break;
  }
  if (options.output) {
    const path = resolve(context.io.cwd ?? process.cwd(), options.output);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    context.io.stderr.write(`已寫入 wrote ${path}（${diff.rows.length} 列 rows）\n`);
    return;
  }
  context.io.stdout.write(typeof content === 'string' ? content : content.toString('base64'));
}

async function exportCommand(context: CliContext, options: { format: ExportFormat; document?: string; version?: string; output?: string; json?: boolean }) {
  const document = options.document === undefined ? undefined : parseDocument('--document', options.document);
  if (options.version !== undefined && document === undefined) throw new UsageError('--version', '指定 --version 時也要指定 --document', '--version needs --document');
  const { db } = await context.runtime();
  const files = await exportCatalog(db, { format: options.format, document, version: options.version });
  const directory = resolve(context.io.cwd ?? process.cwd(), options.output ?? 'catalog-export');
  mkdirSync(directory, { recursive: true });
  const written = files.map((file) => {
    const path = resolve(directory, file.fileName);
    writeFileSync(path, file.content);
    return { document: file.document, version: file.version, path, bytes: Buffer.byteLength(file.content) };
  });
  if (options.json) {
    context.printJson({ format: options.format, directory, files: written });
    return;
  }
  context.print([`已匯出 ${written.length} 個檔案 / exported ${written.length} files (${options.format}) to ${directory}`, ...written.map((file) => `  ${file.path}`)].join('\n'));
}

export function registerCatalogCommands(program: Command, context: CliContext): void {
  const catalog = program.command('catalog').description('法規目錄：文件、版本、條文、檢索、對照、匯出 / the regulation catalog');

  catalog
    .command('list')
    .description('列出文件與版本，或某文件某版本的條文樹 / documents and versions, or the items of one version as a tree')
    .argument('[DOC]', `文件 document (${DOCUMENT_CODES.join(', ')})`)
    .option('--version <V>', '版本（預設最新）/ version (default: latest)')
    .option('--json', '輸出 JSON（與 API 相同）/ print JSON (as the API)')
    .action((document: string | undefined, options) => listCatalog(context, document, options));

  catalog
    .command('show')
    .description('單一條文：內容、週期、適用範圍、生效日、版本與沿革 / one item: text, cycle, scope, effective dates, versions, lineage')
    .argument('<ID>', '條文編號，如 CSIM:7.1.a.h 或 CSIM@109:7.1.d / item id')
    .option('--json', '輸出 JSON（與 API 相同）/ print JSON (as the API)')
    .action((id: string, options) => showItem(context, id, options));

  catalog
    .command('search')
    .description('全文檢索 / full-text search')
    .argument('<QUERY>', '搜尋字詞，如 防火牆 / search terms')
    .option('--document <D>', '只搜尋某文件 / only this document')
    .option('--version <V>', '只搜尋某版本 / only this version')
    .option('--limit <N>', '最多幾筆 / at most N results', parsePositiveInteger, 50)
    .option('--color', '以顏色標示 / highlight in colour')
    .option('--no-color', '不使用顏色 / no colour')
    .option('--json', '輸出 JSON（與 API 相同）/ print JSON (as the API)')
    .action((query: string, options) => searchCommand(context, query, options));

  catalog
    .command('glossary')
    .description('名詞定義：各文件定義之名詞與出處 / the terms the documents define, with their source items')
    .option('--document <D>', '只列某文件，如 NET / only this document')
    .option('--version <V>', '某版本（預設最新）/ version (default: latest)')
    .option('--json', '輸出 JSON（與 API 相同）/ print JSON (as the API)')
    .action((options) => glossaryCommand(context, options));

  catalog
    .command('diff')
    .description('兩版本的條文對照表（修正條文 | 現行條文 | 說明）/ the comparison table of two versions')
    .argument('<DOC>', `文件 document (${DOCUMENT_CODES.join(', ')})`)
    .argument('<FROM>', '舊版本 older version, e.g. 111')
    .argument('<TO>', '新版本 newer version, e.g. 112')
    .addOption(new Option('--format <F>', '輸出格式 / output format').choices(DIFF_FORMATS).default('table'))
    .option('--output <FILE>', '寫入檔案 / write to FILE')
    .option('--color', '以顏色標示異動 / mark changes in colour')
    .option('--no-color', '不使用顏色 / no colour')
    .option('--json', '同 --format json / same as --format json')
    .option('--detail', '每一異動條文一列（不併入上層）/ one row per changed item (sub-items that only moved are not folded into their parent)')
    .action((document: string, from: string, to: string, options) => diffCommand(context, document, from, to, options));

  catalog
    .command('export')
    .description('匯出目錄（每一文件版本一個檔案）/ export the catalog, one file per document version')
    .requiredOption('--format <F>', `格式 format (${EXPORT_FORMATS.join(', ')})`, oneOf(EXPORT_FORMATS))
    .option('--document <D>', '只匯出某文件 / only this document')
    .option('--version <V>', '只匯出某版本 / only this version')
    .option('--output <DIR>', '輸出目錄 / output directory', 'catalog-export')
    .option('--json', '以 JSON 列出寫入的檔案 / list the written files as JSON')
    .action((options) => exportCommand(context, options));
}
