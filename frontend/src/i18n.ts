import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import cs from "./locales/cs.json";
import en from "./locales/en.json";
import uk from "./locales/uk.json";

/** Languages of the staff app; Czech is the default. */
export const LANGUAGES = ["cs", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "integra.lang";

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "cs" || saved === "en") return saved;
  } catch {
    // storage blocked: fall through to the default
  }
  return "cs";
}

// i18next: the most used i18n library for React, with plural rules from
// Intl.PluralRules (Czech has one/few/many/other) and JSON catalogues a
// translator can edit without touching code.
void i18n.use(initReactI18next).init({
  // Ukrainian covers the public pages (event registration) only; the
  // staff app stays Czech and English.
  resources: { cs: { translation: cs }, en: { translation: en }, uk: { translation: uk } },
  lng: initialLanguage(),
  fallbackLng: "cs",
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;
i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
  try {
    if ((LANGUAGES as readonly string[]).includes(lng)) localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // not remembered; still switched for this page
  }
});

export default i18n;
