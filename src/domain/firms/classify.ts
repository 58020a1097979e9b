/**
 * Classifies a firm from its profile: must it appoint a CISO, which security tier it is in, whether it
 * is a NET Type 1 or Type 2 firm, and whether it is foreign. Each answer carries its reason and source.
 * An answer the profile cannot support is null, with a reason that names the field to fill in.
 */
import { readBrokerage, type FirmProfile } from './profile.ts';

export type Tier = 1 | 2 | 3 | 4;
export type ClassificationTopic = 'ciso' | 'tier' | 'type' | 'foreign';

export interface ClassificationReason {
  topic: ClassificationTopic;
  /**
   * ciso: required | not_required | needs_answer; tier: tier_1 … tier_4 | needs_answer;
   * type: type_1 | type_2 | needs_answer; foreign: foreign | domestic | needs_answer.
   */
  verdict: string;
  text: string;
  textEn: string;
  /** The rule the answer rests on. */
  source: string;
}

export interface FirmClassification {
  cisoRequired: boolean | null;
  tier: Tier | null;
  tierSource: 'default' | 'override';
  type: 1 | 2 | null;
  foreign: boolean | null;
  reasons: ClassificationReason[];
}

const NTD_BILLION = 1_000_000_000;
export const CISO_CAPITAL_THRESHOLD_NTD = 10 * NTD_BILLION;
export const CISO_INTERNET_DMA_TURNOVER_PCT = 60;
export const CISO_BROKERAGE_MARKET_SHARE_PCT = 2;
export const CISO_NATURAL_PERSON_CLIENT_PCT = 50;

/** Default tier thresholds by paid-in capital (product default; the seeds give none). */
export const TIER_CAPITAL_THRESHOLDS: { tier: Tier; minimumNtd: number }[] = [
  { tier: 1, minimumNtd: 20 * NTD_BILLION },
  { tier: 2, minimumNtd: 10 * NTD_BILLION },
  { tier: 3, minimumNtd: 4 * NTD_BILLION },
  { tier: 4, minimumNtd: 0 },
];

const CISO_SOURCE =
  '證券暨期貨市場各服務事業建立內部控制制度處理準則第36條之2（金管證券字第11003637894號，110年9月30日；主管機關說明簡報）';
const CISO_QUOTE =
  '「證券商實收資本額達新臺幣(以下同)一百億元以上或符合下列條件者應指派副總經理以上或職責相當之人兼任資訊安全長」';
const CISO_READING =
  '「符合下列條件者」所列三款，本系統解讀為須同時符合（累計適用）';
const CISO_READING_EN =
  'the three conditions listed under "符合下列條件者" are read as cumulative: all three must be met';
const TIER_SOURCE =
  '建立證券商資通安全檢查機制 2.(7)「分級防護應辦事項附表」；網路安全自律規範第二條六、';
const TYPE_SOURCE = '網路安全自律規範第二條六、七、';
const FOREIGN_SOURCE = '網路安全自律規範第二條八、；新興科技資通安全自律規範第三條';

function formatBillions(ntd: number): string {
  const billions = ntd / NTD_BILLION;
  return `${Number.isInteger(billions) ? billions : billions.toFixed(2)}`;
}

/** 億 = 100 million; zh-TW text states capital in 億元. */
function formatYi(ntd: number): string {
  const yi = ntd / 100_000_000;
  return `${Number.isInteger(yi) ? yi : yi.toFixed(2)} 億元`;
}

type Tri = boolean | null;

interface CisoCondition {
  label: string;
  labelEn: string;
  field: string;
  value: Tri;
  detail: string;
  detailEn: string;
}

function describeShareCondition(
  value: number | undefined,
  threshold: number,
  label: string,
  labelEn: string,
  field: string,
  impliedZero: { zh: string; en: string } | null,
): CisoCondition {
  if (value !== undefined) {
    const met = value >= threshold;
    return {
      label,
      labelEn,
      field,
      value: met,
      detail: `${label} ${value}%（${met ? '達' : '未達'} ${threshold}%）`,
      detailEn: `${labelEn} ${value} % (${met ? 'meets' : 'below'} ${threshold} %)`,
    };
  }
  if (impliedZero) {
    return { label, labelEn, field, value: false, detail: impliedZero.zh, detailEn: impliedZero.en };
  }
  return {
    label,
    labelEn,
    field,
    value: null,
    detail: `${label}未填（${field}）`,
    detailEn: `${labelEn} not given (${field})`,
  };
}

function classifyCiso(profile: FirmProfile): { value: Tri; reason: ClassificationReason } {
  const capital = profile.paidInCapitalNtd;
  const reason = (verdict: string, text: string, textEn: string): ClassificationReason => ({
    topic: 'ciso',
    verdict,
    text,
    textEn,
    source: CISO_SOURCE,
  });
  if (capital !== undefined && capital >= CISO_CAPITAL_THRESHOLD_NTD) {
    return {
      value: true,
      reason: reason(
        'required',
        `應指派資訊安全長：實收資本額 ${formatYi(capital)}，達一百億元以上。依據${CISO_QUOTE}。`,
        `A CISO is required: paid-in capital NT$${formatBillions(capital)} billion is at least NT$10 billion.`,
      ),
    };
  }

  const channels = profile.channels;
  const noInternetNorDma = channels?.internet === false && channels?.dma === false;
  const brokerage = readBrokerage(profile);
  const conditions: CisoCondition[] = [
    describeShareCondition(
      profile.shares?.internetDmaTurnoverPct,
      CISO_INTERNET_DMA_TURNOVER_PCT,
      '網際網路下單加計 DMA 成交金額占比',
      'internet plus DMA turnover share',
      'shares.internetDmaTurnoverPct',
      noInternetNorDma
        ? { zh: '未提供網際網路下單及 DMA，占比為 0%（未達 60%）', en: 'no internet ordering and no DMA, so 0 % (below 60 %)' }
        : null,
    ),
    describeShareCondition(
      profile.shares?.brokerageMarketSharePct,
      CISO_BROKERAGE_MARKET_SHARE_PCT,
      '經紀業務成交金額市占率',
      'brokerage market share',
      'shares.brokerageMarketSharePct',
      brokerage === false
        ? { zh: '未經營經紀業務，市占率為 0%（未達 2%）', en: 'no brokerage business, so 0 % market share (below 2 %)' }
        : null,
    ),
    describeShareCondition(
      profile.shares?.naturalPersonClientPct,
      CISO_NATURAL_PERSON_CLIENT_PCT,
      '自然人客戶數占比',
      'natural-person client share',
      'shares.naturalPersonClientPct',
      null,
    ),
  ];
  const conditionsMet: Tri = conditions.some((c) => c.value === false)
    ? false
    : conditions.every((c) => c.value === true)
      ? true
      : null;
  const detail = conditions.map((c) => c.detail).join('；');
  const detailEn = conditions.map((c) => c.detailEn).join('; ');
  const capitalText =
    capital === undefined ? '實收資本額未填（paidInCapitalNtd）' : `實收資本額 ${formatYi(capital)}，未達一百億元`;
  const capitalTextEn =
    capital === undefined
      ? 'paid-in capital not given (paidInCapitalNtd)'
      : `paid-in capital NT$${formatBillions(capital)} billion is below NT$10 billion`;
  const reading = `${CISO_READING}。依據${CISO_QUOTE}。`;

  if (conditionsMet === true) {
    return {
      value: true,
      reason: reason(
        'required',
        `應指派資訊安全長：三項條件均符合（${detail}）。${reading}`,
        `A CISO is required: all three conditions are met (${detailEn}); ${CISO_READING_EN}.`,
      ),
    };
  }
  if (conditionsMet === false && capital !== undefined) {
    return {
      value: false,
      reason: reason(
        'not_required',
        `無須指派資訊安全長：${capitalText}，且未同時符合三項條件（${detail}）。${reading}`,
        `No CISO required: ${capitalTextEn}, and the three conditions are not all met (${detailEn}); ${CISO_READING_EN}.`,
      ),
    };
  }
  const missing = [
    ...(capital === undefined ? ['paidInCapitalNtd'] : []),
    ...(conditionsMet === null ? conditions.filter((c) => c.value === null).map((c) => c.field) : []),
  ];
  return {
    value: null,
    reason: reason(
      'needs_answer',
      `尚無法判斷是否應指派資訊安全長，請填寫：${missing.join('、')}。${capitalText}；${detail}。${reading}`,
      `Cannot tell whether a CISO is required; please fill in: ${missing.join(', ')}. ${capitalTextEn}; ${detailEn}; ${CISO_READING_EN}.`,
    ),
  };
}

function classifyTier(profile: FirmProfile): { value: Tier | null; source: 'default' | 'override'; reason: ClassificationReason } {
  const caveat =
    '種子資料提及資安分級（「分級防護應辦事項附表」所列第一級至第三級），但未列分級門檻；分級由證交所核定，本系統依實收資本額（200 億、100 億、40 億元）推定預設值，公司可記錄理由後覆寫。';
  const caveatEn =
    'The sources name security tiers (levels 1–3 of the tiered-protection schedule) but give no thresholds; the exchange assigns tiers. This default is inferred from paid-in capital (NT$20 bn, 10 bn, 4 bn); a firm may override it with a recorded reason.';
  const override = profile.tierOverride;
  if (override) {
    return {
      value: override.tier,
      source: 'override',
      reason: {
        topic: 'tier',
        verdict: `tier_${override.tier}`,
        text: `資安分級第 ${override.tier} 級（公司覆寫，理由：${override.reason}）。${caveat}`,
        textEn: `Security tier ${override.tier} (overridden by the firm; reason: ${override.reason}). ${caveatEn}`,
        source: TIER_SOURCE,
      },
    };
  }
  const capital = profile.paidInCapitalNtd;
  if (capital === undefined) {
    return {
      value: null,
      source: 'default',
      reason: {
        topic: 'tier',
        verdict: 'needs_answer',
        text: `尚無法推定資安分級，請填寫實收資本額（paidInCapitalNtd）或覆寫分級（tierOverride）。${caveat}`,
        textEn: `Cannot infer the security tier; please fill in paid-in capital (paidInCapitalNtd) or a tier override (tierOverride). ${caveatEn}`,
        source: TIER_SOURCE,
      },
    };
  }
  const { tier, minimumNtd } = TIER_CAPITAL_THRESHOLDS.find((entry) => capital >= entry.minimumNtd)!;
  const bound =
    tier === 4 ? `未達 ${formatYi(TIER_CAPITAL_THRESHOLDS[2].minimumNtd)}` : `達 ${formatYi(minimumNtd)}以上`;
  const boundEn =
    tier === 4
      ? `below NT$${formatBillions(TIER_CAPITAL_THRESHOLDS[2].minimumNtd)} billion`
      : `at least NT$${formatBillions(minimumNtd)} billion`;
  return {
    value: tier,
    source: 'default',
    reason: {
      topic: 'tier',
      verdict: `tier_${tier}`,
      text: `資安分級預設為第 ${tier} 級：實收資本額 ${formatYi(capital)}，${bound}。${caveat}`,
      textEn: `Security tier ${tier} by default: paid-in capital NT$${formatBillions(capital)} billion, ${boundEn}. ${caveatEn}`,
      source: TIER_SOURCE,
    },
  };
}

function classifyType(ciso: Tri, tier: Tier | null): { value: 1 | 2 | null; reason: ClassificationReason } {
  const definition =
    '第一類證券商係指依內控處理準則第三十六條之二指派資訊安全長之證券商，或「分級防護應辦事項附表」所列第一級、第二級、第三級證券商；第二類證券商係指非屬第一類證券商之證券商。';
  const reason = (verdict: string, text: string, textEn: string): ClassificationReason => ({
    topic: 'type',
    verdict,
    text: `${text}${definition}`,
    textEn,
    source: TYPE_SOURCE,
  });
  const tierInTop3 = tier === null ? null : tier <= 3;
  if (ciso === true || tierInTop3 === true) {
    const because = [
      ...(ciso === true ? ['應指派資訊安全長'] : []),
      ...(tierInTop3 === true ? [`資安分級第 ${tier} 級`] : []),
    ].join('且');
    const becauseEn = [
      ...(ciso === true ? ['a CISO is required'] : []),
      ...(tierInTop3 === true ? [`security tier ${tier}`] : []),
    ].join(' and ');
    return { value: 1, reason: reason('type_1', `第一類證券商：${because}。`, `Type 1 firm: ${becauseEn} (NET article 2.6).`) };
  }
  if (ciso === false && tierInTop3 === false) {
    return {
      value: 2,
      reason: reason(
        'type_2',
        '第二類證券商：無須指派資訊安全長，且資安分級為第 4 級。',
        'Type 2 firm: no CISO required and security tier 4 (NET article 2.7).',
      ),
    };
  }
  const missing = [...(ciso === null ? ['資訊安全長（需填實收資本額及比率）'] : []), ...(tier === null ? ['資安分級'] : [])];
  const missingEn = [...(ciso === null ? ['the CISO test'] : []), ...(tier === null ? ['the security tier'] : [])];
  return {
    value: null,
    reason: reason(
      'needs_answer',
      `尚無法判斷第一類或第二類證券商，待決定：${missing.join('、')}。`,
      `Cannot tell Type 1 from Type 2 until ${missingEn.join(' and ')} can be decided.`,
    ),
  };
}

function classifyForeign(profile: FirmProfile): { value: Tri; reason: ClassificationReason } {
  const value = profile.foreign ?? null;
  if (value === true) {
    return {
      value,
      reason: {
        topic: 'foreign',
        verdict: 'foreign',
        text: '外國證券商（外資集團在台子公司或分公司）：「外國證券商如有標準較佳之規範則從其規範；若無，則應遵守本國的規範。」母集團較嚴格之規範可能適用，請另行對照。',
        textEn:
          'Foreign firm (a foreign group\'s Taiwan subsidiary or branch): where the group has a stricter standard it follows that standard, otherwise the Taiwanese rules; stricter home rules may apply.',
        source: FOREIGN_SOURCE,
      },
    };
  }
  if (value === false) {
    return {
      value,
      reason: {
        topic: 'foreign',
        verdict: 'domestic',
        text: '本國證券商：適用本國規範。',
        textEn: 'Domestic firm: the Taiwanese rules apply.',
        source: FOREIGN_SOURCE,
      },
    };
  }
  return {
    value: null,
    reason: {
      topic: 'foreign',
      verdict: 'needs_answer',
      text: '尚未填答是否為外國證券商（foreign）。',
      textEn: 'Not yet answered whether this is a foreign firm (foreign).',
      source: FOREIGN_SOURCE,
    },
  };
}

export function classifyFirm(profile: FirmProfile): FirmClassification {
  const ciso = classifyCiso(profile);
  const tier = classifyTier(profile);
  const type = classifyType(ciso.value, tier.value);
  const foreign = classifyForeign(profile);
  return {
    cisoRequired: ciso.value,
    tier: tier.value,
    tierSource: tier.source,
    type: type.value,
    foreign: foreign.value,
    reasons: [ciso.reason, tier.reason, type.reason, foreign.reason],
  };
}
