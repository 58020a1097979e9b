/** Tags and the owner picker shared by the deficiency pages. */
import { Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listFirmMembers, type DeficiencyState, type Severity } from '../../api/client.ts';
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

/** The firm's members (names and roles), for anyone who may read deficiencies. */
export function OwnerSelect({ value, onChange, testId }: { value?: string | null; onChange?: (value: string | null) => void; testId?: string }) {
  const { t } = useTranslation();
  const { me, firm } = useActiveFirm();
  const members = useQuery({ queryKey: ['members', firm!.id], queryFn: () => listFirmMembers(firm!.id) });
  const options = members.data
    ? members.data.members.map((member) => ({
      value: member.id,
      label: `${member.id === me.user.id ? t('deficiencies.me') : member.displayName}（${member.email}）`,
    }))
    : [{ value: me.user.id, label: `${t('deficiencies.me')}（${me.user.email}）` }];
  if (value && !options.some((option) => option.value === value)) {
    options.push({ value, label: value });
  }
  return <Select allowClear showSearch optionFilterProp="label" value={value ?? undefined} onChange={(next) => onChange?.(next ?? null)} options={options} data-testid={testId} />;
}
