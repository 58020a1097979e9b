/**
 * Recurring activities the regulations require, with their cadence (rolling months) and the rule each
 * one evidences. Cadences the rules leave to the firm's tier (「依其所屬資安分級定期」) default to yearly
 * and can be overridden per firm with `options.cadences`.
 */

export interface ActivityDefinition {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Longest allowed interval between two occurrences, in months. */
  months: number;
  items: string[];
  /** Verbatim rule text quoted in messages. */
  ruleText: string;
  /** Lower-case phrases that name the activity in a record (matched as substrings after normalizing). */
  aliases: string[];
  /** 宜 ("should"): a gap is a warning, not a failure. */
  isAdvisory?: boolean;
  /** True when the cadence is the firm's choice by tier and the default is an assumption. */
  isTierDependent?: boolean;
  /** Required unless `options.activities` says otherwise. */
  isRequiredByDefault: boolean;
}

export const ACTIVITIES: ActivityDefinition[] = [
  {
    id: 'vulnerability-scan',
    nameZh: '弱點掃描',
    nameEn: 'vulnerability scan',
    months: 6,
    items: ['CSIM:9.9'],
    ruleText: 'CSIM 9.(9)：「公司應定期（至少每半年乙次）辦理資訊系統弱點掃描作業」',
    aliases: ['vulnerability scan', 'vulnerability scanning', 'vuln scan', 'vulnerability assessment', '弱點掃描', '弱掃'],
    isRequiredByDefault: true,
  },
  {
    id: 'penetration-test',
    nameZh: '滲透測試',
    nameEn: 'penetration test',
    months: 12,
    items: ['CSIM:7.1.i.a', 'CSIM@112:7.1.j.a', 'NET:6.3.3'],
    ruleText: 'CSIM 7.(1) i.(a)：「公司應依其所屬資安分級定期對提供網際網路服務之核心系統辦理滲透測試，並依測試結果進行改善。」',
    aliases: ['penetration test', 'penetration testing', 'pentest', 'pen test', '滲透測試'],
    isTierDependent: true,
    isRequiredByDefault: true,
  },
  {
    id: 'social-engineering-drill',
    nameZh: '社交工程演練',
    nameEn: 'social-engineering drill',
    months: 12,
    items: ['CSIM:7.1.e.h', 'CSIM@112:7.1.f.h'],
    ruleText: 'CSIM 7.(1) e.(h)：「公司宜每年定期辦理社交工程演練，並對誤開啟信件或連結之人員進行教育訓練，並留存相關紀錄。」',
    aliases: ['social engineering', 'social-engineering', 'phishing drill', 'phishing simulation', 'phishing exercise', '社交工程'],
    isAdvisory: true,
    isRequiredByDefault: true,
  },
  {
    id: 'firewall-rule-review',
    nameZh: '防火牆規則檢視',
    nameEn: 'firewall rule review',
    months: 12,
    items: ['CSIM:7.1.b.f', 'CSIM@112:7.1.b.i', 'NET:4.2.3'],
    ruleText: 'CSIM 7.(1) b.(f)：「公司應每年定期檢視並維護防火牆存取控管設定，並留存相關檢視紀錄。」',
    aliases: ['firewall rule review', 'firewall review', 'firewall policy review', 'network device rule review', 'acl review', '防火牆規則', '防火牆檢視', '防火牆存取控管', '網路設備規則'],
    isRequiredByDefault: true,
  },
  {
    id: 'policy-review',
    nameZh: '資訊安全政策評估',
    nameEn: 'security policy review',
    months: 12,
    items: ['CSIM:2.4'],
    ruleText: 'CSIM 2.(4)：「公司訂定之資訊安全政策，應至少每年評估一次…前開之評估工作應留存相關紀錄。」',
    aliases: ['policy review', 'security policy review', 'policy assessment', '資訊安全政策評估', '資安政策評估', '政策評估', '政策檢視'],
    isRequiredByDefault: true,
  },
  {
    id: 'risk-assessment',
    nameZh: '資訊安全風險評估',
    nameEn: 'risk assessment',
    months: 12,
    items: ['CSIM:1.3'],
    ruleText: 'CSIM 1.(3)：「公司應有書面的資訊安全風險評估報告，每年至少評估一次，並留存相關紀錄。」',
    aliases: ['risk assessment', 'risk evaluation', '風險評估', '風險評鑑'],
    isRequiredByDefault: true,
  },
  {
    id: 'unused-account-review',
    nameZh: '久未使用帳號審查',
    nameEn: 'unused-account review',
    months: 6,
    items: ['CSIM:8.2.f'],
    ruleText: 'CSIM 8.(2) f：「應定期（至少每半年一次）審查並檢討久未使用之使用者權限（使用者為客戶者除外）。」',
    aliases: ['unused account', 'dormant account', 'inactive account', 'idle account', 'account review', 'access review', '久未使用', '閒置帳號', '帳號審查', '權限審查', '帳號權限檢討'],
    isRequiredByDefault: true,
  },
  {
    id: 'capacity-stress-test',
    nameZh: '系統容量壓力測試',
    nameEn: 'capacity stress test',
    months: 12,
    items: ['CSIM:7.2.f'],
    ruleText: 'CSIM 7.(2) f：「證券經紀商之電腦系統應訂定定期（每年至少一次）由內部或委託外部專業機構評估電腦系統容量及安全措施之機制與程序，定期對系統容量進行壓力測試，並留存紀錄。」',
    aliases: ['stress test', 'capacity test', 'load test', 'capacity assessment', '壓力測試', '容量評估', '容量測試'],
    isRequiredByDefault: true,
  },
  {
    id: 'bcp-drill',
    nameZh: '營運持續演練',
    nameEn: 'business continuity drill',
    months: 12,
    items: ['CSIM:10.2', 'CSIM:10.4'],
    ruleText: 'CSIM 10.(2)：「故障復原程序應週期性測試，測試後應召開檢討會議，針對測試缺失謀求改進，並留存紀錄。」',
    aliases: ['bcp', 'business continuity', 'disaster recovery', 'dr drill', 'dr test', 'failover test', 'recovery drill', '營運持續', '業務持續', '故障復原', '災難復原', '異地備援演練', '備援演練'],
    isTierDependent: true,
    isRequiredByDefault: true,
  },
  {
    id: 'app-lab-test',
    nameZh: '行動應用程式第三方資安檢測',
    nameEn: 'mobile app lab test',
    months: 12,
    items: ['CSIM:9.11.c.a', 'ETECH:6.3.3.1'],
    ruleText: 'CSIM 9.(11) c.(a)：「涉及投資人使用之行動應用程式於初次上架前及每年應委由經財團法人全國認證基金會（TAF）認證合格之第三方檢測實驗室進行並完成通過資安檢測」',
    aliases: ['app lab test', 'app test', 'mobile app test', 'app security test', 'mas test', 'app 檢測', 'app檢測', '行動應用程式檢測', '行動應用程式資安檢測'],
    isRequiredByDefault: true,
  },
  {
    id: 'security-audit',
    nameZh: '資訊安全查核',
    nameEn: 'security audit',
    months: 12,
    items: ['CSIM:11.1'],
    ruleText: 'CSIM 11.(1)：「應定期（每年至少一次）辦理資訊安全查核作業（內部辦理或委託外部專業機構），並應留存查核紀錄。」',
    aliases: ['security audit', 'information security audit', 'is audit', '資訊安全查核', '資安查核', '資安稽核', '資訊安全稽核'],
    isRequiredByDefault: true,
  },
  {
    id: 'awareness-training',
    nameZh: '全員資訊安全宣導',
    nameEn: 'security awareness session',
    months: 12,
    items: ['CSIM:5.3'],
    ruleText: 'CSIM 5.(3)：「應定期（每年至少一次）對全公司員工辦理資訊安全宣導講習…並留存紀錄。」',
    aliases: ['awareness', 'security awareness', '資訊安全宣導', '資安宣導', '宣導講習'],
    isRequiredByDefault: false,
  },
  {
    id: 'system-classification-review',
    nameZh: '資訊系統分級檢視',
    nameEn: 'system classification review',
    months: 12,
    items: ['CSIM:4.3'],
    ruleText: 'CSIM 4.(3)：「每年應至少檢視一次資訊系統分級妥適性。」',
    aliases: ['system classification', 'classification review', '系統分級', '資訊系統分級'],
    isRequiredByDefault: false,
  },
  {
    id: 'security-health-check',
    nameZh: '資通安全健診',
    nameEn: 'security health check',
    months: 12,
    items: ['CSIM:7.1.i.b', 'CSIM@112:7.1.j.b', 'NET:6.3.4'],
    ruleText: 'CSIM 7.(1) i.(b)：「公司應依其所屬資安分級定期辦理資通安全健診」',
    aliases: ['health check', 'security health check', 'compromise assessment', '資安健診', '資通安全健診', '健診'],
    isTierDependent: true,
    isRequiredByDefault: false,
  },
  {
    id: 'iot-inventory-update',
    nameZh: '物聯網設備清冊更新',
    nameEn: 'IoT inventory update',
    months: 12,
    items: ['CSIM:12.4.a'],
    ruleText: 'CSIM 12.(4) a：「應建立物聯網設備管理清冊並至少每年更新一次」',
    aliases: ['iot inventory', 'iot device inventory', '物聯網設備清冊', '物聯網清冊'],
    isRequiredByDefault: false,
  },
];

function normalizeActivityText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s_\-]+/g, ' ').trim();
}

/**
 * The activity a record names: its id, else the activity whose longest alias occurs in the text
 * (so "App 檢測報告覆核" still finds app-lab-test, and "firewall rule review" beats "review").
 */
export function matchActivity(text: string, activities: ActivityDefinition[] = ACTIVITIES): ActivityDefinition | undefined {
  const normalized = normalizeActivityText(text);
  const byId = activities.find((activity) => normalizeActivityText(activity.id) === normalized);
  if (byId) {
    return byId;
  }
  let best: { activity: ActivityDefinition; length: number } | undefined;
  for (const activity of activities) {
    for (const alias of [activity.nameZh, activity.nameEn, ...activity.aliases]) {
      const phrase = normalizeActivityText(alias);
      if (phrase !== '' && normalized.includes(phrase) && (best === undefined || phrase.length > best.length)) {
        best = { activity, length: phrase.length };
      }
    }
  }
  return best?.activity;
}
