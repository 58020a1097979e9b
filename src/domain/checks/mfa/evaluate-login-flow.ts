import type { Finding } from '../types.ts';
import { classifyFactor, type FactorKind } from './classify-factor.ts';
import type { LoginFlow } from './parse-login-flows.ts';

const KIND_LABELS: Record<FactorKind, string> = {
  knowledge: '所知（知識）',
  possession: '所持（持有物）',
  inherence: '所有（生物特徵）',
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
  finding?: Finding;
}

/**
 * Judges one login flow: it passes only when its factors cover two different kinds (ETECH 第九條
 * 「三項之任兩項以上技術」). Two factors of the same kind fail; unrecognised factor names make the
 * result "unknown" unless the recognised ones already cover two kinds.
 */
export function evaluateLoginFlow(flow: LoginFlow, file: string): FlowEvaluation {
  const kinds = new Set<FactorKind>();
  const unknownFactors: string[] = [];
  const classified = flow.factors.map((factor) => {
    const kind = classifyFactor(factor);
    if (kind) {
      kinds.add(kind);
    } else {
      unknownFactors.push(factor);
    }
    return { factor, kind: kind ?? 'unknown' };
  });
  const subject = flow.channel ? `${flow.system} / ${flow.channel}` : flow.system;
  const location = { file, line: flow.line, subject };
  const items = listFlowItems(flow);
  const detail = { factors: classified, kinds: [...kinds] };
  const kindList = [...kinds];
  if (kindList.length >= 2) {
    return { kinds: kindList, unknownFactors };
  }
  if (unknownFactors.length > 0) {
    return {
      kinds: kindList,
      unknownFactors,
      finding: {
        rule: 'mfa.unknown-factor',
        severity: 'medium',
        status: 'unknown',
        message: `${subject}：無法辨識的驗證因子「${unknownFactors.join('、')}」，無法判斷是否具兩種不同類型的驗證技術。`,
        messageEn: `${subject}: unrecognised factor(s) "${unknownFactors.join('", "')}"; cannot tell whether two different kinds of factor are used.`,
        location,
        items,
        detail,
      },
    };
  }
  const message =
    kindList.length === 0
      ? `${subject}：登入流程未列出任何驗證因子。`
      : flow.factors.length === 1
        ? `${subject}：僅使用單一驗證因子（${KIND_LABELS[kindList[0]]}），未達多因子驗證。`
        : `${subject}：驗證因子「${flow.factors.join('、')}」皆屬${KIND_LABELS[kindList[0]]}，未具三項之任兩項技術。`;
  const messageEn =
    kindList.length === 0
      ? `${subject}: the login flow lists no factor.`
      : `${subject}: all factors (${flow.factors.join(', ')}) are ${kindList[0]}; two different kinds are required.`;
  return {
    kinds: kindList,
    unknownFactors,
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
