import type { Finding } from '../types.ts';
import { describeFactor, type FactorClassification, type FactorKind } from './classify-factor.ts';
import type { LoginFlow } from './parse-login-flows.ts';

const KIND_LABELS: Record<FactorClassification['kind'], string> = {
  knowledge: '所知（知識）',
  possession: '所持（持有物）',
  inherence: '所有（生物特徵）',
  none: '非驗證因子',
  unknown: '無法辨識',
};

/** Catalog items a login flow of this audience evidences. */
export function listFlowItems(flow: LoginFlow): string[] {
  return flow.audience === 'admin'
    ? ['CSIM:7.2.b.e', 'CSIM@112:7.1.d']
    : ['CSIM@112:7.1.c.c', 'CSIM@112:7.1.d', 'ETECH:9'];
}

export interface FlowEvaluation {
  kinds: FactorKind[];
  unknownFactors: string[];
  /** Each factor with its kind and the rule that decided it. */
  factors: FactorClassification[];
  /** A failing or unknown finding, or for a passing flow an `info` finding that records the classification. */
  finding: Finding;
  isPassing: boolean;
}

function describeFactors(factors: FactorClassification[]): { zh: string; en: string } {
  return {
    zh: factors.map((entry) => `${entry.factor}＝${KIND_LABELS[entry.kind]}`).join('；'),
    en: factors.map((entry) => `${entry.factor} = ${entry.kind}`).join('; '),
  };
}

/**
 * Judges one login flow: it passes only when its factors cover two different kinds (ETECH 第九條
 * 「三項之任兩項以上技術」). Two factors of the same kind fail; unrecognised factor names make the
 * result "unknown" unless the recognised ones already cover two kinds. Every flow yields one finding
 * carrying each factor's classification, so a pass is evidenced as well as a failure.
 */
export function evaluateLoginFlow(flow: LoginFlow, file: string): FlowEvaluation {
  const factors = flow.factors.map(describeFactor);
  const kinds: FactorKind[] = [];
  const unknownFactors: string[] = [];
  for (const entry of factors) {
    if (entry.kind === 'unknown') {
      unknownFactors.push(entry.factor);
    } else if (entry.kind !== 'none' && !kinds.includes(entry.kind)) {
      kinds.push(entry.kind);
    }
  }
  const subject = flow.channel ? `${flow.system} / ${flow.channel}` : flow.system;
  const location = { file, line: flow.line, subject };
  const items = listFlowItems(flow);
  const detail = { factors, kinds };
  const listed = describeFactors(factors);
  const base = { kinds, unknownFactors, factors };
  if (kinds.length >= 2) {
    return {
      ...base,
      isPassing: true,
      finding: {
        rule: 'mfa.two-kinds',
        severity: 'info',
        status: 'info',
        message: `${subject}：具兩種不同類型的驗證因子（${listed.zh}）。`,
        messageEn: `${subject}: two different kinds of factor are used (${listed.en}).`,
        location,
        items,
        detail,
      },
    };
  }
  if (unknownFactors.length > 0) {
    return {
      ...base,
      isPassing: false,
      finding: {
        rule: 'mfa.unknown-factor',
        severity: 'medium',
        status: 'unknown',
        message: `${subject}：無法辨識的驗證因子「${unknownFactors.join('、')}」，無法判斷是否具兩種不同類型的驗證技術（${listed.zh}）。`,
        messageEn: `${subject}: unrecognised factor(s) "${unknownFactors.join('", "')}"; cannot tell whether two different kinds of factor are used (${listed.en}).`,
        location,
        items,
        detail,
      },
    };
  }
  const recognised = factors.filter((entry) => entry.kind !== 'none');
  const message =
    kinds.length === 0
      ? `${subject}：登入流程未列出任何驗證因子${factors.length > 0 ? `（${listed.zh}）` : ''}。`
      : recognised.length === 1
        ? `${subject}：僅使用單一驗證因子（${listed.zh}），未達多因子驗證。`
        : `${subject}：驗證因子皆屬${KIND_LABELS[kinds[0]]}（${listed.zh}），未具三項之任兩項技術。`;
  const messageEn =
    kinds.length === 0
      ? `${subject}: the login flow lists no authentication factor${factors.length > 0 ? ` (${listed.en})` : ''}.`
      : `${subject}: all factors are ${kinds[0]} (${listed.en}); two different kinds are required.`;
  return {
    ...base,
    isPassing: false,
    finding: {
      rule: 'mfa.single-kind',
      severity: 'high',
      status: 'fail',
      message,
      messageEn,
      location,
      items,
      detail,
    },
  };
}
