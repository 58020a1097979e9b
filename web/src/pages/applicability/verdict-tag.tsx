/** The applicability verdict of an item as a coloured tag. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Verdict } from '../../api/client.ts';

export const VERDICT_COLORS: Record<Verdict, string> = { applies: 'green', not_applicable: 'default', not_in_force: 'gold', needs_answer: 'red' };

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  return <Tag color={VERDICT_COLORS[verdict]} data-testid={`verdict-${verdict}`}>{t(`verdict.${verdict}`)}</Tag>;
}
