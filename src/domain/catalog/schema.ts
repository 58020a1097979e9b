/**
 * The catalog file format (see catalog/FORMAT.md). One YAML file per document version.
 * A base version lists every item in document order; a later version lists only its changes
 * against its base and is resolved into a full item list by `resolveVersion`.
 */
import { z } from 'zod';

export const DOCUMENT_CODES = ['CSIM', 'NET', 'ETECH', 'MAS', 'BRIEF'] as const;
export type DocumentCode = (typeof DOCUMENT_CODES)[number];

export const CYCLES = ['monthly', 'semiannual', 'annual'] as const;
export type Cycle = (typeof CYCLES)[number];

/**
 * Facts about a firm that scope conditions may test. The applicability engine derives each fact
 * from the firm profile; a fact it cannot derive (field left out) yields "needs an answer".
 */
export const FACTS = [
  'onlineOrdering', // offers internet ordering (網際網路下單證券商)
  'brokerage', // securities brokerage business (證券經紀商)
  'publicCompany', // publicly issued company (公開發行公司)
  'foreign', // foreign firm (外國證券商: 外資集團在台子公司或分公司)
  'type1', // NET Type 1 firm (第一類證券商)
  'cisoRequired', // must appoint a CISO (內控處理準則 36-2)
  'cloudUser', // uses cloud services (雲端服務使用者)
  'cloudProvider', // provides cloud services (雲端服務提供者)
  'cloudCritical', // cloud used for critical systems, data or services (關鍵性系統)
  'socialMedia', // runs official social media (經營官方社群媒體)
  'mobileApps', // offers investor mobile apps (行動應用程式)
  'mobileDevices', // issues official mobile devices (公務用行動裝置)
  'byod', // allows staff's own devices (員工自攜行動裝置)
  'iot', // uses IoT devices (物聯網設備)
  'videoIdentityVerification', // verifies identity by video (影像視訊身分驗證)
  'internationalTransfer', // international transfer of personal data (國際傳輸)
  'apiServices', // offers clients API services (API 服務)
  'website', // runs an official website (官方網站)
  'electronicTrading', // offers any electronic trading (電子式交易: internet, voice, DMA, co-location)
] as const;
export type Fact = (typeof FACTS)[number];

export type Condition =
  | { fact: Fact }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] }
  | { always: true };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ fact: z.enum(FACTS) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ always: z.literal(true) }),
  ]),
);

/** Who an item binds. The nearest `scope` up the tree wins (a child's scope replaces its parent's). */
export const scopeSchema = z.strictObject({
  when: conditionSchema,
  /** The source's own words for the scope, verbatim (e.g. 適用網際網路下單證券商，不適用語音下單及傳統下單之證券商). */
  text: z.string().min(1),
  /** Path of the item whose text states the scope, when it is not the item itself (e.g. "7.1"). */
  statedAt: z.string().optional(),
});
export type Scope = z.infer<typeof scopeSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'not a calendar date');
/** YAML turns unquoted 2022-01-31 into a Date; accept both and normalise to YYYY-MM-DD. */
const dateField = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  isoDate,
);

export const effectiveSchema = z.strictObject({
  /** First day the item is in force. "111 年 1 月底生效" is 2022-01-31. */
  from: dateField,
  /** The source's wording, verbatim (e.g. "111 年 1 月底導入生效"). */
  text: z.string().min(1),
  /** When the source names more than one date (2.(8): 導入 and 驗證). */
  milestones: z.array(z.strictObject({ label: z.string().min(1), from: dateField })).optional(),
});
export type Effective = z.infer<typeof effectiveSchema>;

export const levelsSchema = z.strictObject({ L1: z.boolean(), L2: z.boolean(), L3: z.boolean(), F: z.boolean() });
export type Levels = z.infer<typeof levelsSchema>;

/** Path segments: digits, lowercase letters, or pN for an unnumbered paragraph. */
export const PATH_PATTERN = /^(\d+|[a-z]+\d*|p\d+)(\.(\d+|[a-z]+\d*|p\d+))*$/;
const pathField = z.string().regex(PATH_PATTERN, 'expected a path such as 7.1.a.h or 9.p2');

const itemFields = {
  path: pathField,
  /** The number as printed (e.g. "(h)", "第四條", "一、"). */
  label: z.string().optional(),
  /** Short heading for items that head a group (e.g. 網路系統安全評估). */
  title: z.string().optional(),
  /** Clean verbatim text: lines joined, no page artefacts. Omitted only with notInSource. */
  text: z.string().min(1).optional(),
  /** The source does not give this text (elided as 略, or cut off). Never invent it. */
  notInSource: z.boolean().optional(),
  code: z.string().regex(/^CC-\d{5}$/).optional(),
  cycle: z.enum(CYCLES).optional(),
  scope: scopeSchema.optional(),
  /** The text makes the duty depend on the firm's security tier (依其所屬資安分級). */
  tierDependent: z.boolean().optional(),
  effective: effectiveSchema.optional(),
  /** A definition: the term it defines, for the glossary. */
  definition: z.strictObject({ term: z.string().min(1) }).optional(),
  /** MAS only. */
  levels: levelsSchema.optional(),
  requirementCode: z.string().optional(),
  category: z.string().optional(),
  /** Where in the seed file the item starts (1-based line). */
  source: z.strictObject({ line: z.number().int().positive() }).optional(),
  /** Editorial note (e.g. a duplicate label in the source and how it was numbered). */
  note: z.string().optional(),
  /** Other catalog items this one refers to, as ids ("NET:4.2.3", "CSIM:8.3.f"). */
  refs: z.array(z.string()).optional(),
};

export const itemSchema = z
  .strictObject(itemFields)
  .refine((item) => item.text !== undefined || item.notInSource === true, {
    message: 'an item needs text, or notInSource: true when the source does not give it',
    path: ['text'],
  });
export type CatalogItemInput = z.infer<typeof itemSchema>;

const changeCommon = {
  /** Seed 002 (or the ETECH comparison table) row this change comes from, 1-based. */
  row: z.number().int().positive().optional(),
  /** The 說明 column, verbatim; "同上" resolved to the text it repeats. */
  reason: z.string().optional(),
  /** The 說明 cell as printed when it differs from `reason` (e.g. "同上"). */
  reasonAsPrinted: z.string().optional(),
  /** Catalog items the reason refers to (e.g. the NET rule for 參考網路安全防護自律規範修訂). */
  reasonRefs: z.array(z.string()).optional(),
  note: z.string().optional(),
  source: z.strictObject({ line: z.number().int().positive() }).optional(),
};

const { path: _path, ...itemFieldsWithoutPath } = itemFields;
void _path;

export const changeSchema = z.discriminatedUnion('op', [
  /** An item that is new in this version; `after` is the item it follows in document order. */
  z.strictObject({
    op: z.literal('add'),
    ...itemFields,
    after: pathField.or(z.literal('start')),
    ...changeCommon,
  }),
  /** Fields of an existing item (path in this version's numbering) that change. */
  z.strictObject({
    op: z.literal('change'),
    ...itemFieldsWithoutPath,
    path: pathField,
    /** The base text as the comparison table quotes it (現行條文), for the record. */
    was: z.string().optional(),
    ...changeCommon,
  }),
  /** An item (with its subtree) renumbered from `from` to `path`; may change fields too. */
  z.strictObject({
    op: z.literal('renumber'),
    ...itemFieldsWithoutPath,
    from: pathField,
    path: pathField,
    was: z.string().optional(),
    ...changeCommon,
  }),
  /** An item (with its subtree) that this version deletes. */
  z.strictObject({ op: z.literal('remove'), path: pathField, was: z.string().optional(), ...changeCommon }),
]);
export type ChangeInput = z.infer<typeof changeSchema>;

export const versionFileSchema = z
  .strictObject({
    document: z.enum(DOCUMENT_CODES),
    version: z.string().regex(/^[0-9A-Za-z.-]+$/),
    title: z.string().min(1),
    /** Promulgation, approval or announcement date of this version. */
    date: dateField,
    /** The approving letter (e.g. 金管證券字第 11203447331 號). */
    approval: z.string().optional(),
    /** Seed file name and, for a comparison table, the column this version comes from. */
    source: z.strictObject({ file: z.string().min(1), column: z.string().optional() }),
    /** Version this one amends; absent for a base version. */
    base: z.string().optional(),
    note: z.string().optional(),
    items: z.array(itemSchema).optional(),
    changes: z.array(changeSchema).optional(),
  })
  .refine((file) => (file.base === undefined ? file.items !== undefined : file.changes !== undefined), {
    message: 'a base version lists items; a version with `base` lists changes',
    path: ['items'],
  });
export type VersionFile = z.infer<typeof versionFileSchema>;
