// i18next with English and Simplified Chinese bundled (no network: CSP has connect-src 'none').
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };
import type { Language } from '../../shared/ipc.ts';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** The OS/browser language decides when the setting is "auto" (null). */
export function pickLanguage(setting: Language | null, navigatorLanguage: string | undefined): Language {
  if (setting) return setting;
  return navigatorLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
    initAsync: false,
  });
  return instance;
}
