/** 繁中 / EN switch; the choice is kept in localStorage. */
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented<Language>
      data-testid="language-switch"
      aria-label={t('header.language')}
      size="small"
      value={i18n.language === 'en' ? 'en' : 'zh-TW'}
      onChange={(language) => void setLanguage(language)}
      options={[{ label: '繁中', value: 'zh-TW' }, { label: 'EN', value: 'en' }]}
    />
  );
}
