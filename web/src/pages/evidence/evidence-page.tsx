/**
 * The evidence vault (佐證資料庫): title, items, collection date, validity, retention and versions of the
 * firm's evidence; upload (drag and drop), new versions, audited downloads and deletion, which the server
 * refuses before the retention date (its message is shown). Filters come from the URL (`?expired=true`,
 * `?expiringWithinDays=30`), as the dashboard links them.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ButtonProps, UploadFile } from 'antd';
import { DeleteOutlined, DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  deleteEvidence, evidenceDownloadUrl, listEvidence, uploadEvidence, uploadEvidenceVersion, type EvidenceFilters, type EvidenceView,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';
import { todayInTaipei } from '../../components/taiwan-date.ts';

interface UploadValues {
  title: string;
  description?: string;
  itemIds?: string[];
  collectedOn: string;
  validUntil?: string;
  retainUntil?: string;
}

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);

function ValidityCell({ entry }: { entry: EvidenceView }) {
  const { t } = useTranslation();
  if (entry.isDeleted) {
    return <Tag>{t('evidence.deleted')}</Tag>;
  }
  const color = entry.validity === 'expired' ? 'red' : entry.validity === 'expiring' ? 'orange' : 'green';
  return (
    <Space size={4}>
      <span>{entry.validUntil ?? t('evidence.noExpiry')}</span>
      <Tag color={color} data-testid={`validity-${entry.validity}`}>{t(`evidence.${entry.validity}`)}</Tag>
    </Space>
  );
}

function UploadModal({ firmId, onClose }: { firmId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UploadValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const upload = useMutation({
    mutationFn: (values: UploadValues) => {
      const file = files[0]?.originFileObj as File;
      return uploadEvidence(firmId, {
        title: values.title,
        description: values.description || undefined,
        itemIds: values.itemIds ?? [],
        collectedOn: values.collectedOn,
        validUntil: values.validUntil || null,
        retainUntil: values.retainUntil || undefined,
      }, file, file.name);
    },
    onSuccess: async () => {
      void message.success(t('evidence.uploaded'));
      await queryClient.invalidateQueries({ queryKey: ['evidence', firmId] });
      onClose();
    },
  });
  return (
    <Modal
      open
      width={640}
      title={t('evidence.upload')}
      onCancel={onClose}
      okButtonProps={{ loading: upload.isPending, 'data-testid': 'evidence-upload-submit' } as ButtonProps}
      onOk={() => form.submit()}
    >
      <Form<UploadValues> form={form} layout="vertical" initialValues={{ collectedOn: todayInTaipei() }} onFinish={(values) => upload.mutate(values)}>
        {upload.error ? <Alert type="error" showIcon title={errorMessage(upload.error, i18n.language)} style={{ marginBottom: 16 }} data-testid="evidence-upload-error" /> : null}
        <Form.Item label={t('evidence.file')} required>
          <Upload.Dragger
            data-testid="evidence-file"
            maxCount={1}
            fileList={files}
            beforeUpload={(file) => {
              setFiles([{ uid: file.uid, name: file.name, originFileObj: file }]);
              if (!form.getFieldValue('title')) {
                form.setFieldValue('title', file.name);
              }
              return false;
            }}
            onRemove={() => setFiles([])}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('evidence.dropHint')}</p>
          </Upload.Dragger>
        </Form.Item>
        <Form.Item name="title" label={t('evidence.titleField')} rules={[{ required: true, whitespace: true, message: t('evidence.titleField') }]}>
          <Input maxLength={300} data-testid="evidence-title" />
        </Form.Item>
        <Form.Item name="description" label={t('evidence.description')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Form.Item name="itemIds" label={t('evidence.items')} extra={t('evidence.itemsHint')}>
          <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} data-testid="evidence-items" />
        </Form.Item>
        <Flex gap="middle">
          <Form.Item name="collectedOn" label={t('evidence.collectedOn')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Input type="date" data-testid="evidence-collected-on" />
          </Form.Item>
          <Form.Item name="validUntil" label={t('evidence.validUntil')} style={{ flex: 1 }}>
            <Input type="date" data-testid="evidence-valid-until" />
          </Form.Item>
          <Form.Item name="retainUntil" label={t('evidence.retainUntil')} style={{ flex: 1 }}>
            <Input type="date" />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

export default function EvidencePage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as EvidenceFilters & { itemId?: string };
  const filters: EvidenceFilters = {
    itemId: search.itemId ? String(search.itemId) : undefined,
    expired: search.expired === true ? true : undefined,
    expiringWithinDays: typeof search.expiringWithinDays === 'number' ? search.expiringWithinDays : undefined,
    includeDeleted: search.includeDeleted === true ? true : undefined,
  };
  const evidence = useQuery({ queryKey: ['evidence', firmId, filters], queryFn: () => listEvidence(firmId, filters), placeholderData: (previous) => previous });
  const [isUploading, setUploading] = useState(false);
  const [deleting, setDeleting] = useState<EvidenceView | null>(null);
  const [deleteReason, setDeleteReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['evidence', firmId] });
  const choose = (change: Partial<EvidenceFilters>) => {
    const next = { ...filters, ...change };
    void navigate({ to: '/evidence', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '' && value !== false)) });
  };

  const remove = useMutation({
    mutationFn: () => deleteEvidence(firmId, deleting!.id, deleteReason),
    onSuccess: async () => {
      setDeleting(null);
      setDeleteReason('');
      void message.success(t('evidence.deleted'));
      await refresh();
    },
  });
  const addVersion = useMutation({
    mutationFn: ({ entry, file }: { entry: EvidenceView; file: File }) => uploadEvidenceVersion(firmId, entry.id, file, file.name),
    onSuccess: async () => {
      void message.success(t('evidence.versionUploaded'));
      await refresh();
    },
    onError: (error) => void message.error(errorMessage(error, i18n.language)),
  });

  return (
    <Card data-testid="evidence-page">
      <Flex justify="space-between" align="center" wrap gap="middle" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('evidence.title')}</Typography.Title>
          <Input.Search allowClear placeholder={t('evidence.items')} style={{ width: 200 }} defaultValue={filters.itemId} onSearch={(itemId) => choose({ itemId: itemId || undefined })} />
          <Checkbox checked={filters.expired === true} onChange={(event) => choose({ expired: event.target.checked || undefined })} data-testid="evidence-expired-filter">{t('evidence.onlyExpired')}</Checkbox>
          <Checkbox checked={filters.expiringWithinDays !== undefined} onChange={(event) => choose({ expiringWithinDays: event.target.checked ? 30 : undefined })}>{t('evidence.onlyExpiring')}</Checkbox>
          <Checkbox checked={filters.includeDeleted === true} onChange={(event) => choose({ includeDeleted: event.target.checked || undefined })}>{t('evidence.includeDeleted')}</Checkbox>
        </Space>
        {can('evidence:upload') ? (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="evidence-upload">{t('evidence.upload')}</Button>
        ) : null}
      </Flex>
      {evidence.error ? <ErrorAlert error={evidence.error} onRetry={() => void evidence.refetch()} /> : (
        <Table<EvidenceView>
          data-testid="evidence-table"
          rowKey="id"
          loading={evidence.isPending}
          dataSource={evidence.data?.evidence ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('evidence.empty') }}
          expandable={{
            rowExpandable: (entry) => entry.versions.length > 1,
            expandedRowRender: (entry) => (
              <Table
                size="small"
                rowKey="version"
                pagination={false}
                dataSource={[...entry.versions].reverse()}
                columns={[
                  { title: t('evidence.versions'), dataIndex: 'version', width: 70, render: (version: number) => `v${version}` },
                  { title: t('evidence.file'), dataIndex: 'fileName', render: (name: string, version) => <a href={evidenceDownloadUrl(firmId, entry.id, version.version)}>{name}</a> },
                  { title: t('evidence.size'), dataIndex: 'size', width: 100, render: formatSize },
                  { title: t('evidence.uploadedAt'), dataIndex: 'uploadedAt', width: 170, render: (at: string | null) => at?.slice(0, 16).replace('T', ' ') ?? '—' },
                  { title: 'SHA-256', dataIndex: 'sha256', render: (sha: string) => <Typography.Text code copyable={{ text: sha }}>{sha.slice(0, 12)}…</Typography.Text> },
                ]}
              />
            ),
          }}
          columns={[
            { title: t('evidence.titleField'), dataIndex: 'title', render: (title: string, entry) => <span data-testid="evidence-row-title">{title}{entry.description ? <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{entry.description}</Typography.Text> : null}</span> },
            { title: t('evidence.items'), dataIndex: 'itemIds', render: (ids: string[]) => <Space wrap size={4}>{ids.map((id) => <ItemLink key={id} id={id} />)}</Space> },
            { title: t('evidence.collectedOn'), dataIndex: 'collectedOn', width: 110 },
            { title: t('evidence.validity'), width: 190, render: (_value, entry) => <ValidityCell entry={entry} /> },
            { title: t('evidence.retainUntil'), dataIndex: 'retainUntil', width: 110 },
            {
              title: t('evidence.versions'), width: 170,
              render: (_value, entry) => {
                const latest = entry.versions[entry.versions.length - 1];
                return latest ? <span>{t('evidence.latest', { version: latest.version })}<Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{latest.fileName}・{formatSize(latest.size)}</Typography.Text></span> : '—';
              },
            },
            {
              title: t('common.actions'), width: 220,
              render: (_value, entry) => entry.isDeleted ? null : (
                <Space size={4} wrap>
                  <Button size="small" icon={<DownloadOutlined />} href={evidenceDownloadUrl(firmId, entry.id)} data-testid="evidence-download">{t('evidence.download')}</Button>
                  {can('evidence:upload') ? (
                    <Upload showUploadList={false} customRequest={(options) => addVersion.mutate({ entry, file: options.file as File }, { onSettled: () => options.onSuccess?.({}) })}>
                      <Button size="small" icon={<UploadOutlined />}>{t('evidence.newVersion')}</Button>
                    </Upload>
                  ) : null}
                  {can('evidence:delete') ? (
                    <Button size="small" danger icon={<DeleteOutlined />} onClick={() => { remove.reset(); setDeleting(entry); }} data-testid="evidence-delete">{t('evidence.delete')}</Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
      {isUploading ? <UploadModal firmId={firmId} onClose={() => setUploading(false)} /> : null}
      <Modal
        open={deleting !== null}
        title={`${t('evidence.delete')}：${deleting?.title ?? ''}`}
        onCancel={() => setDeleting(null)}
        okButtonProps={{ danger: true, disabled: deleteReason.trim() === '', loading: remove.isPending, 'data-testid': 'evidence-delete-submit' } as ButtonProps}
        onOk={() => remove.mutate()}
      >
        {remove.error ? <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="evidence-delete-error" title={errorMessage(remove.error, i18n.language)} /> : null}
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('evidence.deleteReason')} value={deleteReason} onChange={(event) => setDeleteReason(event.target.value)} data-testid="evidence-delete-reason" />
      </Modal>
    </Card>
  );
}
