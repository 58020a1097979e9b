/** Small pieces shared by the catalog, search and diff pages: tags, condition text, item text, item links. */
import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { ChangeKind, Cycle } from '../api/client.ts';
import type { Condition } from '../../../src/domain/catalog/schema.ts';

/** The address of an item page; `id` is `DOC@version:path` or `DOC:path` (latest version). */
export function itemPath(id: string): string {
  return `/catalog/item/${id}`;
}

export function ItemLink({ id, children }: { id: string; children?: ReactNode }) {
  return <Link to="/catalog/item/$itemId" params={{ itemId: id }} data-testid="item-link">{children ?? id}</Link>;
}

const CHANGE_COLORS: Record<ChangeKind, string> = { added: 'green', changed: 'blue', renumbered: 'gold', removed: 'red' };

export function ChangeTag({ kind }: { kind: ChangeKind }) {
  const { t } = useTranslation();
  return <Tag color={CHANGE_COLORS[kind]} data-testid={`change-${kind}`}>{t(`change.${kind}`)}</Tag>;
}

export function CycleTag({ cycle }: { cycle: Cycle | null }) {
  const { t } = useTranslation();
  return cycle ? <Tag color="purple">{t(`cycle.${cycle}`)}</Tag> : null;
}

/** Regulation text verbatim, or the marker for text the source does not give. */
export function ItemText({ text, notInSource, testId }: { text: string | null; notInSource: boolean; testId?: string }) {
  const { t } = useTranslation();
  if (notInSource || text === null) {
    return <span className="not-in-source" data-testid={testId}>{t('catalog.notInSource')}</span>;
  }
  return <span className="regulation-text" data-testid={testId}>{text}</span>;
}

/** A scope condition in words: facts joined by 且 / 或, negated with 非. */
export function ConditionText({ condition }: { condition: Condition }) {
  const { t } = useTranslation();
  const render = (node: Condition, nested: boolean): string => {
    if ('fact' in node) {
      return t(`fact.${node.fact}`, { defaultValue: node.fact });
    }
    if ('always' in node) {
      return t('condition.always');
    }
    if ('not' in node) {
      return `${t('condition.not')} ${render(node.not, true)}`;
    }
    const parts = ('all' in node ? node.all : node.any).map((part) => render(part, true));
    const joined = parts.join(` ${t('all' in node ? 'condition.all' : 'condition.any')} `);
    return nested && parts.length > 1 ? `（${joined}）` : joined;
  };
  return <span>{render(condition, false)}</span>;
}
