/**
 * The firm's users: roles, lock and MFA state. Firm administrators (`user:manage`) add users (the one-time
 * initial password is shown once), edit roles, unlock, reset MFA and reset passwords.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  createFirmUser, listFirmUsers, resetUserMfa, resetUserPassword, ROLES, setUserRoles, unlockUser, type FirmUser, type Role,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';

/** A password shown once: after the modal closes it is gone from the page. */
function OneTimePassword({ email, password, onClose }: { email: string; password: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open title={t('users.initialPassword')} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t('common.close')}</Button>}>
      <Alert type="warning" showIcon title={t('users.initialPasswordHint')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>{email}</Typography.Paragraph>
      <Typography.Text code copyable style={{ fontSize: 18 }} data-testid="initial-password">{password}</Typography.Text>
    </Modal>
  );
}

function RoleChecks({ value, onChange }: { value?: Role[]; onChange?: (roles: Role[]) => void }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group<Role>
      value={value}
      onChange={(roles) => onChange?.(roles)}
      options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
      data-testid="role-checks"
    />
  );
}

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const canManage = can('user:manage');
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<FirmUser | null>(null);
  const [shownPassword, setShownPassword] = useState<{ email: string; password: string } | null>(null);
  const [createForm] = Form.useForm<{ email: string; displayName: string; roles: Role[] }>();
  const [rolesForm] = Form.useForm<{ roles: Role[] }>();

  const users = useQuery({ queryKey: ['users', firmId], queryFn: () => listFirmUsers(firmId) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users', firmId] });
  const fail = (error: unknown) => void message.error(errorMessage(error, i18n.language));

  const create = useMutation({
    mutationFn: (values: { email: string; displayName: string; roles: Role[] }) => createFirmUser(firmId, values),
    onSuccess: async (created) => {
      setCreating(false);
      createForm.resetFields();
      if (created.initialPassword) {
        setShownPassword({ email: created.email, password: created.initialPassword });
      } else {
        void message.info(t('users.existingUser'));
      }
      await refresh();
    },
  });
  const saveRoles = useMutation({
    mutationFn: ({ userId, roles }: { userId: string; roles: Role[] }) => setUserRoles(firmId, userId, roles),
    onSuccess: async () => {
      setEditing(null);
      void message.success(t('users.rolesSaved'));
      await refresh();
    },
  });
  const act = useMutation({
    mutationFn: async ({ user, action }: { user: FirmUser; action: 'unlock' | 'reset-mfa' | 'reset-password' }) => {
      if (action === 'unlock') {
        await unlockUser(firmId, user.id);
        return { message: t('users.unlocked') };
      }
      if (action === 'reset-mfa') {
        await resetUserMfa(firmId, user.id);
        return { message: t('users.mfaReset') };
      }
      const result = await resetUserPassword(firmId, user.id);
      setShownPassword({ email: user.email, password: result.initialPassword });
      return { message: null };
    },
    onSuccess: async (result) => {
      if (result.message) {
        void message.success(result.message);
      }
      await refresh();
    },
    onError: fail,
  });

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('users.title')}</Typography.Title>
        {canManage ? <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="user-create">{t('users.create')}</Button> : null}
      </Flex>
      {users.error ? <ErrorAlert error={users.error} onRetry={() => void users.refetch()} /> : (
        <Table<FirmUser>
          data-testid="users-table"
          rowKey="id"
          loading={users.isPending}
          dataSource={users.data?.users ?? []}
          pagination={false}
          columns={[
            { title: t('users.email'), dataIndex: 'email' },
            { title: t('users.displayName'), dataIndex: 'displayName' },
            { title: t('users.roles'), dataIndex: 'roles', render: (roles: Role[]) => roles.map((role) => <Tag key={role} color="blue">{t(`role.${role}`, { defaultValue: role })}</Tag>) },
            {
              title: t('users.status'), render: (_value, user) => (
                <Space size={4} wrap>
                  {user.locked ? <Tag color="red" data-testid="user-locked">{t('users.locked')}</Tag> : <Tag color="green">{t('users.active')}</Tag>}
                  {user.mustChangePassword ? <Tag color="orange">{t('users.mustChange')}</Tag> : null}
                  {user.failedAttempts > 0 && !user.locked ? <Tag>{t('users.failedAttempts', { count: user.failedAttempts })}</Tag> : null}
                </Space>
              ),
            },
            { title: t('users.mfa'), dataIndex: 'mfaEnabled', render: (isOn: boolean) => (isOn ? <Tag color="green">{t('users.mfaOn')}</Tag> : <Tag>{t('users.mfaOff')}</Tag>) },
            ...(canManage ? [{
              title: t('common.actions'),
              render: (_value: unknown, user: FirmUser) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" data-testid="user-edit-roles" onClick={() => { setEditing(user); rolesForm.setFieldsValue({ roles: user.roles }); }}>{t('users.editRoles')}</Button>
                  {user.locked ? (
                    <Popconfirm title={t('users.confirmUnlock')} onConfirm={() => act.mutate({ user, action: 'unlock' })}>
                      <Button type="link" size="small" data-testid="user-unlock">{t('users.unlock')}</Button>
                    </Popconfirm>
                  ) : null}
                  {user.mfaEnabled ? (
                    <Popconfirm title={t('users.confirmResetMfa')} onConfirm={() => act.mutate({ user, action: 'reset-mfa' })}>
                      <Button type="link" size="small" data-testid="user-reset-mfa">{t('users.resetMfa')}</Button>
                    </Popconfirm>
                  ) : null}
                  <Popconfirm title={t('users.confirmResetPassword')} onConfirm={() => act.mutate({ user, action: 'reset-password' })}>
                    <Button type="link" size="small" danger data-testid="user-reset-password">{t('users.resetPassword')}</Button>
                  </Popconfirm>
                </Space>
              ),
            }] : []),
          ]}
        />
      )}

      <Modal
        open={isCreating}
        title={t('users.create')}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'user-create-submit' } as ButtonProps}
        destroyOnHidden
      >
        {create.error ? <div style={{ marginBottom: 12 }}><ErrorAlert error={create.error} /></div> : null}
        <Form form={createForm} layout="vertical" onFinish={(values) => create.mutate({ ...values, email: values.email.trim() })} initialValues={{ roles: ['assessor'] }}>
          <Form.Item name="email" label={t('users.email')} rules={[{ required: true, type: 'email' }]}>
            <Input data-testid="user-email" autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
            <Input data-testid="user-display-name" autoComplete="off" />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('users.atLeastOneRole') }]}>
            <RoleChecks />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={editing !== null}
        title={`${t('users.editRoles')}：${editing?.email ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => rolesForm.submit()}
        confirmLoading={saveRoles.isPending}
      >
        {saveRoles.error ? <div style={{ marginBottom: 12 }}><ErrorAlert error={saveRoles.error} /></div> : null}
        <Form form={rolesForm} onFinish={(values) => editing && saveRoles.mutate({ userId: editing.id, roles: values.roles })}>
          <Form.Item name="roles" rules={[{ required: true, type: 'array', min: 1, message: t('users.atLeastOneRole') }]}>
            <RoleChecks />
          </Form.Item>
        </Form>
      </Modal>

      {shownPassword ? <OneTimePassword email={shownPassword.email} password={shownPassword.password} onClose={() => setShownPassword(null)} /> : null}
    </Card>
  );
}
