/**
 * The firm profile: what a securities firm tells us about itself during onboarding. This zod schema
 * is the API's interface (server validator, OpenAPI document, web form and CLI all use it).
 *
 * Every field but `name` is optional: a field left out is "not answered yet", and whatever depends
 * on it (classification, applicability) says "needs an answer" instead of guessing.
 *
 * Brokerage appears twice, as the top-level `brokerage` and as `businessLines.brokerage`. They mean the
 * same thing (證券經紀業務). When both are given they must agree, or validation fails on `brokerage`;
 * when only one is given it is the answer (see `readBrokerage`).
 *
 * `fiscalYearEnd` is `MM-DD` and must be the last day of a month (Taiwanese fiscal years end at a month
 * end; `02-28` and `02-29` both mean the end of February). The inspection calendar counts periods in
 * whole months from it.
 */
import { z } from 'zod';

/** zh-TW text for the English messages below, so an error can be shown in both languages. */
const ZH_BY_EN = new Map<string, string>();

/** Register a bilingual message; zod carries the English one, `listProfileErrors` adds the zh-TW one. */
function message(zh: string, en: string): string {
  ZH_BY_EN.set(en, zh);
  return en;
}

const FIELD_LABELS: Record<string, string> = {
  name: '公司名稱',
  registrationNumber: '許可證字號',
  paidInCapitalNtd: '實收資本額',
  fiscalYearEnd: '會計年度終了日',
  businessLines: '業務種類',
  channels: '下單管道',
  brokerage: '經紀業務',
  publicCompany: '公開發行公司',
  foreign: '外國證券商',
  shares: '比率',
  'shares.internetDmaTurnoverPct': '網際網路加計 DMA 下單成交金額占比',
  'shares.brokerageMarketSharePct': '經紀業務成交金額市占率',
  'shares.naturalPersonClientPct': '自然人客戶數占比',
  website: '官方網站',
  apiServices: 'API 服務',
  cloud: '雲端服務',
  socialMedia: '官方社群媒體',
  mobileApps: '行動應用程式',
  mobileDevices: '公務用行動裝置',
  byod: '員工自攜行動裝置',
  iot: '物聯網設備',
  videoIdentityVerification: '影像視訊身分驗證',
  internationalTransfer: '個人資料國際傳輸',
  tierOverride: '資安分級覆寫',
  'tierOverride.tier': '資安分級',
  'tierOverride.reason': '資安分級覆寫理由',
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for MM-DD that is the last day of its month (02-28 and 02-29 both count for February). */
export function isMonthEnd(monthDay: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  if (!match) {
    return false;
  }
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (month < 1 || month > 12) {
    return false;
  }
  return month === 2 ? day === 28 || day === 29 : day === DAYS_IN_MONTH[month - 1];
}

function isRealMonthDay(monthDay: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  if (!match) {
    return false;
  }
  const month = Number(match[1]);
  const day = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

const percentage = z
  .number({ error: message('須為數字', 'must be a number') })
  .min(0, { error: message('比率不可小於 0%', 'must not be below 0 %') })
  .max(100, { error: message('比率不可超過 100%', 'must not exceed 100 %') });

const flag = z.boolean({ error: message('須為是或否（true/false）', 'must be true or false') }).optional();

export const MOBILE_APP_LEVELS = ['L1', 'L2', 'L3'] as const;

export const mobileAppSchema = z.strictObject({
  name: z.string().trim().min(1, { error: message('App 名稱不可空白', 'app name must not be empty') }),
  /** 行動應用 App 基本資安檢測基準 level the app is tested at. */
  level: z.enum(MOBILE_APP_LEVELS, {
    error: message('App 分類須為 L1、L2 或 L3', 'app level must be L1, L2 or L3'),
  }),
  /** Whether the optional F (加測) items are tested too. */
  fTested: z.boolean().optional(),
});

export const tierOverrideSchema = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
    error: message('資安分級須為 1、2、3 或 4', 'tier must be 1, 2, 3 or 4'),
  }),
  /** Why the default tier is overridden, e.g. the exchange's notice. Required: an override is a record. */
  reason: z
    .string({ error: message('覆寫資安分級須說明理由', 'a tier override needs a reason') })
    .trim()
    .min(1, { error: message('覆寫資安分級須說明理由', 'a tier override needs a reason') }),
});

export const firmProfileSchema = z
  .strictObject({
    name: z
      .string({ error: message('公司名稱為必填', 'name is required') })
      .trim()
      .min(1, { error: message('公司名稱為必填', 'name is required') }),
    registrationNumber: z.string().trim().min(1).optional(),
    /** 實收資本額, in New Taiwan dollars. */
    paidInCapitalNtd: z
      .number({ error: message('實收資本額須為數字', 'paid-in capital must be a number') })
      .finite()
      .min(0, { error: message('實收資本額不可為負數', 'paid-in capital must not be negative') })
      .optional(),
    /** MM-DD, last day of a month, e.g. 12-31. */
    fiscalYearEnd: z
      .string()
      .regex(/^\d{2}-\d{2}$/, { error: message('會計年度終了日格式須為 MM-DD', 'fiscal year end must be MM-DD') })
      .refine(isRealMonthDay, { error: message('會計年度終了日不是有效日期', 'fiscal year end is not a real date') })
      .refine(isMonthEnd, {
        error: message('會計年度終了日須為月底', 'fiscal year end must be the last day of a month'),
      })
      .optional(),
    businessLines: z
      .strictObject({ brokerage: flag, proprietary: flag, underwriting: flag })
      .optional(),
    /** Order channels: 網際網路、語音、傳統（臨櫃/電話）、DMA、主機共置. */
    channels: z
      .strictObject({ internet: flag, voice: flag, traditional: flag, dma: flag, colocation: flag })
      .optional(),
    brokerage: flag,
    publicCompany: flag,
    /** 外國證券商: a foreign group's Taiwan subsidiary or branch. */
    foreign: flag,
    /** Percentages 0–100, for the CISO criteria (內控處理準則 36-2). */
    shares: z
      .strictObject({
        internetDmaTurnoverPct: percentage.optional(),
        brokerageMarketSharePct: percentage.optional(),
        naturalPersonClientPct: percentage.optional(),
      })
      .optional(),
    website: flag,
    apiServices: flag,
    cloud: z.strictObject({ user: flag, provider: flag, critical: flag }).optional(),
    socialMedia: flag,
    /** Investor mobile apps; an empty list means the firm offers none. */
    mobileApps: z.array(mobileAppSchema).optional(),
    mobileDevices: flag,
    byod: flag,
    iot: flag,
    videoIdentityVerification: flag,
    internationalTransfer: flag,
    /** The security tier the exchange assigned, when it differs from the default derived from capital. */
    tierOverride: tierOverrideSchema.optional(),
  })
  .superRefine((profile, context) => {
    const lineBrokerage = profile.businessLines?.brokerage;
    if (profile.brokerage !== undefined && lineBrokerage !== undefined && profile.brokerage !== lineBrokerage) {
      context.addIssue({
        code: 'custom',
        path: ['brokerage'],
        message: message(
          '經紀業務（brokerage）與業務種類中的經紀業務（businessLines.brokerage）不一致',
          'brokerage and businessLines.brokerage disagree',
        ),
      });
    }
  });

export type FirmProfile = z.infer<typeof firmProfileSchema>;
export type MobileApp = z.infer<typeof mobileAppSchema>;
export type TierOverride = z.infer<typeof tierOverrideSchema>;

/** The firm's brokerage answer, from either place it may be given; undefined when not answered. */
export function readBrokerage(profile: FirmProfile): boolean | undefined {
  return profile.brokerage ?? profile.businessLines?.brokerage;
}

export interface ProfileError {
  /** Dotted path of the field, e.g. `shares.naturalPersonClientPct` or `mobileApps.0.level`. */
  field: string;
  /** zh-TW, naming the field. */
  message: string;
  messageEn: string;
}

function labelOf(field: string): string {
  const generic = field.replace(/\.\d+(?=\.|$)/g, '');
  const index = /\.(\d+)(?:\.|$)/.exec(field);
  const base = FIELD_LABELS[field] ?? FIELD_LABELS[generic] ?? FIELD_LABELS[generic.split('.')[0]] ?? field;
  return index ? `${base}（第 ${Number(index[1]) + 1} 筆）` : base;
}

/** Turn zod issues into messages that name the field, in zh-TW and English. */
export function listProfileErrors(error: z.ZodError): ProfileError[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(profile)';
    const zh =
      ZH_BY_EN.get(issue.message) ??
      (issue.code === 'unrecognized_keys' ? `不認得的欄位：${issue.keys.join('、')}` : '格式不正確');
    return {
      field,
      message: `${labelOf(field)}（${field}）：${zh}`,
      messageEn: `${field}: ${issue.message}`,
    };
  });
}

export type ProfileValidation = { ok: true; profile: FirmProfile } | { ok: false; errors: ProfileError[] };

/** Validate raw input (e.g. a request body) against the profile schema. */
export function validateFirmProfile(input: unknown): ProfileValidation {
  const result = firmProfileSchema.safeParse(input);
  return result.success ? { ok: true, profile: result.data } : { ok: false, errors: listProfileErrors(result.error) };
}
