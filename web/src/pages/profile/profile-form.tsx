/**
 * The firm-profile form fields, shared by the profile page and the what-if page. Every yes/no field is
 * three-valued (是 / 否 / 未填): an unanswered field stays out of the profile, so classification and
 * applicability say 待回答 instead of guessing. `toProfile` turns form values into the API's profile,
 * `toFormValues` the other way; `showServerIssues` puts the server's validation messages on the named
 * fields.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, type FirmProfile, type MobileApp } from '../../api/client.ts';

/** Form values: the profile with brokerage kept in one place and two switches the profile does not store. */
export interface ProfileFormValues extends Omit<FirmProfile, 'brokerage' | 'mobileApps' | 'tierOverride'> {
  /** Whether the firm offers investor apps: undefined = not answered, false = none (an empty list). */
  hasMobileApps?: boolean;
  mobileApps?: Partial<MobileApp>[];
  hasTierOverride?: boolean;
  tierOverride?: { tier?: 1 | 2 | 3 | 4; reason?: string };
}

const FLAG_GROUPS = {
  businessLines: ['brokerage', 'proprietary', 'underwriting'],
  channels: ['internet', 'voice', 'traditional', 'dma', 'colocation'],
  cloud: ['user', 'provider', 'critical'],
} as const;

const SERVICE_FLAGS = ['publicCompany', 'foreign', 'website', 'apiServices', 'socialMedia', 'videoIdentityVerification', 'internationalTransfer'] as const;
const DEVICE_FLAGS = ['mobileDevices', 'byod', 'iot'] as const;
const SHARE_FIELDS = ['internetDmaTurnoverPct', 'brokerageMarketSharePct', 'naturalPersonClientPct'] as const;
const MONTH_ENDS = ['01-31', '02-28', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30', '10-31', '11-30', '12-31'];

/** i18n key of a field's label: `channels.internet` → `profile.fields.channels_internet`. */
export function fieldLabelKey(path: string): string {
  return `profile.fields.${path.replace(/\.\d+(?=\.|$)/g, '').replace(/\./g, '_')}`;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (typeof value === 'number' && Number.isNaN(value));
}

/** Drops unanswered (blank) entries; an object left with no answers is itself unanswered. */
function pruneObject<T extends Record<string, unknown>>(object: T | undefined): T | undefined {
  if (!object) {
    return undefined;
  }
  const entries = Object.entries(object).filter(([, value]) => !isBlank(value));
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/** Form values → the profile the API takes. Unanswered fields are left out, never defaulted. */
export function toProfile(values: ProfileFormValues): FirmProfile {
  const profile: Record<string, unknown> = {
    name: typeof values.name === 'string' ? values.name.trim() : values.name,
    registrationNumber: values.registrationNumber?.trim(),
    paidInCapitalNtd: values.paidInCapitalNtd,
    fiscalYearEnd: values.fiscalYearEnd,
    businessLines: pruneObject(values.businessLines),
    channels: pruneObject(values.channels),
    shares: pruneObject(values.shares),
    cloud: pruneObject(values.cloud),
  };
  for (const flag of [...SERVICE_FLAGS, ...DEVICE_FLAGS]) {
    profile[flag] = values[flag];
  }
  if (values.hasMobileApps === false) {
    profile.mobileApps = [];
  } else if (values.hasMobileApps === true) {
    profile.mobileApps = (values.mobileApps ?? []).map((app) => pruneObject({ name: app?.name ?? '', level: app?.level, fTested: app?.fTested }) ?? {});
  }
  if (values.hasTierOverride) {
    profile.tierOverride = { tier: values.tierOverride?.tier, reason: values.tierOverride?.reason ?? '' };
  }
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => !isBlank(value))) as FirmProfile;
}

/** A stored profile → form values (the top-level `brokerage` answer moves into the business lines). */
export function toFormValues(profile: FirmProfile): ProfileFormValues {
  const { brokerage, mobileApps, tierOverride, ...rest } = profile;
  const lineBrokerage = profile.businessLines?.brokerage ?? brokerage;
  return {
    ...rest,
    businessLines: lineBrokerage === undefined ? rest.businessLines : { ...rest.businessLines, brokerage: lineBrokerage },
    hasMobileApps: mobileApps === undefined ? undefined : mobileApps.length > 0,
    mobileApps: mobileApps ?? [],
    hasTierOverride: tierOverride !== undefined,
    tierOverride,
  };
}

/** `mobileApps.0.level` → ['mobileApps', 0, 'level']; the top-level `brokerage` lives in the business lines. */
export function toFieldName(where: string): (string | number)[] {
  if (where === 'brokerage') {
    return ['businessLines', 'brokerage'];
  }
  return where.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Shows each server validation issue under the field it names. Returns the issues shown. */
export function showServerIssues(form: FormInstance<ProfileFormValues>, error: unknown): number {
  if (!(error instanceof ApiError) || error.issues.length === 0) {
    return 0;
  }
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of error.issues) {
    const key = toFieldName(issue.where).join('.');
    const entry = byField.get(key) ?? { name: toFieldName(issue.where), errors: [] };
    // The message names the field (「資安分級覆寫理由（tierOverride.reason）：…」); under the field, the rest is enough.
    entry.errors.push(issue.message.replace(/^[^：]*（[\w.]+）：/, ''));
    byField.set(key, entry);
  }
  form.setFields([...byField.values()] as unknown as Parameters<typeof form.setFields>[0]);
  return byField.size;
}

/** A value that follows `value` after `delayMs` without changes. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

type TriValue = 'yes' | 'no' | 'unset';

/** 是 / 否 / 未填 for a boolean that may be unanswered. */
export function TriStateInput({ value, onChange, disabled, testId }: { value?: boolean; onChange?: (value: boolean | undefined) => void; disabled?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const current: TriValue = value === true ? 'yes' : value === false ? 'no' : 'unset';
  return (
    <span data-testid={testId} data-value={current}>
      <Radio.Group
        size="small"
        optionType="button"
        buttonStyle="solid"
        disabled={disabled}
        value={current}
        onChange={(event) => onChange?.(event.target.value === 'yes' ? true : event.target.value === 'no' ? false : undefined)}
        options={[
          { value: 'yes', label: t('profile.yes') },
          { value: 'no', label: t('profile.no') },
          { value: 'unset', label: t('profile.unset') },
        ]}
      />
    </span>
  );
}

function FlagField({ path, disabled }: { path: string; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={toFieldName(path)} label={t(fieldLabelKey(path))} style={{ marginBottom: 8 }}>
      <TriStateInput disabled={disabled} testId={`profile-${path.replace(/\./g, '-')}`} />
    </Form.Item>
  );
}

function formatThousands(value: string | number | undefined): string {
  return value === undefined || value === '' ? '' : `${value}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 120 億元 / NT$12 billion, under the capital field. */
function CapitalInWords({ form }: { form: FormInstance<ProfileFormValues> }) {
  const { t } = useTranslation();
  const capital = Form.useWatch('paidInCapitalNtd', form);
  if (typeof capital !== 'number') {
    return <span>{t('profile.unanswered')}</span>;
  }
  const yi = capital / 100_000_000;
  const billion = capital / 1_000_000_000;
  return (
    <span data-testid="profile-capital-words">
      {t('profile.capitalInYi', { yi: Number.isInteger(yi) ? yi : yi.toFixed(2), billion: Number.isInteger(billion) ? billion : billion.toFixed(2) })}
    </span>
  );
}

/** Every profile field, grouped in cards. Render inside an antd `<Form form={form} layout="vertical">`. */
export function ProfileFields({ form, disabled }: { form: FormInstance<ProfileFormValues>; disabled?: boolean }) {
  const { t } = useTranslation();
  const hasMobileApps = Form.useWatch('hasMobileApps', form);
  const hasTierOverride = Form.useWatch('hasTierOverride', form);
  const cardProps = { size: 'small' as const, style: { marginBottom: 16 } };
  return (
    <>
      <Card title={t('profile.sections.basic')} {...cardProps}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t(fieldLabelKey('name'))}>
              <Input disabled={disabled} data-testid="profile-name" maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="registrationNumber" label={t(fieldLabelKey('registrationNumber'))}>
              <Input disabled={disabled} data-testid="profile-registrationNumber" maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="paidInCapitalNtd" label={t(fieldLabelKey('paidInCapitalNtd'))} extra={<CapitalInWords form={form} />}>
              <InputNumber<number>
                data-testid="profile-paidInCapitalNtd"
                disabled={disabled}
                min={0}
                step={100_000_000}
                prefix="NT$"
                style={{ width: '100%' }}
                formatter={formatThousands}
                parser={(text) => (text ? Number(text.replace(/[^\d.]/g, '')) : (undefined as unknown as number))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="fiscalYearEnd" label={t(fieldLabelKey('fiscalYearEnd'))}>
              <Select
                data-testid="profile-fiscalYearEnd"
                disabled={disabled}
                allowClear
                placeholder={t('profile.unset')}
                options={MONTH_ENDS.map((monthDay) => ({ value: monthDay, label: t('profile.monthEnd', { month: Number(monthDay.slice(0, 2)), monthDay }) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          {(['publicCompany', 'foreign'] as const).map((flag) => <Col key={flag} xs={24} md={12}><FlagField path={flag} disabled={disabled} /></Col>)}
        </Row>
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('profile.sections.businessLines')} {...cardProps}>
            {FLAG_GROUPS.businessLines.map((flag) => <FlagField key={flag} path={`businessLines.${flag}`} disabled={disabled} />)}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('profile.sections.channels')} {...cardProps}>
            {FLAG_GROUPS.channels.map((flag) => <FlagField key={flag} path={`channels.${flag}`} disabled={disabled} />)}
          </Card>
        </Col>
      </Row>

      <Card title={t('profile.sections.shares')} extra={<Typography.Text type="secondary">{t('profile.sharesHint')}</Typography.Text>} {...cardProps}>
        <Row gutter={16}>
          {SHARE_FIELDS.map((field) => (
            <Col key={field} xs={24} md={8}>
              <Form.Item name={['shares', field]} label={t(fieldLabelKey(`shares.${field}`))}>
                <InputNumber<number> data-testid={`profile-shares-${field}`} disabled={disabled} min={0} max={100} step={0.1} suffix="%" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('profile.sections.services')} {...cardProps}>
            {(['website', 'apiServices', 'socialMedia', 'videoIdentityVerification', 'internationalTransfer'] as const).map((flag) => <FlagField key={flag} path={flag} disabled={disabled} />)}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('profile.sections.cloud')} {...cardProps}>
            {FLAG_GROUPS.cloud.map((flag) => <FlagField key={flag} path={`cloud.${flag}`} disabled={disabled} />)}
          </Card>
          <Card title={t('profile.sections.devices')} {...cardProps}>
            {DEVICE_FLAGS.map((flag) => <FlagField key={flag} path={flag} disabled={disabled} />)}
          </Card>
        </Col>
      </Row>

      <Card title={t('profile.sections.mobileApps')} {...cardProps}>
        <Form.Item name="hasMobileApps" label={t('profile.hasMobileApps')} style={{ marginBottom: 8 }}>
          <TriStateInput disabled={disabled} testId="profile-hasMobileApps" />
        </Form.Item>
        {hasMobileApps ? (
          <Form.List name="mobileApps">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="profile-mobileApps">
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap>
                    <Form.Item name={[field.name, 'name']} label={t(fieldLabelKey('mobileApps.name'))} style={{ marginBottom: 0 }}>
                      <Input disabled={disabled} style={{ width: 220 }} data-testid="profile-app-name" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'level']} label={t(fieldLabelKey('mobileApps.level'))} style={{ marginBottom: 0 }}>
                      <Select disabled={disabled} style={{ width: 100 }} data-testid="profile-app-level" options={['L1', 'L2', 'L3'].map((level) => ({ value: level, label: level }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'fTested']} label={t(fieldLabelKey('mobileApps.fTested'))} style={{ marginBottom: 0 }}>
                      <TriStateInput disabled={disabled} />
                    </Form.Item>
                    <Button disabled={disabled} icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('profile.removeApp')} style={{ marginTop: 30 }} />
                  </Space>
                ))}
                <Button disabled={disabled} icon={<PlusOutlined />} onClick={() => add({ name: '', level: 'L1' })} data-testid="profile-app-add">{t('profile.addApp')}</Button>
              </Space>
            )}
          </Form.List>
        ) : null}
      </Card>

      <Card title={t('profile.sections.tierOverride')} {...cardProps}>
        <Form.Item name="hasTierOverride" label={t('profile.hasTierOverride')} style={{ marginBottom: 8 }}>
          <Radio.Group disabled={disabled} optionType="button" size="small" data-testid="profile-hasTierOverride"
            options={[{ value: false, label: t('profile.tierDefault') }, { value: true, label: t('profile.tierOverride') }]} />
        </Form.Item>
        {hasTierOverride ? (
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item name={['tierOverride', 'tier']} label={t(fieldLabelKey('tierOverride.tier'))}>
                <Select disabled={disabled} data-testid="profile-tierOverride-tier" options={[1, 2, 3, 4].map((tier) => ({ value: tier, label: t('applicability.tierValue', { tier }) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name={['tierOverride', 'reason']} label={t(fieldLabelKey('tierOverride.reason'))} required>
                <Input.TextArea disabled={disabled} rows={2} maxLength={1000} data-testid="profile-tierOverride-reason" placeholder={t('profile.tierReasonHint')} />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
      </Card>
    </>
  );
}

/** `{channels: {internet: true}}` → `{'channels.internet': true}`; lists of apps become one entry each. */
export function flattenProfile(profile: FirmProfile | null | undefined): Map<string, string> {
  const flat = new Map<string, string>();
  const visit = (value: unknown, path: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) {
        visit(child, path ? `${path}.${key}` : key);
      }
    } else if (Array.isArray(value)) {
      flat.set(path, value.length === 0 ? '[]' : value.map((entry) => (entry && typeof entry === 'object' ? Object.values(entry).join(' ') : String(entry))).join('；'));
    } else if (value !== undefined) {
      flat.set(path, String(value));
    }
  };
  visit(profile ?? {}, '');
  return flat;
}

/** The fields whose answer differs between two profiles. */
export function listProfileChanges(before: FirmProfile | null | undefined, after: FirmProfile | null | undefined): { field: string; before: string | undefined; after: string | undefined }[] {
  const a = flattenProfile(before);
  const b = flattenProfile(after);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((field) => a.get(field) !== b.get(field))
    .map((field) => ({ field, before: a.get(field), after: b.get(field) }));
}
