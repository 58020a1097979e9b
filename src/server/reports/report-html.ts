/**
 * The printable HTML of the three reports: the annual 資訊安全整體執行情形 report for the board
 * (CSIM 2.(6)), the deficiency follow-up report (CSIM 11.(2)) and a self-inspection campaign report.
 * Every value is escaped; the fonts are Noto Sans TC (@font-face rules from `buildFontCss`).
 */
import type { BoardReport } from '../../domain/reports/board-report.ts';
import type { FollowUpReport } from '../../domain/findings/deficiency-rules.ts';
import { SEVERITY_LABELS, SOURCE_LABELS, type DeficiencySource } from '../../domain/findings/deficiency-rules.ts';
import { RESULT_LABELS, type Progress } from '../../domain/assessments/campaign-rules.ts';
import type { CampaignItemView, CampaignView } from '../assessments/campaign-service.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

const CYCLE_LABELS: Record<string, string> = { monthly: '每月', semiannual: '半年', annual: '年度' };
const CAMPAIGN_STATUS_LABELS: Record<string, string> = { open: '進行中', in_review: '審核中', approved: '已核定' };

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** An ISO timestamp as Taipei wall time: 2024-01-05 09:30（UTC+8）. */
function formatTaipeiTime(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}（UTC+8）`;
}

function yesNo(value: boolean | null): string {
  return value === null ? '待補資料' : value ? '是' : '否';
}

function sectionName(section: string, titles: Record<string, string>): string {
  return titles[section] ? `${escapeHtml(titles[section])}<br><span class="code">${escapeHtml(section)}</span>` : escapeHtml(section === '—' ? '未分類' : section);
}

const STYLE = `
  @page { size: A4; }
  * { box-sizing: border-box; }
  body { font-family: 'Noto Sans TC', sans-serif; font-size: 10.5pt; color: #111; line-height: 1.55; margin: 0; }
  h1 { font-size: 17pt; font-weight: 700; text-align: center; margin: 0 0 4mm; }
  h2 { font-size: 12.5pt; font-weight: 700; border-bottom: 1.5px solid #333; padding-bottom: 1mm; margin: 7mm 0 3mm; break-after: avoid; }
  p { margin: 1.5mm 0; }
  .subtitle { text-align: center; color: #444; margin-bottom: 6mm; }
  table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; }
  th, td { border: 1px solid #888; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
  th { background: #eceff3; font-weight: 700; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  tr { break-inside: avoid; }
  .code { color: #555; font-size: 8.5pt; }
  .facts td:first-child { width: 32%; background: #f6f7f9; font-weight: 700; }
  .rule { border-left: 3px solid #999; padding: 1mm 3mm; color: #333; background: #fafafa; white-space: pre-wrap; }
  .ok { color: #135200; font-weight: 700; }
  .bad { color: #a8071a; font-weight: 700; }
  .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; margin-top: 6mm; break-inside: avoid; }
  .signature { border: 1px solid #666; height: 34mm; padding: 2mm 3mm; display: flex; flex-direction: column; justify-content: space-between; }
  .signature .title { font-weight: 700; }
  .signature .line { border-bottom: 1px solid #333; height: 10mm; }
  .signature .date { font-size: 9pt; color: #444; }
  .pre { white-space: pre-wrap; }
  .muted { color: #666; }
`;

function documentHtml(title: string, fontCss: string, body: string): string {
  return `<!doctype html>
<html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${fontCss}</style><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

function progressCells(progress: Progress): string {
  const { byResult } = progress;
  return `<td class="num">${progress.total}</td><td class="num">${byResult.compliant}</td><td class="num">${byResult.partial}</td>`
    + `<td class="num">${byResult.non_compliant}</td><td class="num">${byResult.not_applicable}</td>`
    + `<td class="num">${progress.total - progress.assessed}</td><td class="num">${percent(progress.complianceRate)}</td>`;
}

const PROGRESS_HEADERS = '<th class="num">項目數</th><th class="num">符合</th><th class="num">部分符合</th><th class="num">不符合</th><th class="num">不適用</th><th class="num">未評核</th><th class="num">符合率</th>';

// ── (a) 資訊安全整體執行情形 (board) ────────────────────────────────────────────────────────────────

export function renderBoardReportHtml(report: BoardReport, options: { fontCss: string; sectionTitles: Record<string, string> }): string {
  const classification = report.classification;
  const facts = [
    ['公司名稱', escapeHtml(report.firm.name)],
    ['統一編號', escapeHtml(report.firm.registrationNumber ?? '—')],
    ['會計年度', `${report.fiscalYear} 年度（${escapeHtml(report.period.start)} 至 ${escapeHtml(report.period.end)}）`],
    ['資安分級', classification?.tier ? `第 ${classification.tier} 級` : '待補資料'],
    ['網路安全自律規範類別', classification?.type ? `第 ${classification.type} 類` : '待補資料'],
    ['應設置資訊安全長', yesNo(classification?.cisoRequired ?? null)],
    ['聲明書揭露期限', `${escapeHtml(report.disclosureDue)}（會計年度終了後三個月內）`],
    ['產出日期', escapeHtml(report.generatedOn)],
  ];
  const campaigns = report.campaigns.length === 0
    ? '<p class="muted">本年度無自行查核紀錄。</p>'
    : `<table><thead><tr><th>文件</th><th>週期</th><th>期間</th><th>狀態</th>${PROGRESS_HEADERS}</tr></thead><tbody>${report.campaigns.map((campaign) =>
      `<tr><td>${escapeHtml(campaign.document)} ${escapeHtml(campaign.version)}</td><td>${escapeHtml(CYCLE_LABELS[campaign.cycle] ?? campaign.cycle)}</td>`
      + `<td>${escapeHtml(campaign.period)}</td><td>${escapeHtml(CAMPAIGN_STATUS_LABELS[campaign.status] ?? campaign.status)}</td>${progressCells(campaign.progress)}</tr>`).join('')}</tbody></table>`;
  const sections = report.sections.length === 0 ? '' : `<table><thead><tr><th>章節</th>${PROGRESS_HEADERS}</tr></thead><tbody>${report.sections.map((section) =>
    `<tr><td>${sectionName(section.section, options.sectionTitles)}</td>${progressCells(section)}</tr>`).join('')}
    <tr><th>合計</th>${progressCells(report.overall).replaceAll('<td', '<th').replaceAll('</td>', '</th>')}</tr></tbody></table>`;
  const summary = report.deficiencySummary;
  const deficiencies = report.deficiencies.length === 0
    ? '<p class="muted">本年度無缺失。</p>'
    : `<table><thead><tr><th class="num">編號</th><th>缺失</th><th>來源</th><th>風險</th><th>期限</th><th>狀態</th></tr></thead><tbody>${report.deficiencies.map((deficiency) =>
      `<tr><td class="num">${deficiency.number}</td><td>${escapeHtml(deficiency.title)}</td><td>${escapeHtml(SOURCE_LABELS[deficiency.source as DeficiencySource] ?? deficiency.source)}</td>`
      + `<td>${escapeHtml(SEVERITY_LABELS[deficiency.severity])}</td><td>${escapeHtml(deficiency.dueDate ?? '—')}</td>`
      + `<td>${escapeHtml(deficiency.stateLabel)}${deficiency.isOverdue ? '<span class="bad">（逾期）</span>' : ''}</td></tr>`).join('')}</tbody></table>`;
  const audit = report.auditVerification;
  const body = `
  <h1>${escapeHtml(report.title)}</h1>
  <div class="subtitle">資訊安全整體執行情形聲明書附件 · 提報董事會</div>
  <h2>一、公司基本資料與分級</h2>
  <table class="facts"><tbody>${facts.map(([label, value]) => `<tr><td>${label}</td><td>${value}</td></tr>`).join('')}</tbody></table>
  <div class="rule">建立證券商資通安全檢查機制 2.(6)：${escapeHtml(report.rule)}</div>
  <h2>二、自行查核執行情形</h2>
  ${campaigns}
  <h2>三、各章節查核結果</h2>
  ${sections || '<p class="muted">本年度無查核項目。</p>'}
  <h2>四、缺失及改善情形</h2>
  <p>共 ${summary.total} 項缺失，已結案 ${summary.byState.closed} 項，未結案 ${summary.open} 項（逾期 ${summary.overdue} 項）；高風險 ${summary.bySeverity.high} 項、中風險 ${summary.bySeverity.medium} 項、低風險 ${summary.bySeverity.low} 項。</p>
  ${deficiencies}
  <h2>五、佐證資料</h2>
  <table class="facts"><tbody>
    <tr><td>佐證資料總數</td><td>${report.evidence.total}</td></tr>
    <tr><td>本年度自行查核引用之佐證</td><td>${report.evidence.linkedToCampaigns}</td></tr>
    <tr><td>已逾有效期限</td><td>${report.evidence.expired}</td></tr>
  </tbody></table>
  <h2>六、稽核軌跡完整性驗證</h2>
  <p>驗證時間 ${escapeHtml(formatTaipeiTime(audit.verifiedAt))}，共 ${audit.events} 筆事件：${audit.ok ? '<span class="ok">雜湊鏈完整，未發現竄改、刪除或插入。</span>' : '<span class="bad">雜湊鏈遭破壞：</span>'}</p>
  ${audit.problems.length > 0 ? `<ul>${audit.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul>` : ''}
  <h2>七、聯名出具</h2>
  <p>本公司${report.fiscalYear} 年度資訊安全整體執行情形如上，由下列人員聯名出具，並提報董事會通過。</p>
  <div class="signatures">${report.signatories.map((signatory) =>
    `<div class="signature"><div class="title">${escapeHtml(signatory.title)}</div><div class="line"></div><div class="date">簽章　　　　　　日期：　　年　　月　　日</div></div>`).join('')}</div>
  `;
  return documentHtml(report.title, options.fontCss, body);
}

// ── (b) 缺失追蹤改善報告 (CSIM 11.(2)) ─────────────────────────────────────────────────────────────

export function renderFollowUpReportHtml(report: FollowUpReport, options: { fontCss: string }): string {
  const scope = report.scope;
  const body = `
  <h1>${escapeHtml(report.title)}</h1>
  <div class="subtitle">產出日期 ${escapeHtml(report.generatedOn)} · 建立證券商資通安全檢查機制 11.(2)</div>
  <h2>一、查核摘要</h2>
  <p>${escapeHtml(report.summary.text)}</p>
  <h2>二、查核範圍</h2>
  <table class="facts"><tbody>
    <tr><td>缺失來源</td><td>${escapeHtml(scope.sources.map((source) => SOURCE_LABELS[source]).join('、') || '—')}</td></tr>
    <tr><td>期間</td><td>${escapeHtml(scope.from ?? '—')} 至 ${escapeHtml(scope.to ?? '—')}</td></tr>
    <tr><td>涉及條文</td><td>${escapeHtml(scope.items.join('、') || '—')}</td></tr>
  </tbody></table>
  <h2>三、缺失說明及改進建議</h2>
  ${report.findings.length === 0 ? '<p class="muted">無缺失。</p>' : `<table><thead><tr><th class="num">編號</th><th>缺失說明</th><th>條文</th><th>風險</th><th>改進建議</th><th>改善計畫</th></tr></thead><tbody>${report.findings.map((finding) =>
    `<tr><td class="num">${finding.number}</td><td><b>${escapeHtml(finding.title)}</b>${finding.description ? `<div class="pre">${escapeHtml(finding.description)}</div>` : ''}<div class="code">${escapeHtml(SOURCE_LABELS[finding.source])}</div></td>`
    + `<td>${escapeHtml(finding.items.join('、') || '—')}</td><td>${escapeHtml(SEVERITY_LABELS[finding.severity])}</td>`
    + `<td class="pre">${escapeHtml(finding.recommendation ?? '—')}</td><td class="pre">${escapeHtml(finding.plan ?? '—')}</td></tr>`).join('')}</tbody></table>`}
  <h2>四、改善情形</h2>
  ${report.findings.length === 0 ? '<p class="muted">無缺失。</p>' : `<table><thead><tr><th class="num">編號</th><th>負責人</th><th>完成期限</th><th>狀態</th><th>結案日</th></tr></thead><tbody>${report.findings.map((finding) =>
    `<tr><td class="num">${finding.number}</td><td>${escapeHtml(finding.ownerName ?? '—')}</td><td>${escapeHtml(finding.dueDate ?? '—')}</td>`
    + `<td>${escapeHtml(finding.stateLabel)}${finding.isOverdue ? '<span class="bad">（逾期）</span>' : ''}</td><td>${escapeHtml((finding.closedAt ?? '').slice(0, 10) || '—')}</td></tr>`).join('')}</tbody></table>`}
  `;
  return documentHtml(report.title, options.fontCss, body);
}

// ── (c) 自行查核報告 ──────────────────────────────────────────────────────────────────────────────

export function renderCampaignReportHtml(
  data: { firmName: string; campaign: CampaignView; items: CampaignItemView[]; generatedOn: string },
  options: { fontCss: string; sectionTitles: Record<string, string> },
): string {
  const { campaign, items } = data;
  const title = `${data.firmName} ${campaign.title}`;
  const body = `
  <h1>${escapeHtml(title)}</h1>
  <div class="subtitle">自行查核報告 · 產出日期 ${escapeHtml(data.generatedOn)}</div>
  <table class="facts"><tbody>
    <tr><td>公司名稱</td><td>${escapeHtml(data.firmName)}</td></tr>
    <tr><td>依據</td><td>${escapeHtml(campaign.document)} ${escapeHtml(campaign.version)}</td></tr>
    <tr><td>週期／期間</td><td>${escapeHtml(CYCLE_LABELS[campaign.cycle] ?? campaign.cycle)}查核 ${escapeHtml(campaign.period)}（${escapeHtml(campaign.periodStart ?? '—')} 至 ${escapeHtml(campaign.periodEnd ?? '—')}）</td></tr>
    <tr><td>完成期限</td><td>${escapeHtml(campaign.dueDate ?? '—')}${campaign.isOverdue ? '<span class="bad">（逾期）</span>' : ''}</td></tr>
    <tr><td>狀態</td><td>${escapeHtml(CAMPAIGN_STATUS_LABELS[campaign.status] ?? campaign.status)}${campaign.approvedAt ? `（核定於 ${escapeHtml(campaign.approvedAt.slice(0, 10))}）` : ''}</td></tr>
    <tr><td>符合率</td><td>${percent(campaign.progress.complianceRate)}</td></tr>
  </tbody></table>
  <h2>一、各章節結果</h2>
  <table><thead><tr><th>章節</th>${PROGRESS_HEADERS}</tr></thead><tbody>${campaign.sections.map((section) =>
    `<tr><td>${sectionName(section.section, options.sectionTitles)}</td>${progressCells(section)}</tr>`).join('')}
    <tr><th>合計</th>${progressCells(campaign.progress).replaceAll('<td', '<th').replaceAll('</td>', '</th>')}</tr></tbody></table>
  <h2>二、查核項目</h2>
  <table><thead><tr><th>條文</th><th>內容</th><th>結果</th><th>說明</th><th class="num">佐證</th></tr></thead><tbody>${items.map((item) =>
    `<tr><td>${escapeHtml(item.itemId)}</td><td class="pre">${escapeHtml(item.text ?? '原文未載（略）')}</td>`
    + `<td>${escapeHtml(item.result ? RESULT_LABELS[item.result] : '未評核')}</td>`
    + `<td class="pre">${escapeHtml([item.justification, item.notes].filter(Boolean).join('\n') || '—')}</td>`
    + `<td class="num">${item.evidence.filter((entry) => !entry.isDeleted).length}</td></tr>`).join('')}</tbody></table>
  `;
  return documentHtml(title, options.fontCss, body);
}
