/**
 * A firm's classification: CISO required, security tier, Type 1/2, domestic or foreign. Each topic
 * shows its answer (or 待回答 when the profile cannot tell) with its reasons and the rule they rest on.
 * Used by the applicability page (saved profile) and the profile page (live preview while editing).
 */
import { Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClassificationReason, FirmClassification } from '../../api/client.ts';

type Topic = ClassificationReason['topic'];
const TOPICS: Topic[] = ['ciso', 'tier', 'type', 'foreign'];

function AnswerTag({ classification, topic }: { classification: FirmClassification; topic: Topic }) {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language === 'en';
  const unknown = <Tag color="red">{t('applicability.unknown')}</Tag>;
  switch (topic) {
    case 'ciso':
      return classification.cisoRequired === null ? unknown : <Tag color={classification.cisoRequired ? 'volcano' : 'green'}>{classification.cisoRequired ? t('applicability.required') : t('applicability.notRequired')}</Tag>;
    case 'tier':
      return classification.tier === null ? unknown : (
        <Tag color="blue">{t('applicability.tierValue', { tier: classification.tier })}{classification.tierSource === 'override' ? t('applicability.tierOverride') : t('applicability.tierDefault')}</Tag>
      );
    case 'type':
      return classification.type === null ? unknown : <Tag color="purple">{t('applicability.typeValue', { type: classification.type === 1 ? (isEnglish ? '1' : '一') : (isEnglish ? '2' : '二') })}</Tag>;
    case 'foreign':
      return classification.foreign === null ? unknown : <Tag>{classification.foreign ? t('applicability.foreignYes') : t('applicability.foreignNo')}</Tag>;
  }
}

const LABEL_KEYS: Record<Topic, string> = { ciso: 'applicability.ciso', tier: 'applicability.tier', type: 'applicability.type', foreign: 'applicability.foreign' };

export function ClassificationPanel({ classification, column = 1 }: { classification: FirmClassification; column?: number }) {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language === 'en';
  return (
    <Descriptions
      size="small"
      bordered
      column={column}
      styles={{ label: { width: column === 1 ? 96 : 120, whiteSpace: 'nowrap' } }}
      data-testid="classification"
      items={TOPICS.map((topic) => ({
        key: topic,
        label: t(LABEL_KEYS[topic]),
        children: (
          <Space orientation="vertical" size={4} data-testid={`classification-${topic}`}>
            <span data-testid={`classification-${topic}-answer`}><AnswerTag classification={classification} topic={topic} /></span>
            {classification.reasons.filter((reason) => reason.topic === topic).map((reason, index) => (
              <div key={index}>
                <div>{isEnglish ? reason.textEn : reason.text}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('applicability.source')}：{reason.source}</Typography.Text>
              </div>
            ))}
          </Space>
        ),
      }))}
    />
  );
}
