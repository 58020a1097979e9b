/**
 * i18next set-up: zh-TW by default, English on request; the choice is kept in localStorage.
 * Feature areas may add their own namespace with `i18n.addResourceBundle(lang, 'area', strings)`.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhTW } from './zh-TW.ts';
import { en } from './en.ts';

export const LANGUAGES = ['zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'anjian.language';

export function readStoredLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'zh-TW';
  } catch {
    return 'zh-TW';
  }
}

export async function setLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-Hant-TW';
  await i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-TW': { translation: zhTW }, en: { translation: en } },
  lng: readStoredLanguage(),
  fallbackLng: 'zh-TW',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
