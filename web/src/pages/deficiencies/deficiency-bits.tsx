/** Tags and the owner picker shared by the deficiency pages. */
import { Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listFirmUsers, type DeficiencyState, type Severity } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';

const STATE_COLORS: Record<DeficiencyState, string> = { open: 'red', planned: 'orange', in_remediation: 'blue', pending_verification: 'purple', closed: 'green' };
const SEVERITY_COLORS: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'gold' };

export function DeficiencyStateTag({ state }: { state: DeficiencyState }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLORS[state]} data-testid={`deficiency-state-${state}`}>{t(`deficiencyState.${state}`)}</Tag>;
}

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <Tag color={SEVERITY_COLORS[severity]} data-testid={`severity-${severity}`}>{t(`severity.${severity}`)}</Tag>;
}

/**
 * The firm's users when the signed-in user may list them (`user:read`); otherwise only the user
 * themself (the API offers no member list to other roles).
 */
export function OwnerSelect({ value, onChange, testId }: { value?: string | null; onChange?: (value: string | null) => void; testId?: string }) {
  const { t } = useTranslation();
  const { me, firm, can } = useActiveFirm();
  const users = useQuery({ queryKey: ['users', firm!.id], queryFn: () => listFirmUsers(firm!.id), enabled: can('user:read') });
  const options = users.data
    ? users.data.users.map((user) => ({ value: user.id, label: `${user.displayName}（${user.email}）` }))
    : [{ value: me.user.id, label: `${t('deficiencies.me')}（${me.user.email}）` }];
  if (value && !options.some((option) => option.value === value)) {
    options.push({ value, label: value });
  }
  return <Select allowClear value={value ?? undefined} onChange={(next) => onChange?.(next ?? null)} options={options} data-testid={testId} />;
}
