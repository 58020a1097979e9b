/**
 * Recurring obligations stated in the rule texts, as data. Each names the catalog items it comes from;
 * an obligation is on a firm's calendar only when one of its items applies to the firm.
 *
 * Item references: `DOC@version:path` matches an item's lineage (so CSIM 109's 7.(1) e.(h) is found
 * again as 7.(1) f.(h) after the 112 renumbering); `DOC:path` matches an item id in any version.
 *
 * Due rules (the rules say "每年至少一次", "至少每半年一次", "每三個月" but give no deadline, except
 * CSIM 2.(6)):
 * - `periodEnd`: once in every fiscal period of the frequency, due on the period's last day
 *   (annual → fiscal year end; semiannual → end of each fiscal half; quarterly → end of each
 *   fiscal quarter).
 * - `monthsAfterFiscalYearEnd`: due the given number of months after the fiscal year end, on the
 *   month's last day (CSIM 2.(6): 於會計年度終了後三個月內; 12-31 → 03-31, 06-30 → 09-30).
 */
import type { Fact } from '../catalog/schema.ts';

export type ObligationFrequency = 'annual' | 'semiannual' | 'quarterly';

export type DueRule = { kind: 'periodEnd' } | { kind: 'monthsAfterFiscalYearEnd'; months: number };

export interface ObligationDefinition {
  /** Stable id, used in calendar UIDs. */
  id: string;
  title: string;
  titleEn: string;
  frequency: ObligationFrequency;
  due: DueRule;
  /** Catalog items the obligation comes from (lineage `DOC@version:path` or id `DOC:path`). */
  items: string[];
  /** A fact the firm must also have (e.g. App testing needs apps), beyond the items' own scope. */
  requiresFact?: Fact;
  /** What the text adds that a date cannot say (e.g. "and before the first release"). */
  note?: string;
  noteEn?: string;
}

const PERIOD_END: DueRule = { kind: 'periodEnd' };

export const OBLIGATIONS: readonly ObligationDefinition[] = [
  {
    id: 'board-statement',
    title: '資訊安全整體執行情形聲明書提報董事會並揭露於公開資訊觀測站',
    titleEn: 'Annual information security statement to the board, disclosed on MOPS',
    frequency: 'annual',
    due: { kind: 'monthsAfterFiscalYearEnd', months: 3 },
    items: ['CSIM@109:2.6'],
    note: '於會計年度終了後三個月內揭露前一年度聲明書',
    noteEn: 'Disclose the statement for the previous fiscal year within three months after its end',
  },
  {
    id: 'risk-assessment',
    title: '資訊安全風險評估（每年至少一次）',
    titleEn: 'Information security risk assessment (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:1.3'],
  },
  {
    id: 'policy-review',
    title: '資訊安全政策評估（每年至少一次）',
    titleEn: 'Information security policy review (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:2.4'],
  },
  {
    id: 'system-classification-review',
    title: '資訊系統分級妥適性檢視（每年至少一次）',
    titleEn: 'Review of information system classification (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:4.3'],
  },
  {
    id: 'awareness-training',
    title: '全公司員工資訊安全宣導講習（每年至少一次）',
    titleEn: 'Security awareness session for all staff (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:5.3'],
  },
  {
    id: 'security-staff-training',
    title: '資訊安全專責人員及主管專業訓練十五小時以上並通過評量',
    titleEn: 'Security staff and managers: at least 15 hours of professional training, with assessment',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:3.3'],
  },
  {
    id: 'user-training',
    title: '其他使用資訊系統人員資訊安全宣導課程三小時以上',
    titleEn: 'Other system users: at least 3 hours of security awareness courses',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:3.3'],
  },
  {
    id: 'firewall-rule-review',
    title: '防火牆存取控管設定及網路設備規則年度檢視',
    titleEn: 'Yearly review of firewall access rules and network device rules',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:7.1.b.f', 'CSIM@112:7.1.b.i', 'NET:4.2.3'],
  },
  {
    id: 'social-engineering-drill',
    title: '社交工程演練（每年）',
    titleEn: 'Social-engineering drill (yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:7.1.e.h'],
  },
  {
    id: 'capacity-review',
    title: '電腦系統容量及安全措施評估與壓力測試（每年至少一次）',
    titleEn: 'Computer system capacity and safeguards review with stress test (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:7.2.f'],
  },
  {
    id: 'unused-account-review',
    title: '久未使用之使用者權限審查（至少每半年一次）',
    titleEn: 'Review of long-unused user accounts and rights (at least half-yearly)',
    frequency: 'semiannual',
    due: PERIOD_END,
    items: ['CSIM@109:8.2.f'],
  },
  {
    id: 'staff-password-change',
    title: '公司使用者（客戶除外）密碼變更（至少每三個月一次）',
    titleEn: 'Staff password change (every three months at least; clients excepted)',
    frequency: 'quarterly',
    due: PERIOD_END,
    items: ['CSIM@109:8.3.f'],
  },
  {
    id: 'vulnerability-scan',
    title: '資訊系統弱點掃描（至少每半年一次）',
    titleEn: 'Vulnerability scan of information systems (at least half-yearly)',
    frequency: 'semiannual',
    due: PERIOD_END,
    items: ['CSIM@109:9.9'],
  },
  {
    id: 'app-lab-test',
    title: '行動應用程式第三方實驗室資安檢測（初次上架前及每年）',
    titleEn: 'Third-party lab security test of investor mobile apps (before first release and yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:9.11.c.a', 'ETECH:6.3.3.1'],
    requiresFact: 'mobileApps',
    note: '新 App 須於初次上架前完成檢測',
    noteEn: 'A new app must pass the test before its first release',
  },
  {
    id: 'security-audit',
    title: '資訊安全查核作業（每年至少一次）',
    titleEn: 'Information security audit (at least yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:11.1'],
  },
  {
    id: 'social-media-privacy-review',
    title: '官方社群媒體隱私政策異動檢視及風險評估（每年一次）',
    titleEn: 'Review of official social media privacy policies and their risks (yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:12.2.c.a'],
  },
  {
    id: 'iot-inventory-and-updates',
    title: '物聯網設備管理清冊更新及安全性更新（每年一次）',
    titleEn: 'IoT device inventory update and security updates (yearly)',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:12.4.a', 'CSIM@109:12.4.b'],
  },
  {
    id: 'log-retention',
    title: '確認防火牆進出紀錄、稽核紀錄及網路設備日誌留存三年',
    titleEn: 'Confirm firewall, audit and network device logs are kept for three years',
    frequency: 'annual',
    due: PERIOD_END,
    items: ['CSIM@109:7.1.b.c', 'CSIM@109:8.4.c', 'NET:4.3'],
    note: '留存義務為持續性；本項為年度確認',
    noteEn: 'Retention is continuous; this is a yearly check',
  },
];
