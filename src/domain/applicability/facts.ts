/**
 * Derives every fact that catalog scope conditions may test (`FACTS`) from a firm profile and its
 * classification. Each fact is true, false or null; null means the profile does not answer it yet
 * ("needs an answer"). Each fact also names the profile fields it depends on and how to say it in a
 * reason, in zh-TW and English.
 */
import { FACTS, type Fact } from '../catalog/schema.ts';
import type { FirmClassification } from '../firms/classify.ts';
import { readBrokerage, type FirmProfile } from '../firms/profile.ts';

export type Tri = boolean | null;

export interface FactValue {
  fact: Fact;
  value: Tri;
  /** Profile fields the fact is read from (for "please fill in …"). */
  fields: string[];
}

export type FirmFacts = Record<Fact, FactValue>;

interface FactWording {
  /** What the fact says when true / false, as a statement about the firm. */
  yes: string;
  no: string;
  yesEn: string;
  noEn: string;
  /** The question a user answers, for "needs an answer". */
  question: string;
  questionEn: string;
}

export const FACT_WORDING: Record<Fact, FactWording> = {
  onlineOrdering: {
    yes: '本公司提供網際網路下單',
    no: '本公司未提供網際網路下單',
    yesEn: 'this firm offers internet ordering',
    noEn: 'this firm offers no internet ordering',
    question: '是否提供網際網路下單',
    questionEn: 'whether the firm offers internet ordering',
  },
  brokerage: {
    yes: '本公司經營經紀業務',
    no: '本公司未經營經紀業務',
    yesEn: 'this firm runs a brokerage business',
    noEn: 'this firm runs no brokerage business',
    question: '是否經營經紀業務',
    questionEn: 'whether the firm runs a brokerage business',
  },
  publicCompany: {
    yes: '本公司為公開發行公司',
    no: '本公司非公開發行公司',
    yesEn: 'this firm is a public company',
    noEn: 'this firm is not a public company',
    question: '是否為公開發行公司',
    questionEn: 'whether the firm is a public company',
  },
  foreign: {
    yes: '本公司為外國證券商',
    no: '本公司非外國證券商',
    yesEn: 'this firm is foreign',
    noEn: 'this firm is not foreign',
    question: '是否為外國證券商',
    questionEn: 'whether the firm is foreign',
  },
  type1: {
    yes: '本公司為第一類證券商',
    no: '本公司為第二類證券商',
    yesEn: 'this firm is a Type 1 firm',
    noEn: 'this firm is a Type 2 firm',
    question: '屬第一類或第二類證券商（需實收資本額、比率或分級覆寫）',
    questionEn: 'whether the firm is Type 1 or Type 2 (needs capital, shares or a tier override)',
  },
  cisoRequired: {
    yes: '本公司應指派資訊安全長',
    no: '本公司無須指派資訊安全長',
    yesEn: 'this firm must appoint a CISO',
    noEn: 'this firm need not appoint a CISO',
    question: '是否應指派資訊安全長（需實收資本額及比率）',
    questionEn: 'whether the firm must appoint a CISO (needs capital and shares)',
  },
  cloudUser: {
    yes: '本公司使用雲端服務',
    no: '本公司未使用雲端服務',
    yesEn: 'this firm uses cloud services',
    noEn: 'this firm uses no cloud services',
    question: '是否使用雲端服務',
    questionEn: 'whether the firm uses cloud services',
  },
  cloudProvider: {
    yes: '本公司提供雲端服務',
    no: '本公司未提供雲端服務',
    yesEn: 'this firm provides cloud services',
    noEn: 'this firm provides no cloud services',
    question: '是否提供雲端服務',
    questionEn: 'whether the firm provides cloud services',
  },
  cloudCritical: {
    yes: '本公司雲端服務涉及關鍵性系統、資料或服務',
    no: '本公司雲端服務未涉及關鍵性系統、資料或服務',
    yesEn: 'this firm’s cloud use involves critical systems, data or services',
    noEn: 'this firm’s cloud use involves no critical systems, data or services',
    question: '雲端服務是否涉及關鍵性系統、資料或服務',
    questionEn: 'whether cloud use involves critical systems, data or services',
  },
  socialMedia: {
    yes: '本公司經營官方社群媒體',
    no: '本公司未經營官方社群媒體',
    yesEn: 'this firm runs official social media',
    noEn: 'this firm runs no official social media',
    question: '是否經營官方社群媒體',
    questionEn: 'whether the firm runs official social media',
  },
  mobileApps: {
    yes: '本公司提供投資人行動應用程式',
    no: '本公司未提供投資人行動應用程式',
    yesEn: 'this firm offers investor mobile apps',
    noEn: 'this firm offers no investor mobile app',
    question: '是否提供投資人行動應用程式',
    questionEn: 'whether the firm offers investor mobile apps',
  },
  mobileDevices: {
    yes: '本公司配發公務用行動裝置',
    no: '本公司未配發公務用行動裝置',
    yesEn: 'this firm issues official mobile devices',
    noEn: 'this firm issues no official mobile devices',
    question: '是否配發公務用行動裝置',
    questionEn: 'whether the firm issues official mobile devices',
  },
  byod: {
    yes: '本公司允許員工自攜行動裝置',
    no: '本公司不允許員工自攜行動裝置',
    yesEn: 'this firm allows staff’s own devices',
    noEn: 'this firm does not allow staff’s own devices',
    question: '是否允許員工自攜行動裝置',
    questionEn: 'whether the firm allows staff’s own devices',
  },
  iot: {
    yes: '本公司使用物聯網設備',
    no: '本公司未使用物聯網設備',
    yesEn: 'this firm uses IoT devices',
    noEn: 'this firm uses no IoT devices',
    question: '是否使用物聯網設備',
    questionEn: 'whether the firm uses IoT devices',
  },
  videoIdentityVerification: {
    yes: '本公司以影像視訊進行身分驗證',
    no: '本公司未以影像視訊進行身分驗證',
    yesEn: 'this firm verifies identity by video',
    noEn: 'this firm does not verify identity by video',
    question: '是否以影像視訊進行身分驗證',
    questionEn: 'whether the firm verifies identity by video',
  },
  internationalTransfer: {
    yes: '本公司有國際傳輸客戶個人資料',
    no: '本公司無國際傳輸客戶個人資料',
    yesEn: 'this firm transfers client personal data abroad',
    noEn: 'this firm transfers no client personal data abroad',
    question: '是否國際傳輸客戶個人資料',
    questionEn: 'whether the firm transfers client personal data abroad',
  },
  apiServices: {
    yes: '本公司提供客戶 API 服務',
    no: '本公司未提供客戶 API 服務',
    yesEn: 'this firm offers clients API services',
    noEn: 'this firm offers clients no API services',
    question: '是否提供客戶 API 服務',
    questionEn: 'whether the firm offers clients API services',
  },
  website: {
    yes: '本公司設有官方網站',
    no: '本公司未設官方網站',
    yesEn: 'this firm runs an official website',
    noEn: 'this firm runs no official website',
    question: '是否設有官方網站',
    questionEn: 'whether the firm runs an official website',
  },
  electronicTrading: {
    yes: '本公司提供電子式交易（網際網路、語音、DMA 或主機共置）',
    no: '本公司未提供任何電子式交易（網際網路、語音、DMA、主機共置）',
    yesEn: 'this firm offers electronic trading (internet, voice, DMA or co-location)',
    noEn: 'this firm offers no electronic trading (internet, voice, DMA, co-location)',
    question: '下單管道（網際網路、語音、DMA、主機共置）',
    questionEn: 'the order channels (internet, voice, DMA, co-location)',
  },
};

function flag(value: boolean | undefined): Tri {
  return value ?? null;
}

/** Kleene OR. */
export function anyOf(values: Tri[]): Tri {
  if (values.some((value) => value === true)) {
    return true;
  }
  return values.every((value) => value === false) ? false : null;
}

/** Derive every fact in `FACTS`. */
export function deriveFacts(profile: FirmProfile, classification: FirmClassification): FirmFacts {
  const channels = profile.channels ?? {};
  const cloud = profile.cloud ?? {};
  const brokerage = readBrokerage(profile);
  const cloudInUse = anyOf([flag(cloud.user), flag(cloud.provider)]);
  const derived: Record<Fact, { value: Tri; fields: string[] }> = {
    onlineOrdering: { value: flag(channels.internet), fields: ['channels.internet'] },
    brokerage: { value: flag(brokerage), fields: ['brokerage'] },
    publicCompany: { value: flag(profile.publicCompany), fields: ['publicCompany'] },
    foreign: { value: classification.foreign, fields: ['foreign'] },
    type1: {
      value: classification.type === null ? null : classification.type === 1,
      fields: ['paidInCapitalNtd', 'shares', 'tierOverride'],
    },
    cisoRequired: { value: classification.cisoRequired, fields: ['paidInCapitalNtd', 'shares'] },
    cloudUser: { value: flag(cloud.user), fields: ['cloud.user'] },
    cloudProvider: { value: flag(cloud.provider), fields: ['cloud.provider'] },
    // No cloud at all means no critical cloud use.
    cloudCritical: {
      value: cloudInUse === false ? false : flag(cloud.critical),
      fields: ['cloud.critical'],
    },
    socialMedia: { value: flag(profile.socialMedia), fields: ['socialMedia'] },
    mobileApps: {
      value: profile.mobileApps === undefined ? null : profile.mobileApps.length > 0,
      fields: ['mobileApps'],
    },
    mobileDevices: { value: flag(profile.mobileDevices), fields: ['mobileDevices'] },
    byod: { value: flag(profile.byod), fields: ['byod'] },
    iot: { value: flag(profile.iot), fields: ['iot'] },
    videoIdentityVerification: {
      value: flag(profile.videoIdentityVerification),
      fields: ['videoIdentityVerification'],
    },
    internationalTransfer: { value: flag(profile.internationalTransfer), fields: ['internationalTransfer'] },
    apiServices: { value: flag(profile.apiServices), fields: ['apiServices'] },
    website: { value: flag(profile.website), fields: ['website'] },
    electronicTrading: {
      value: anyOf([flag(channels.internet), flag(channels.voice), flag(channels.dma), flag(channels.colocation)]),
      fields: ['channels.internet', 'channels.voice', 'channels.dma', 'channels.colocation'],
    },
  };
  return Object.fromEntries(FACTS.map((fact) => [fact, { fact, ...derived[fact] }])) as FirmFacts;
}

/** "本公司未提供網際網路下單" / "尚未填答：是否提供網際網路下單（channels.internet）". */
export function describeFact(fact: FactValue): { text: string; textEn: string } {
  const wording = FACT_WORDING[fact.fact];
  if (fact.value === true) {
    return { text: wording.yes, textEn: wording.yesEn };
  }
  if (fact.value === false) {
    return { text: wording.no, textEn: wording.noEn };
  }
  return {
    text: `尚未填答${wording.question}（${fact.fields.join('、')}）`,
    textEn: `not yet answered: ${wording.questionEn} (${fact.fields.join(', ')})`,
  };
}
