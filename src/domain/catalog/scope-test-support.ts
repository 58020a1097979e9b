/**
 * For catalog tests: whether an item's scope binds a firm of which exactly `facts` are true, through
 * the applicability engine's own condition evaluation.
 */
import { evaluateCondition } from '../applicability/evaluate.ts';
import type { FirmFacts } from '../applicability/facts.ts';
import { FACTS, type Fact } from './schema.ts';
import type { CatalogItem } from './resolve.ts';

export function doesScopeBind(scope: CatalogItem['scope'], facts: readonly Fact[]): boolean {
  if (scope === null) return true;
  const known = {} as FirmFacts;
  for (const fact of FACTS) known[fact] = { fact, value: facts.includes(fact), fields: [] };
  return evaluateCondition(scope.when, known).value === true;
}
