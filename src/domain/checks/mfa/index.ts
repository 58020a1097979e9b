import { CheckInputError, statusFromFindings, type CheckDefinition, type Finding } from '../types.ts';
import { evaluateLoginFlow } from './evaluate-login-flow.ts';
import { parseLoginFlows } from './parse-login-flows.ts';

export { classifyFactor, describeFactor, type FactorClassification, type FactorKind } from './classify-factor.ts';
export { parseLoginFlows, type LoginFlow } from './parse-login-flows.ts';
export { evaluateLoginFlow } from './evaluate-login-flow.ts';

export const mfaCheck: CheckDefinition = {
  id: 'mfa',
  title: '多因子驗證',
  titleEn: 'Multi-factor authentication',
  version: '1.0.0',
  inputKinds: ['json', 'yaml', 'csv'],
  items: ['CSIM@112:7.1.c.c', 'CSIM@112:7.1.d', 'CSIM:7.2.b.e', 'ETECH:9'],
  async run(inputs, options) {
    const findings: Finding[] = [];
    let flowCount = 0;
    let passing = 0;
    for (const input of inputs) {
      if (input.text === undefined) {
        throw new CheckInputError('需要文字檔 / a text file is required', input.name);
      }
      const flows = parseLoginFlows(input.name, input.text, options.format);
      for (const flow of flows) {
        flowCount += 1;
        const evaluation = evaluateLoginFlow(flow, input.name);
        findings.push(evaluation.finding);
        if (evaluation.isPassing) {
          passing += 1;
        }
      }
    }
    const status = flowCount === 0 ? 'error' : statusFromFindings(findings);
    return {
      check: 'mfa',
      checkVersion: '1.0.0',
      status,
      evaluatedAt: options.at ?? new Date().toISOString(),
      summary: `共 ${flowCount} 個登入流程，${passing} 個具兩種不同類型的驗證因子。`,
      summaryEn: `${passing} of ${flowCount} login flows use two different kinds of factor.`,
      findings,
      items: mfaCheck.items,
      stats: { flows: flowCount, passing, failing: findings.filter((f) => f.status === 'fail').length },
    };
  },
};
