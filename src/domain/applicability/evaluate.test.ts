import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../catalog/resolve.ts';
import type { Condition } from '../catalog/schema.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { compareApplicability, evaluateApplicability, evaluateCondition, type ApplicabilityResult } from './evaluate.ts';
import { deriveFacts } from './facts.ts';
import { classifyFirm } from '../firms/classify.ts';

const BILLION = 1_000_000_000;

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return {
    name: '測試證券',
    paidInCapitalNtd: 5 * BILLION,
    brokerage: true,
    publicCompany: true,
    foreign: false,
    channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
    shares: { internetDmaTurnoverPct: 40, brokerageMarketSharePct: 0.5, naturalPersonClientPct: 90 },
    cloud: { user: true, provider: false, critical: false },
    mobileApps: [{ name: '行動下單', level: 'L2' }],
    ...overrides,
  };
}

type ItemInput = Partial<Omit<CatalogItem, 'scope' | 'effective'>> & {
  path: string;
  scope?: { when: Condition; text: string; statedAt?: string } | null;
  effective?: { from: string; text: string; milestones?: { label: string; from: string }[] } | null;
};

/** Resolve-like items: scope, effective and cycle inherited from the parent, as the resolver does. */
function buildItems(inputs: ItemInput[], document: CatalogItem['document'] = 'CSIM', version = '109'): CatalogItem[] {
  const byPath = new Map<string, CatalogItem>();
  return inputs.map((input, order) => {
    const cut = input.path.lastIndexOf('.');
    const parentPath = cut < 0 ? null : input.path.slice(0, cut);
    const parent = parentPath === null ? undefined : byPath.get(parentPath);
    const item: CatalogItem = {
      id: `${document}:${input.path}`,
      versionedId: `${document}@${version}:${input.path}`,
      document,
      version,
      path: input.path,
      parentPath,
      depth: input.path.split('.').length,
      order,
      text: input.text ?? `item ${input.path}`,
      notInSource: false,
      code: null,
      cycle: input.cycle ?? parent?.cycle ?? null,
      scope: input.scope ? { ...input.scope, statedAt: input.scope.statedAt ?? input.path } : (parent?.scope ?? null),
      tierDependent: input.tierDependent ?? false,
      effective: input.effective ? { ...input.effective, statedAt: input.path } : (parent?.effective ?? null),
      sourceFile: 'test',
      sourceLine: null,
      refs: [],
      lineage: input.lineage ?? `${document}@${version}:${input.path}`,
    };
    byPath.set(input.path, item);
    return item;
  });
}

const ONLINE = { when: { fact: 'onlineOrdering' }, text: '適用網際網路下單證券商' } as const;

/** A small CSIM-shaped tree: 7.(1) online-only with a、b、e for all firms; 7.(2) e./f. brokerage; 2.(8) dated. */
function buildCsimLike(): CatalogItem[] {
  return buildItems([
    { path: '2', cycle: 'annual' },
    {
      path: '2.8',
      tierDependent: true,
      effective: {
        from: '2022-01-31',
        text: '111 年 1 月底導入生效，112 年 1 月底驗證生效',
        milestones: [
          { label: '導入', from: '2022-01-31' },
          { label: '驗證', from: '2023-01-31' },
        ],
      },
    },
    { path: '7' },
    { path: '7.1', cycle: 'monthly', scope: ONLINE },
    { path: '7.1.a', scope: { when: { always: true }, text: '另 a、b、e 項並適用於所有證券商', statedAt: '7.1' } },
    { path: '7.1.a.a' },
    { path: '7.1.b', scope: { when: { always: true }, text: '另 a、b、e 項並適用於所有證券商', statedAt: '7.1' } },
    { path: '7.1.b.f' },
    { path: '7.1.c' },
    { path: '7.1.i', tierDependent: true, effective: { from: '2023-01-31', text: '112 年 1 月底生效' } },
    { path: '7.1.i.b', tierDependent: true },
    { path: '7.2', cycle: 'semiannual' },
    { path: '7.2.f', scope: { when: { fact: 'brokerage' }, text: '證券經紀商' } },
    { path: '8', cycle: 'monthly' },
    { path: '8.5.d', scope: { when: { fact: 'publicCompany' }, text: '公司如屬公開發行公司者' } },
    { path: '9', cycle: 'semiannual' },
    { path: '9.11', scope: { when: { fact: 'onlineOrdering' }, text: '適用網際網路下單證券商，不適用語音下單及傳統下單之證券商' } },
    { path: '9.11.c', scope: { when: { fact: 'mobileApps' }, text: '涉及投資人使用之行動應用程式' } },
    { path: '12', cycle: 'annual' },
    { path: '12.1.a', scope: { when: { fact: 'cloudUser' }, text: '公司為雲端服務使用者時' } },
    { path: '12.1.b', scope: { when: { fact: 'cloudProvider' }, text: '公司為雲端服務提供者時' } },
    { path: '12.2.c', scope: { when: { all: [{ fact: 'socialMedia' }, { fact: 'website' }] }, text: '經營官方社群媒體並設有官方網站' } },
  ]);
}

function resultFor(results: ApplicabilityResult[], id: string): ApplicabilityResult {
  const found = results.find((result) => result.id === id);
  if (!found) {
    throw new Error(`no result for ${id}`);
  }
  return found;
}

const ONLINE_FIRM = buildFirm();
const VOICE_ONLY = buildFirm({ channels: { internet: false, voice: true, traditional: true, dma: false, colocation: false } });
const NO_BROKERAGE = buildFirm({ brokerage: false, publicCompany: false, channels: { internet: false, voice: false, traditional: true } });
const UNANSWERED = { name: '新設證券' } satisfies FirmProfile;

describe('evaluateApplicability', () => {
  const items = buildCsimLike();
  it.each([
    // [label, profile, item, verdict, reason fragment]
    ['online firm, 7.1.c', ONLINE_FIRM, 'CSIM:7.1.c', 'applies', '適用網際網路下單證券商 — 本公司提供網際網路下單'],
    ['voice-only firm, 7.1.c', VOICE_ONLY, 'CSIM:7.1.c', 'not_applicable', '適用網際網路下單證券商 — 本公司未提供網際網路下單'],
    ['voice-only firm, 7.1.b (all firms)', VOICE_ONLY, 'CSIM:7.1.b', 'applies', '另 a、b、e 項並適用於所有證券商'],
    ['voice-only firm, 7.1.b.f inherits the exception', VOICE_ONLY, 'CSIM:7.1.b.f', 'applies', '另 a、b、e 項並適用於所有證券商'],
    ['voice-only firm, 7.1.a.a', VOICE_ONLY, 'CSIM:7.1.a.a', 'applies', '另 a、b、e 項'],
    ['unanswered firm, 7.1.c', UNANSWERED, 'CSIM:7.1.c', 'needs_answer', '尚未填答是否提供網際網路下單（channels.internet）'],
    ['unanswered firm, 7.1.b', UNANSWERED, 'CSIM:7.1.b', 'applies', '另 a、b、e 項'],
    ['brokerage firm, 7.2.f', ONLINE_FIRM, 'CSIM:7.2.f', 'applies', '證券經紀商 — 本公司經營經紀業務'],
    ['non-brokerage firm, 7.2.f', NO_BROKERAGE, 'CSIM:7.2.f', 'not_applicable', '本公司未經營經紀業務'],
    ['public company, 8.5.d', ONLINE_FIRM, 'CSIM:8.5.d', 'applies', '本公司為公開發行公司'],
    ['not public, 8.5.d', NO_BROKERAGE, 'CSIM:8.5.d', 'not_applicable', '本公司非公開發行公司'],
    ['online firm with no app, 9.11.c', buildFirm({ mobileApps: [] }), 'CSIM:9.11.c', 'not_applicable', '本公司未提供投資人行動應用程式'],
    ['voice-only firm with an app: parent 9.11 does not apply', VOICE_ONLY, 'CSIM:9.11.c', 'not_applicable', '上層項目 CSIM:9.11 不適用'],
    ['cloud user, 12.1.a', ONLINE_FIRM, 'CSIM:12.1.a', 'applies', '本公司使用雲端服務'],
    ['cloud user, not provider, 12.1.b', ONLINE_FIRM, 'CSIM:12.1.b', 'not_applicable', '本公司未提供雲端服務'],
    ['cloud provider, 12.1.b', buildFirm({ cloud: { user: false, provider: true } }), 'CSIM:12.1.b', 'applies', '本公司提供雲端服務'],
    ['social media, website unknown', buildFirm({ socialMedia: true }), 'CSIM:12.2.c', 'needs_answer', '尚未填答是否設有官方網站（website）'],
    ['no social media, website unknown: false decides', buildFirm({ socialMedia: false }), 'CSIM:12.2.c', 'not_applicable', '本公司未經營官方社群媒體'],
  ])('%s', (_label, profile, id, verdict, fragment) => {
    const result = resultFor(evaluateApplicability(items, profile, { date: '2024-06-30' }), id);
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toContain(fragment);
  });

  it('words the English reason the same way', () => {
    const result = resultFor(evaluateApplicability(items, VOICE_ONLY, { date: '2024-06-30' }), 'CSIM:7.1.c');
    expect(result.reasonEn).toBe('Applies to internet-ordering firms — this firm offers no internet ordering');
  });

  it('names the fields to fill in when an answer is needed', () => {
    const result = resultFor(evaluateApplicability(items, UNANSWERED, { date: '2024-06-30' }), 'CSIM:7.1.c');
    expect(result.missingFields).toEqual(['channels.internet']);
  });

  it.each([
    ['2022-01-30', 'not_in_force', '111 年 1 月底導入生效'],
    ['2022-01-31', 'applies', '尚待：驗證自 2023-01-31 起'],
    ['2023-01-31', 'applies', '依所屬資安分級辦理（本公司第 3 級）'],
  ])('2.8 on %s is %s', (date, verdict, fragment) => {
    const result = resultFor(evaluateApplicability(items, ONLINE_FIRM, { date }), 'CSIM:2.8');
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toContain(fragment);
  });

  it('a not-applicable item stays not applicable before its effective date', () => {
    const result = resultFor(evaluateApplicability(items, VOICE_ONLY, { date: '2022-06-30' }), 'CSIM:7.1.i');
    expect(result.verdict).toBe('not_applicable');
  });

  it('tier-dependent items carry the firm tier, default or overridden', () => {
    const byDefault = resultFor(evaluateApplicability(items, buildFirm({ paidInCapitalNtd: 25 * BILLION }), { date: '2024-01-01' }), 'CSIM:7.1.i.b');
    expect(byDefault).toMatchObject({ verdict: 'applies', tier: 1, cycle: 'monthly' });
    expect(byDefault.reason).toContain('本公司第 1 級');
    const overridden = resultFor(
      evaluateApplicability(items, buildFirm({ tierOverride: { tier: 2, reason: '證交所通知' } }), { date: '2024-01-01' }),
      'CSIM:7.1.i.b',
    );
    expect(overridden.tier).toBe(2);
    const unknown = resultFor(evaluateApplicability(items, buildFirm({ paidInCapitalNtd: undefined }), { date: '2024-01-01' }), 'CSIM:2.8');
    expect(unknown.tier).toBeNull();
    expect(unknown.reason).toContain('本公司分級待確認');
    expect(resultFor(evaluateApplicability(items, ONLINE_FIRM, { date: '2024-01-01' }), 'CSIM:7.1.c').tier).toBeUndefined();
  });

  it('inherits cycles', () => {
    const results = evaluateApplicability(items, ONLINE_FIRM, { date: '2024-01-01' });
    expect(resultFor(results, 'CSIM:7.1.b.f').cycle).toBe('monthly');
    expect(resultFor(results, 'CSIM:7.2.f').cycle).toBe('semiannual');
  });
});

describe('evaluateCondition (three-valued)', () => {
  const facts = deriveFacts(buildFirm({ website: undefined, socialMedia: true, iot: false }), classifyFirm(buildFirm()));
  it.each<[Condition, boolean | null]>([
    [{ all: [{ fact: 'socialMedia' }, { fact: 'website' }] }, null],
    [{ all: [{ fact: 'iot' }, { fact: 'website' }] }, false],
    [{ any: [{ fact: 'socialMedia' }, { fact: 'website' }] }, true],
    [{ any: [{ fact: 'iot' }, { fact: 'website' }] }, null],
    [{ not: { fact: 'website' } }, null],
    [{ not: { fact: 'iot' } }, true],
    [{ always: true }, true],
  ])('%j → %s', (condition, expected) => {
    expect(evaluateCondition(condition, facts).value).toBe(expected);
  });
});

describe('compareApplicability', () => {
  const items = buildCsimLike();
  it('what-if: a voice-only firm adding internet ordering', () => {
    const comparison = compareApplicability(items, VOICE_ONLY, items, ONLINE_FIRM, { date: '2024-06-30' });
    const newly = comparison.newlyApplies.map((change) => change.after!.id);
    expect(newly).toContain('CSIM:7.1.c');
    expect(newly).toContain('CSIM:9.11.c');
    expect(newly).not.toContain('CSIM:7.1.b');
    expect(comparison.noLongerApplies).toEqual([]);
  });

  it('two versions: matched by lineage across a renumbering', () => {
    const before = buildItems([{ path: '7' }, { path: '7.1', scope: ONLINE }, { path: '7.1.d' }, { path: '7.1.e', scope: { when: { always: true }, text: '另 a、b、e 項並適用於所有證券商', statedAt: '7.1' } }]);
    const after = buildItems(
      [
        { path: '7', lineage: 'CSIM@109:7' },
        { path: '7.1', scope: ONLINE, lineage: 'CSIM@109:7.1' },
        { path: '7.1.e', lineage: 'CSIM@109:7.1.d' },
        { path: '7.1.f', lineage: 'CSIM@109:7.1.e', scope: { when: { always: true }, text: '另 a、b、f 項並適用於所有證券商', statedAt: '7.1' } },
        { path: '7.1.d' },
      ],
      'CSIM',
      '112',
    );
    const comparison = compareApplicability(before, VOICE_ONLY, after, VOICE_ONLY, { date: '2024-06-30' });
    expect(comparison.newlyApplies.map((change) => change.lineage)).toEqual([]);
    expect(comparison.changed.map((change) => change.lineage)).toEqual(['CSIM@112:7.1.d']);
    expect(comparison.unchangedCount).toBe(4);
    const online = compareApplicability(before, ONLINE_FIRM, after, ONLINE_FIRM, { date: '2024-06-30' });
    expect(online.newlyApplies.map((change) => change.after!.versionedId)).toEqual(['CSIM@112:7.1.d']);
  });
});

describe('evaluateApplicability: inputs and combined answers', () => {
  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => evaluateApplicability(buildCsimLike(), ONLINE_FIRM, { date: '2024-6-30' })).toThrow(/YYYY-MM-DD/);
  });

  it('an app item under an unanswered online parent asks for both answers', () => {
    const result = resultFor(evaluateApplicability(buildCsimLike(), { name: '新設證券' }, { date: '2024-06-30' }), 'CSIM:9.11.c');
    expect(result.verdict).toBe('needs_answer');
    expect(result.missingFields).toEqual(['channels.internet', 'mobileApps']);
    expect(result.reason).toContain('上層項目 CSIM:9.11 待確認');
  });
});
